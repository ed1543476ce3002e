/**
 * Z-Score benchmark: native batch against the TypeScript batch, both incremental `push`
 * implementations (which decide the live path, see `indicators/zscore.ts`), and a plain
 * `Float64Array.set` copy of the same array as the memory-bandwidth floor; and the exact tick
 * moments the strategies decide on (native and TypeScript batch, TypeScript push).
 */
import { loadZScoreNative } from '../indicators/zscore-native.ts';
import { rollingZScoreTs, ZScoreTs } from '../indicators/zscore-ts.ts';
import { rollingTickMomentsTs, TickMoments } from '../indicators/tick-moments.ts';
import { zscoreImpl } from '../indicators/zscore.ts';

export interface ZScoreBenchRow {
  name: string;
  /** Nanoseconds per element (batch, copy) or per call (push). */
  nsPerEl: number;
  elPerSec: number;
}

export interface ZScoreBenchResult {
  zscoreImpl: 'native' | 'ts';
  zscoreNativeNsPerEl: number | null;
  zscoreTsNsPerEl: number;
  zscorePushNativeNs: number | null;
  zscorePushTsNs: number;
  memcpyNsPerEl: number;
  momentsNativeNsPerEl: number | null;
  momentsTsNsPerEl: number;
  momentsPushTsNs: number;
  rows: ZScoreBenchRow[];
}

/**
 * Deterministic random-walk closes: uniform steps in ±`step` from `start` (mulberry32, so
 * runs and tests see the same series for the same seed).
 */
export function randomWalkPrices(n: number, seed = 1, start = 5000, step = 0.5): Float64Array {
  let a = seed >>> 0;
  const xs = new Float64Array(n);
  let x = start;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    x += (2 * u - 1) * step;
    xs[i] = x;
  }
  return xs;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median nanoseconds per element over `runs` timed runs, after one untimed warm-up. */
function timeNsPerEl(n: number, runs: number, run: () => void): number {
  run();
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    run();
    samples.push(((performance.now() - t0) * 1e6) / n);
  }
  return median(samples);
}

/** Pushes every close; the checksum keeps the work observable so it cannot be optimised away. */
function pushAll(z: { push(close: number): number | null }, closes: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < closes.length; i++) sum += z.push(closes[i]!) ?? 0;
  return sum;
}

export async function benchZScore(opts: { n?: number; lookback?: number; runs?: number } = {}): Promise<ZScoreBenchResult> {
  const n = opts.n ?? 10_000_000;
  const lookback = opts.lookback ?? 20;
  const runs = Math.max(opts.runs ?? 5, 1);
  const closes = randomWalkPrices(n);
  const out = new Float64Array(n);
  const copy = new Float64Array(n);
  // The native module itself, even under QS_ZSCORE=ts: the bench compares both.
  const native = loadZScoreNative({});
  let checksum = 0;

  const memcpyNsPerEl = timeNsPerEl(n, runs, () => copy.set(closes));
  const zscoreTsNsPerEl = timeNsPerEl(n, runs, () => rollingZScoreTs(closes, lookback, out));
  const zscoreNativeNsPerEl = native ? timeNsPerEl(n, runs, () => native.rollingZScore(closes, lookback, out)) : null;
  // A push costs the same on any prefix; a million keeps the native run (Node-API calls
  // cost ~0.25 µs in Bun) from dominating the whole bench.
  const pushes = closes.subarray(0, Math.min(n, 1_000_000));
  const zscorePushTsNs = timeNsPerEl(pushes.length, runs, () => {
    checksum += pushAll(new ZScoreTs(lookback), pushes);
  });
  const zscorePushNativeNs = native
    ? timeNsPerEl(pushes.length, runs, () => {
        checksum += pushAll(new native.ZScore(lookback), pushes);
      })
    : null;
  // Moments need tick prices; two million of them keep the 2n-entry output small.
  const ticks = Float64Array.from(closes.subarray(0, Math.min(n, 2_000_000)), (c) => Math.round(c * 4) / 4);
  const momentsOut = new Float64Array(2 * ticks.length);
  const momentsTsNsPerEl = timeNsPerEl(ticks.length, runs, () => rollingTickMomentsTs(ticks, lookback, momentsOut));
  const momentsNativeNsPerEl = native ? timeNsPerEl(ticks.length, runs, () => native.rollingTickMoments(ticks, lookback, momentsOut)) : null;
  const momentsPushTsNs = timeNsPerEl(pushes.length, runs, () => {
    const m = new TickMoments(lookback);
    for (let i = 0; i < pushes.length; i++) {
      m.push(ticks[i % ticks.length]!);
      if (m.ready) checksum += m.den;
    }
  });
  if (Number.isNaN(checksum)) throw new Error('z-score bench: non-finite checksum');

  const row = (name: string, nsPerEl: number | null): ZScoreBenchRow[] =>
    nsPerEl === null ? [] : [{ name, nsPerEl, elPerSec: 1e9 / nsPerEl }];
  return {
    zscoreImpl,
    zscoreNativeNsPerEl,
    zscoreTsNsPerEl,
    zscorePushNativeNs,
    zscorePushTsNs,
    memcpyNsPerEl,
    momentsNativeNsPerEl,
    momentsTsNsPerEl,
    momentsPushTsNs,
    rows: [
      ...row(`z-score batch native (lookback ${lookback})`, zscoreNativeNsPerEl),
      ...row(`z-score batch TypeScript (lookback ${lookback})`, zscoreTsNsPerEl),
      ...row('z-score push native (per call)', zscorePushNativeNs),
      ...row(`exact tick moments batch native (lookback ${lookback})`, momentsNativeNsPerEl),
      ...row(`exact tick moments batch TypeScript (lookback ${lookback})`, momentsTsNsPerEl),
      ...row('exact tick moments push TypeScript (per call)', momentsPushTsNs),
      ...row('z-score push TypeScript (per call)', zscorePushTsNs),
      ...row('Float64Array.set copy', memcpyNsPerEl),
    ],
  };
}
