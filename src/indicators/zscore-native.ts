/**
 * Loader of the native Z-Score (`native/zscore.node`, built by `bun run build:native`; Rust
 * in `native/src`). Same definition and interface as `zscore-ts.ts`.
 *
 * Bun refuses `import` of a `.node` file, so it is loaded with `require`, from a path
 * relative to this file: the process may run from any directory.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Incremental Z-Score of the native module; the `ZScoreTs` interface. */
export interface NativeZScore {
  push(close: number): number | null;
  reset(): void;
  readonly lookback: number;
  readonly mean: number;
  readonly std: number;
  readonly count: number;
}

export interface ZScoreNativeModule {
  /** Writes into `out` and returns it when given; NaN before the window is full. */
  rollingZScore(closes: Float64Array, lookback: number, out?: Float64Array): Float64Array;
  ZScore: new (lookback: number) => NativeZScore;
  /** Exact N and D per bar on the tick grid, two entries per close (see `tick-moments.ts`). */
  rollingTickMoments(closes: Float64Array, lookback: number, out?: Float64Array): Float64Array;
  /**
   * The level bits of every z (`reachedLevelsTs` of `tick-moments.ts`, bit for bit): READY and one
   * bit per level reached, or NEAR (128) where the caller must decide exactly.
   */
  reachedLevels(z: Float64Array, enterLong: number, enterShort: number, exitLong: number, exitShort: number): Uint8Array;
  /** The vector unit the batch kernel chose at run time ("avx512", "avx", "sse2", "portable"; `QS_ZSCORE_ISA` caps it). */
  zscoreKernel(): string;
}

export const NATIVE_ZSCORE_PATH = fileURLToPath(new URL('../../native/zscore.node', import.meta.url));

export type NativeLoad = { module: ZScoreNativeModule; reason: null } | { module: null; reason: string };

/** The native module, or why it is not used (`QS_ZSCORE=ts`, not built, unloadable). Never throws. */
export function tryLoadZScoreNative(env: Record<string, string | undefined> = process.env): NativeLoad {
  if (env.QS_ZSCORE === 'ts') return { module: null, reason: 'QS_ZSCORE=ts' };
  let loaded: Partial<ZScoreNativeModule>;
  try {
    loaded = createRequire(import.meta.url)(NATIVE_ZSCORE_PATH);
  } catch (err) {
    const notBuilt = (err as { code?: string }).code === 'MODULE_NOT_FOUND' || /not found|no such file/i.test(String(err));
    return {
      module: null,
      reason: notBuilt
        ? 'native/zscore.node not built (bun run build:native)'
        : `native/zscore.node failed to load: ${(err as Error).message ?? err}`,
    };
  }
  if (typeof loaded.rollingZScore !== 'function' || typeof loaded.ZScore !== 'function' || typeof loaded.rollingTickMoments !== 'function' || typeof loaded.reachedLevels !== 'function') {
    return { module: null, reason: 'native/zscore.node lacks rollingZScore/ZScore/rollingTickMoments/reachedLevels (stale build? bun run build:native)' };
  }
  return { module: loaded as ZScoreNativeModule, reason: null };
}

/** The native module, or null when it is missing, unloadable or disabled with `QS_ZSCORE=ts`. */
export function loadZScoreNative(env: Record<string, string | undefined> = process.env): ZScoreNativeModule | null {
  return tryLoadZScoreNative(env).module;
}
