/**
 * Probability of Backtest Overfitting by combinatorially symmetric cross-validation (Bailey,
 * Borwein, López de Prado & Zhu, "The Probability of Backtest Overfitting", J. Computational
 * Finance 20(4), 2017; working paper 2015). With M the T × N matrix of per-session returns of
 * the N sets tried:
 *  1. cut the T rows into S groups of consecutive rows (S even);
 *  2. for every choice of S/2 groups as the training part J (the other S/2 are the test part J̄):
 *     n* = the set with the best Sharpe on J; ω = its rank on J̄ (1 = worst … N = best, ties
 *     averaged); ω̄ = ω / (N + 1); logit λ = ln(ω̄ / (1 − ω̄));
 *  3. PBO = the share of the C(S, S/2) choices with λ ≤ 0: the best in-sample set was at or below
 *     the median out of sample.
 */

export interface PboReport {
  /** 0…1; null when there are too few sessions or sets. */
  readonly pbo: number | null;
  readonly groups: number;
  readonly combinations: number;
  /** Median logit λ over the combinations (below 0: the in-sample best is usually below the out-of-sample median). */
  readonly medianLogit: number | null;
}

function* combinations(n: number, k: number): Generator<number[]> {
  const c = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield c;
    let i = k - 1;
    while (i >= 0 && c[i] === n - k + i) i--;
    if (i < 0) return;
    c[i]!++;
    for (let j = i + 1; j < k; j++) c[j] = c[j - 1]! + 1;
  }
}

/** Sharpe from a count, sum and sum of squares (population σ; ±∞ for a constant non-zero part). */
function sharpeOf(k: number, sum: number, sumSq: number): number {
  const mu = sum / k;
  const v = sumSq / k - mu * mu;
  if (v > 1e-18 * Math.max(1, mu * mu)) return mu / Math.sqrt(v);
  return mu > 0 ? Number.POSITIVE_INFINITY : mu < 0 ? Number.NEGATIVE_INFINITY : 0;
}

/**
 * `returns[set][session]`: every set over the same sessions. `groups` is S (even, default 16,
 * lowered to the largest even number that leaves each group at least 2 sessions).
 */
export function pbo(returns: readonly (readonly number[])[], groups = 16): PboReport {
  const n = returns.length;
  const t = returns[0]?.length ?? 0;
  let s = Math.min(groups, Math.floor(t / 2));
  if (s % 2 === 1) s--;
  if (n < 2 || s < 2 || returns.some((r) => r.length !== t)) return { pbo: null, groups: s, combinations: 0, medianLogit: null };
  const bounds = Array.from({ length: s + 1 }, (_, g) => Math.floor((g * t) / s));
  // Per group and set: rows, Σr and Σr², so a half's Sharpe costs S additions, not T.
  const cnt = new Float64Array(s);
  const sum = new Float64Array(s * n);
  const sq = new Float64Array(s * n);
  for (let g = 0; g < s; g++) {
    cnt[g] = bounds[g + 1]! - bounds[g]!;
    for (let c = 0; c < n; c++) {
      for (let i = bounds[g]!; i < bounds[g + 1]!; i++) {
        const x = returns[c]![i]!;
        sum[g * n + c]! += x;
        sq[g * n + c]! += x * x;
      }
    }
  }
  const half = (gs: ArrayLike<number>, c: number) => {
    let k = 0;
    let a = 0;
    let b = 0;
    for (let j = 0; j < gs.length; j++) {
      const g = gs[j]!;
      k += cnt[g]!;
      a += sum[g * n + c]!;
      b += sq[g * n + c]!;
    }
    return sharpeOf(k, a, b);
  };
  const logits: number[] = [];
  const test = new Array<number>(s / 2);
  for (const train of combinations(s, s / 2)) {
    let j = 0;
    for (let g = 0, q = 0; g < s; g++) {
      if (train[q] === g) q++;
      else test[j++] = g;
    }
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < n; c++) {
      const score = half(train, c);
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    const mine = half(test, best);
    let below = 0;
    let equal = 0;
    for (let c = 0; c < n; c++) {
      const x = half(test, c);
      if (x < mine) below++;
      else if (x === mine) equal++;
    }
    const w = (below + (equal + 1) / 2) / (n + 1);
    logits.push(Math.log(w / (1 - w)));
  }
  const sorted = [...logits].sort((a, b) => a - b);
  return { pbo: logits.filter((l) => l <= 0).length / logits.length, groups: s, combinations: logits.length, medianLogit: sorted[Math.floor(sorted.length / 2)]! };
}
