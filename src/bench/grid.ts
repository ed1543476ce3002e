import { expandGrid } from '../backtest/grid.ts';
import { GridPool } from '../backtest/grid-pool.ts';
import type { Trial } from '../backtest/grid-job.ts';
import { walkForward } from '../backtest/walkforward.ts';
import type { BarSeries } from '../domain/bar.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../engine/settings.ts';
import { simulateBars } from '../market/simulator.ts';
import { zscoreStrategy } from '../strategy/zscore.ts';

/** No halt ends a run early: every bar costs the full engine path. */
const UNHALTED = { ...DEFAULT_ENGINE_SETTINGS, maxDrawdown: 1e9, dailyLossLimit: 1e9 };

function simulate(bars: number): BarSeries {
  const s = simulateBars({ days: Math.ceil(bars / 1380) + 2, seed: 11, regime: 'switching' });
  const cut = (a: Float64Array) => a.subarray(0, Math.min(bars, s.length));
  return { length: Math.min(bars, s.length), time: cut(s.time), open: cut(s.open), high: cut(s.high), low: cut(s.low), close: cut(s.close), volume: cut(s.volume) };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = async (f: () => Promise<unknown>) => {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
};

export interface GridBench {
  readonly bars: number;
  readonly sets: number;
  readonly workers: number;
  readonly repeats: number;
  /** Median serial and pooled seconds, and per repeat the ratio serial / pooled of that repeat. */
  readonly serialSeconds: number;
  readonly poolSeconds: number;
  readonly speedup: number;
  readonly speedupMin: number;
  readonly speedupMax: number;
}

/**
 * 125 parameter sets over a year of bars: in this thread, then on a Worker pool, repeated; each
 * repeat runs both back to back so its ratio compares like with like. The pool is started (and
 * its JIT warmed on a few sets) once, as the commands keep it across grid calls and folds.
 */
export async function benchGridPool(opts: { bars?: number; workers?: number; repeats?: number } = {}): Promise<GridBench> {
  const series = simulate(opts.bars ?? 350_000);
  const trials: Trial[] = expandGrid(zscoreStrategy.defaultGrid, zscoreStrategy.defaults).map((params) => ({ params }));
  const job = { series, strategy: 'zscore', settings: UNHALTED, from: 0, to: series.length };
  const workers = opts.workers ?? navigator.hardwareConcurrency;
  const serial = new GridPool(0);
  const pool = new GridPool(workers);
  try {
    await serial.run(job, trials.slice(0, 5));
    await pool.run(job, trials.slice(0, 2 * workers));
    const s: number[] = [];
    const p: number[] = [];
    for (let r = 0; r < (opts.repeats ?? 3); r++) {
      s.push(await seconds(() => serial.run(job, trials)));
      p.push(await seconds(() => pool.run(job, trials)));
    }
    const ratios = s.map((x, i) => x / p[i]!);
    return { bars: series.length, sets: trials.length, workers, repeats: s.length, serialSeconds: median(s), poolSeconds: median(p), speedup: median(ratios), speedupMin: Math.min(...ratios), speedupMax: Math.max(...ratios) };
  } finally {
    pool.close();
  }
}

export interface WalkForwardBench {
  readonly bars: number;
  readonly sets: number;
  readonly rows: ReadonlyArray<{ readonly folds: number; readonly seconds: number; readonly min: number; readonly max: number }>;
  /** Time for the most folds over time for 1 fold (1.0 = flat). */
  readonly ratio: number;
}

/** Walk-forward of 25 sets on the same bars with 1, 5 and 20 folds, one pool for all, repeated. */
export async function benchWalkForward(opts: { bars?: number; workers?: number; repeats?: number; folds?: readonly number[] } = {}): Promise<WalkForwardBench> {
  const series = simulate(opts.bars ?? 350_000);
  const points = expandGrid({ lookback: [10, 20, 30, 40, 50], entry: [1.5, 2, 2.5, 3, 3.5] }, zscoreStrategy.defaults);
  const trials = points.map((params) => ({ params }));
  const pool = new GridPool(opts.workers ?? navigator.hardwareConcurrency);
  const spec = { strategy: 'zscore', points, trials, settings: UNHALTED, train: 0.7, objective: 'sharpe' as const, minTrades: 1, pool };
  try {
    await walkForward(series, { ...spec, folds: 2 });
    const rows = [];
    for (const folds of opts.folds ?? [1, 5, 20]) {
      const times: number[] = [];
      for (let r = 0; r < (opts.repeats ?? 3); r++) times.push(await seconds(() => walkForward(series, { ...spec, folds })));
      rows.push({ folds, seconds: median(times), min: Math.min(...times), max: Math.max(...times) });
    }
    return { bars: series.length, sets: trials.length, rows, ratio: rows.at(-1)!.seconds / rows[0]!.seconds };
  } finally {
    pool.close();
  }
}
