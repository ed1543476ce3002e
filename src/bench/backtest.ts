import { expandGrid } from '../backtest/grid.ts';
import { gridSearch } from '../backtest/grid-search.ts';
import { runBacktest } from '../backtest/run.ts';
import type { BarSeries } from '../domain/bar.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../engine/settings.ts';
import { simulateBars } from '../market/simulator.ts';
import { zscoreStrategy } from '../strategy/zscore.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Trading days of 1-minute Globex bars that give at least `bars` bars (~1,380 a day). */
function simulate(bars: number): BarSeries {
  const s = simulateBars({ days: Math.ceil(bars / 1380) + 2, seed: 11, regime: 'switching' });
  return s.length > bars ? { length: bars, time: s.time.subarray(0, bars), open: s.open.subarray(0, bars), high: s.high.subarray(0, bars), low: s.low.subarray(0, bars), close: s.close.subarray(0, bars), volume: s.volume.subarray(0, bars) } : s;
}

/**
 * Limits so wide that no halt ends trading early: every bar goes through fills, marks and a
 * decision, so the figure is the engine's cost, not that of a halted run skipping work.
 */
const UNHALTED = { ...DEFAULT_ENGINE_SETTINGS, maxDrawdown: 1e9, dailyLossLimit: 1e9 };

/** Z-Score backtest over 1,000,000 bars through the full engine path (z column included), median of runs. */
export function benchBacktest(opts: { bars?: number; runs?: number } = {}): { backtestBarsPerSec: number; bars: number; trades: number } {
  const series = simulate(opts.bars ?? 1_000_000);
  const times: number[] = [];
  let trades = 0;
  for (let r = 0; r < (opts.runs ?? 5); r++) {
    const t0 = performance.now();
    const res = runBacktest({ series, strategy: zscoreStrategy, params: zscoreStrategy.defaults, settings: UNHALTED });
    times.push(performance.now() - t0);
    trades = res.trades.length;
  }
  return { backtestBarsPerSec: series.length / (median(times) / 1000), bars: series.length, trades };
}

/** 125 parameter sets over a year of bars (~350,000): in this thread vs on Workers. */
export async function benchGrid(opts: { bars?: number; workers?: number } = {}): Promise<{ gridSeconds: number; gridSerialSeconds: number; gridWorkerSpeedup: number; gridWorkers: number; sets: number; bars: number }> {
  const series = simulate(opts.bars ?? 350_000);
  const sets = expandGrid(zscoreStrategy.defaultGrid, zscoreStrategy.defaults);
  const job = { series, strategy: 'zscore', settings: UNHALTED, from: 0, to: series.length };
  const workers = opts.workers ?? navigator.hardwareConcurrency;
  await gridSearch(job, sets.slice(0, 5), { workers: 0 }); // JIT warm-up, so serial is not charged for it
  let t0 = performance.now();
  await gridSearch(job, sets, { workers: 0 });
  const serial = (performance.now() - t0) / 1000;
  t0 = performance.now();
  await gridSearch(job, sets, { workers });
  const parallel = (performance.now() - t0) / 1000;
  return { gridSeconds: parallel, gridSerialSeconds: serial, gridWorkerSpeedup: serial / parallel, gridWorkers: workers, sets: sets.length, bars: series.length };
}
