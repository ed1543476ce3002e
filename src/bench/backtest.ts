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
