/**
 * Z-Score as the rest of the code uses it: the native implementation where it is built, the
 * TypeScript one otherwise. `QS_ZSCORE=ts` in the environment forces TypeScript everywhere.
 *
 * Strategies decide on the exact tick moments N and D (`tick-moments.ts`): the batch column
 * comes from here (native or TypeScript, identical by exactness), the live path pushes one close
 * per bar into the TypeScript `TickMoments` — a Node-API call costs ~220 ns in Bun even for an
 * empty method (`bun src/bench/zscore-main.ts`), several times a TypeScript push.
 *
 * The floating-point z value itself (definition in `zscore-ts.ts`: population σ of the last
 * `lookback` closes including the current one; 0 when σ = 0) is `rollingZScoreTs` / the native
 * `rollingZScore`, which agree to ~1e-14 — for display and research, never for a decision.
 */
import { tryLoadZScoreNative } from './zscore-native.ts';
import { reachedLevelsTs, rollingTickMomentsTs } from './tick-moments.ts';

const native = tryLoadZScoreNative();

/** What the batch path (backtests, grid search) runs on. */
export const zscoreImpl: 'native' | 'ts' = native.module ? 'native' : 'ts';

/**
 * Exact N and D of every bar (column layout in `tick-moments.ts`), for threshold decisions:
 * native where built, else TypeScript; both exact, so their columns are identical.
 */
export function rollingTickMoments(closes: Float64Array, lookback: number, out?: Float64Array): Float64Array {
  return native.module ? native.module.rollingTickMoments(closes, lookback, out) : rollingTickMomentsTs(closes, lookback, out);
}

/**
 * The level bits of every bar's z, or NEAR where it must be decided exactly (`reachedLevelsTs`):
 * native where built, else TypeScript; the same bytes either way.
 */
export function levelBits(z: Float64Array, enterLong: number, enterShort: number, exitLong: number, exitShort: number): Uint8Array {
  return native.module ? native.module.reachedLevels(z, enterLong, enterShort, exitLong, exitShort) : reachedLevelsTs(z, enterLong, enterShort, exitLong, exitShort);
}

/** One line for the startup log: which implementation runs where, and why. */
export function describeZScoreImpl(): string {
  return native.module ? 'z-score: batch native (Rust, Node-API), live push TypeScript' : `z-score: batch TypeScript (${native.reason}), live push TypeScript`;
}
