import { Rng } from '../market/rng.ts';

/**
 * Sampled search over a grid's values, for spaces too large to enumerate. Each dimension is the
 * list of values given to --grid, treated as categories. Two samplers:
 *  - random: points drawn uniformly, without repeats;
 *  - TPE, the Tree-structured Parzen Estimator (J. Bergstra, R. Bardenet, Y. Bengio, B. Kégl,
 *    "Algorithms for Hyper-Parameter Optimization", NeurIPS 2011), in its independent categorical
 *    form: after `startup` random points, the points tried so far are split into the best
 *    ⌈γ·n⌉ ("good", γ = 0.25) and the rest ("bad"); per dimension, l(v) = (good points with value v + 1)
 *    / (good + k) and g(v) likewise over the bad ones (k values, +1 a uniform prior); `candidates`
 *    points are drawn from l and the one with the largest Π l(v)/g(v) not yet tried is next.
 * Scores are "higher is better"; a point without a score (too few trades) counts as bad.
 */

export type Dims = readonly (readonly number[])[];
/** A point: one index into each dimension's values. */
export type Point = readonly number[];

export const keyOf = (p: Point) => p.join(',');

export function spaceSize(dims: Dims): number {
  return dims.reduce((a, d) => a * d.length, 1);
}

function randomPoint(dims: Dims, rng: Rng): number[] {
  return dims.map((d) => rng.nextUint32() % d.length);
}

/** Up to `n` distinct points not in `seen`, uniformly at random. */
export function randomPoints(dims: Dims, n: number, rng: Rng, seen: Set<string> = new Set()): number[][] {
  const out: number[][] = [];
  const left = spaceSize(dims) - seen.size;
  const want = Math.min(n, left);
  // Rejection sampling is fine until the space is nearly used up; then enumerate what is left.
  let tries = 0;
  while (out.length < want && tries < want * 50) {
    tries++;
    const p = randomPoint(dims, rng);
    const k = keyOf(p);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(p);
    }
  }
  if (out.length < want) {
    const rest = allPoints(dims).filter((p) => !seen.has(keyOf(p)));
    while (out.length < want && rest.length > 0) {
      const p = rest.splice(rng.nextUint32() % rest.length, 1)[0]!;
      seen.add(keyOf(p));
      out.push(p);
    }
  }
  return out;
}

export function allPoints(dims: Dims): number[][] {
  let pts: number[][] = [[]];
  for (const d of dims) pts = pts.flatMap((p) => d.map((_, i) => [...p, i]));
  return pts;
}

export const GAMMA = 0.25;

/** Per dimension, l(v) and g(v) from the scored points (the densities above). */
export function parzen(dims: Dims, tried: ReadonlyArray<{ point: Point; score: number | null }>): { good: number[][]; bad: number[][] } {
  const ranked = [...tried].sort((a, b) => (b.score ?? Number.NEGATIVE_INFINITY) - (a.score ?? Number.NEGATIVE_INFINITY));
  const nGood = Math.max(1, Math.ceil(GAMMA * ranked.length));
  const good = ranked.slice(0, nGood).filter((t) => t.score !== null);
  const bad = ranked.slice(good.length);
  const density = (set: typeof ranked, j: number) => {
    const k = dims[j]!.length;
    const counts = new Array<number>(k).fill(1);
    for (const t of set) counts[t.point[j]!]!++;
    return counts.map((c) => c / (set.length + k));
  };
  return { good: dims.map((_, j) => density(good, j)), bad: dims.map((_, j) => density(bad, j)) };
}

function drawFrom(probs: readonly number[], rng: Rng): number {
  let u = rng.uniform();
  for (let i = 0; i < probs.length; i++) {
    u -= probs[i]!;
    if (u <= 0) return i;
  }
  return probs.length - 1;
}

/** The next `n` points TPE proposes, none of them in `seen`. */
export function tpePoints(dims: Dims, tried: ReadonlyArray<{ point: Point; score: number | null }>, n: number, rng: Rng, seen: Set<string>, candidates = 24): number[][] {
  const { good, bad } = parzen(dims, tried);
  const out: number[][] = [];
  for (let k = 0; k < n && seen.size < spaceSize(dims); k++) {
    let best: number[] | null = null;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < candidates; c++) {
      const p = good.map((probs) => drawFrom(probs, rng));
      if (seen.has(keyOf(p))) continue;
      const s = p.reduce((a, v, j) => a + Math.log(good[j]![v]! / bad[j]![v]!), 0);
      if (s > bestScore) {
        bestScore = s;
        best = p;
      }
    }
    // Every candidate already tried: fall back to a random untried point.
    const next = best ?? randomPoints(dims, 1, rng, new Set(seen))[0];
    if (!next) break;
    seen.add(keyOf(next));
    out.push(next);
  }
  return out;
}

export type Sampler = 'random' | 'tpe';

/**
 * Runs a sampled search: proposes points in batches of `batch` (the Worker pool's size), asks
 * `evaluate` for their scores, and stops after `budget` points or when the space is exhausted.
 */
export async function sampledSearch(dims: Dims, opts: { sampler: Sampler; budget: number; seed: number; batch: number; startup?: number }, evaluate: (points: number[][]) => Promise<Array<number | null>>): Promise<Array<{ point: number[]; score: number | null }>> {
  const rng = new Rng(opts.seed);
  const seen = new Set<string>();
  const tried: Array<{ point: number[]; score: number | null }> = [];
  const budget = Math.min(opts.budget, spaceSize(dims));
  const startup = Math.min(opts.startup ?? Math.max(10, 2 * dims.length), budget);
  while (tried.length < budget) {
    const n = Math.min(Math.max(1, opts.batch), budget - tried.length);
    const pts = opts.sampler === 'random' || tried.length < startup ? randomPoints(dims, Math.min(n, opts.sampler === 'random' ? n : startup - tried.length), rng, seen) : tpePoints(dims, tried, n, rng, seen);
    if (pts.length === 0) break;
    const scores = await evaluate(pts);
    pts.forEach((point, i) => tried.push({ point, score: scores[i] ?? null }));
  }
  return tried;
}
