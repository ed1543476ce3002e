/**
 * Z-Score benchmark: native batch against the TypeScript batch, both incremental `push`
 * implementations (which decide the live path, see `indicators/zscore.ts`), and a plain
 * `Float64Array.set` copy of the same array as the memory-bandwidth floor; and the exact tick
 * moments the strategies decide on (native and TypeScript batch, TypeScript push). Wall time,
 * best of a short burst per repeat; the native batch and the copy are timed interleaved and
 * their per-repeat ratio reported (`zscoreNativeToMemcpy`).
 */
import { loadZScoreNative } from '../indicators/zscore-native.ts';
import { rollingZScoreTs, ZScoreTs } from '../indicators/zscore-ts.ts';
import { rollingTickMomentsTs, TickMoments } from '../indicators/tick-moments.ts';
import { zscoreImpl } from '../indicators/zscore.ts';
import { spread, type Spread } from './engine-vs-bare.ts';

export interface ZScoreBenchRow {
  name: string;
  /** Nanoseconds per element (batch, copy) or per call (push): median, min and max of the runs. */
  nsPerEl: number;
  min: number;
  max: number;
  elPerSec: number;
}

export interface ZScoreBenchResult {
  zscoreImpl: 'native' | 'ts';
  /** The vector unit the native batch kernel runs on (null without the native module). */
  zscoreKernel: string | null;
  zscoreNativeNsPerEl: number | null;
  zscoreTsNsPerEl: number;
  zscorePushNativeNs: number | null;
  zscorePushTsNs: number;
  memcpyNsPerEl: number;
  /** Native batch / copy of the same array, per repeat (the two timed interleaved); null without the native module. */
  zscoreNativeToMemcpy: Spread | null;
  /** The copy of the moments' input (2 M prices), their reference. */
  momentsMemcpyNsPerEl: number;
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

/** Wall time of one `run()` in nanoseconds per element: the best of a burst of `burst` back-to-back runs. */
function bestOfBurst(n: number, burst: number, run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let b = 0; b < burst; b++) {
    const t0 = performance.now();
    run();
    best = Math.min(best, performance.now() - t0);
  }
  return (best * 1e6) / n;
}

/**
 * Nanoseconds per element over `runs` repeats (median, min, max), after one untimed warm-up.
 * Wall time (`performance.now`), not process CPU time, whose scheduler-tick granularity is too
 * coarse for runs of a few milliseconds; each repeat is the best of a short burst, so a repeat
 * that lost the core to another process for part of the burst still counts its fastest run.
 */
function timeSpread(n: number, runs: number, run: () => void, burst = 1): Spread {
  run();
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) samples.push(bestOfBurst(n, burst, run));
  return spread(samples);
}

/**
 * Two runs timed interleaved, `a` then `b` within each repeat (each the best of a burst), so
 * the per-repeat ratio a / b compares the two at the same moment of a shared machine.
 */
function timePaired(n: number, runs: number, burst: number, a: () => void, b: () => void): { a: Spread; b: Spread; ratio: Spread } {
  a();
  b();
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < runs; r++) {
    const ta = bestOfBurst(n, burst, a);
    const tb = bestOfBurst(n, burst, b);
    as.push(ta);
    bs.push(tb);
    ratios.push(ta / tb);
  }
  return { a: spread(as), b: spread(bs), ratio: spread(ratios) };
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

  // The native kernel and the copy, interleaved within each repeat; a burst of 3 each.
  const copyRun = () => copy.set(closes);
  const paired = native ? timePaired(n, runs, 3, () => native.rollingZScore(closes, lookback, out), copyRun) : null;
  const memcpyNsPerElS = paired ? paired.b : timeSpread(n, runs, copyRun, 3);
  const zscoreNativeNsPerElS = paired ? paired.a : null;
  const zscoreTsNsPerElS = timeSpread(n, runs, () => rollingZScoreTs(closes, lookback, out));
  // A push costs the same on any prefix; a million keeps the native run (Node-API calls
  // cost ~0.25 µs in Bun) from dominating the whole bench.
  const pushes = closes.subarray(0, Math.min(n, 1_000_000));
  const zscorePushTsNsS = timeSpread(pushes.length, runs, () => {
    checksum += pushAll(new ZScoreTs(lookback), pushes);
  });
  const zscorePushNativeNsS = native
    ? timeSpread(pushes.length, runs, () => {
        checksum += pushAll(new native.ZScore(lookback), pushes);
      })
    : null;
  // Moments need tick prices; two million of them keep the 2n-entry output small.
  const ticks = Float64Array.from(closes.subarray(0, Math.min(n, 2_000_000)), (c) => Math.round(c * 4) / 4);
  const momentsOut = new Float64Array(2 * ticks.length);
  const ticksCopy = new Float64Array(ticks.length);
  const momentsMemcpyS = timeSpread(ticks.length, runs, () => ticksCopy.set(ticks), 3);
  const momentsTsNsPerElS = timeSpread(ticks.length, runs, () => rollingTickMomentsTs(ticks, lookback, momentsOut));
  const momentsNativeNsPerElS = native ? timeSpread(ticks.length, runs, () => native.rollingTickMoments(ticks, lookback, momentsOut), 3) : null;
  const momentsPushTsNsS = timeSpread(pushes.length, runs, () => {
    const m = new TickMoments(lookback);
    for (let i = 0; i < pushes.length; i++) {
      m.push(ticks[i % ticks.length]!);
      if (m.ready) checksum += m.den;
    }
  });
  if (Number.isNaN(checksum)) throw new Error('z-score bench: non-finite checksum');

  const row = (name: string, t: Spread | null): ZScoreBenchRow[] =>
    t === null ? [] : [{ name, nsPerEl: t.median, min: t.min, max: t.max, elPerSec: 1e9 / t.median }];
  return {
    zscoreImpl,
    zscoreKernel: native ? native.zscoreKernel() : null,
    zscoreNativeNsPerEl: zscoreNativeNsPerElS?.median ?? null,
    zscoreTsNsPerEl: zscoreTsNsPerElS.median,
    zscorePushNativeNs: zscorePushNativeNsS?.median ?? null,
    zscorePushTsNs: zscorePushTsNsS.median,
    memcpyNsPerEl: memcpyNsPerElS.median,
    zscoreNativeToMemcpy: paired ? paired.ratio : null,
    momentsMemcpyNsPerEl: momentsMemcpyS.median,
    momentsNativeNsPerEl: momentsNativeNsPerElS?.median ?? null,
    momentsTsNsPerEl: momentsTsNsPerElS.median,
    momentsPushTsNs: momentsPushTsNsS.median,
    rows: [
      ...row(`z-score batch native (lookback ${lookback})`, zscoreNativeNsPerElS),
      ...row(`z-score batch TypeScript (lookback ${lookback})`, zscoreTsNsPerElS),
      ...row('z-score push native (per call)', zscorePushNativeNsS),
      ...row(`exact tick moments batch native (lookback ${lookback})`, momentsNativeNsPerElS),
      ...row(`exact tick moments batch TypeScript (lookback ${lookback})`, momentsTsNsPerElS),
      ...row('exact tick moments push TypeScript (per call)', momentsPushTsNsS),
      ...row('z-score push TypeScript (per call)', zscorePushTsNsS),
      ...row(`Float64Array.set copy (${n.toLocaleString('en-US')} prices)`, memcpyNsPerElS),
      ...row(`Float64Array.set copy (${ticks.length.toLocaleString('en-US')} prices, the moments' input)`, momentsMemcpyS),
    ],
  };
}
