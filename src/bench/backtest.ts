import type { BarSeries } from '../domain/bar.ts';
import { simulateBars } from '../market/simulator.ts';
import { centredLevels } from '../strategy/thresholds.ts';
import { ColumnCache } from '../strategy/types.ts';
import { reachedColumn } from '../strategy/z-compare.ts';
import { zscoreStrategy } from '../strategy/zscore.ts';
import { benchEngineVsBare, UNHALTED, type EngineVsBare, type Spread } from './engine-vs-bare.ts';
import { benchVectorbt } from './vectorbt.ts';

/** Trading days of 1-minute Globex bars that give at least `bars` bars (~1,380 a day). */
function simulate(bars: number): BarSeries {
  const s = simulateBars({ days: Math.ceil(bars / 1380) + 2, seed: 11, regime: 'switching' });
  return s.length > bars ? { length: bars, time: s.time.subarray(0, bars), open: s.open.subarray(0, bars), high: s.high.subarray(0, bars), low: s.low.subarray(0, bars), close: s.close.subarray(0, bars), volume: s.volume.subarray(0, bars) } : s;
}

/**
 * The backtest on 1,000,000 bars: the shared engine path (runBacktest → TradingEngine, the
 * strategy's signal column included) against the bare loop of the same rules, back to back in
 * each repeat, and vectorbt on the same bars when `QS_PYTHON` has it. ns per bar, CPU time.
 */
export function benchBacktest(opts: { bars?: number; repeats?: number } = {}): EngineVsBare & { vectorbt: { perBar: Spread; trades: number } | null } {
  const series = simulate(opts.bars ?? 1_000_000);
  const repeats = opts.repeats ?? 9;
  const res = benchEngineVsBare(series, { repeats });
  const p = zscoreStrategy.defaults;
  const reached = reachedColumn(p.lookback!, new ColumnCache(series), centredLevels(p.entry!, p.exit!));
  return { ...res, vectorbt: benchVectorbt(series, reached, Math.min(repeats, 5)) };
}
