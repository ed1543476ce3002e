/**
 * Z-Score as the rest of the code uses it: the native implementation where it pays, the
 * TypeScript one otherwise. Both follow the definition in `zscore-ts.ts` (population σ of
 * the last `lookback` closes including the current one; 0 when σ = 0; NaN/null before the
 * window is full) and agree to ~1e-14. That z is for display; decisions at a threshold use the
 * exact tick moments (`rollingTickMoments`, `TickMoments`), on which every path agrees exactly.
 *
 * `QS_ZSCORE=ts` in the environment forces TypeScript everywhere.
 */
import { tryLoadZScoreNative } from './zscore-native.ts';
import { rollingTickMomentsTs } from './tick-moments.ts';
import { rollingZScoreTs, ZScoreTs } from './zscore-ts.ts';

/** The incremental Z-Score interface of both implementations. */
export interface ZScore {
  push(close: number): number | null;
  reset(): void;
  readonly lookback: number;
  readonly mean: number;
  readonly std: number;
  readonly count: number;
}

const native = tryLoadZScoreNative();

/** What `rollingZScore` (the batch path: backtests, grid search, warm-up) runs on. */
export const zscoreImpl: 'native' | 'ts' = native.module ? 'native' : 'ts';

/**
 * The live path pushes one close per bar, so the per-call cost decides, not throughput.
 * Measured (`bun src/bench/zscore-main.ts`, Bun 1.4.5, x86-64): a Node-API method call
 * costs ~220 ns in Bun even for an empty method, so native `push` took ~260 ns against
 * ~30 ns for `ZScoreTs.push`. TypeScript it is; revisit if a Bun release makes calls cheap.
 */
const LIVE_PUSH_IMPL: 'native' | 'ts' = 'ts';

/** Z-Score of every close (NaN before the window is full); writes into `out` when given. */
export function rollingZScore(closes: Float64Array, lookback: number, out?: Float64Array): Float64Array {
  return native.module ? native.module.rollingZScore(closes, lookback, out) : rollingZScoreTs(closes, lookback, out);
}

/**
 * Exact N and D of every bar (column layout in `tick-moments.ts`), for threshold decisions:
 * native where built, else TypeScript; both exact, so their columns are identical.
 */
export function rollingTickMoments(closes: Float64Array, lookback: number, out?: Float64Array): Float64Array {
  return native.module ? native.module.rollingTickMoments(closes, lookback, out) : rollingTickMomentsTs(closes, lookback, out);
}

/** Incremental Z-Score for the live path. */
export function createZScore(lookback: number): ZScore {
  return LIVE_PUSH_IMPL === 'native' && native.module ? new native.module.ZScore(lookback) : new ZScoreTs(lookback);
}

/** One line for the startup log: which implementation runs where, and why. */
export function describeZScoreImpl(): string {
  const live = LIVE_PUSH_IMPL === 'native' && native.module ? 'native' : 'TypeScript';
  return native.module
    ? `z-score: batch native (Rust, Node-API), live push ${live}`
    : `z-score: batch TypeScript (${native.reason}), live push ${live}`;
}
