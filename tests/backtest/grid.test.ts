import { describe, expect, test } from 'bun:test';
import { expandGrid, rankRows } from '../../src/backtest/grid.ts';
import { gridSearch } from '../../src/backtest/grid-search.ts';
import { GridPool } from '../../src/backtest/grid-pool.ts';
import { runWithCurve } from '../../src/backtest/curve.ts';
import { runBacktest } from '../../src/backtest/run.ts';
import type { Metrics } from '../../src/domain/research.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/settings.ts';
import { simulateBars } from '../../src/market/simulator.ts';
import { zscoreStrategy } from '../../src/strategy/zscore.ts';

const m = (over: Partial<Metrics>): Metrics => ({
  trades: 50, winRate: 0.5, netPnl: 0, grossProfit: 0, grossLoss: 0, profitFactor: null, expectancy: null, maxDrawdown: 0, maxDrawdownPct: 0, sharpe: null, sortino: null, avgHoldMinutes: null, ...over,
});

describe('grid expansion and ranking', () => {
  test('the example grid of 5 × 5 × 5 values gives 125 sets over the defaults, in a stable order', () => {
    const sets = expandGrid(zscoreStrategy.defaultGrid, zscoreStrategy.defaults);
    expect(sets).toHaveLength(125);
    expect(sets[0]).toEqual({ lookback: 10, entry: 1.5, exit: 0 });
    expect(sets[124]).toEqual({ lookback: 50, entry: 3.5, exit: 1 });
    expect(expandGrid({ lookback: [30] }, zscoreStrategy.defaults)).toEqual([{ lookback: 30, entry: 2, exit: 0.5 }]);
  });

  test('ranks by the objective, best first; sets under the minimum trade count are unranked and last; null objectives sort after numbers', () => {
    const rows = rankRows(
      [
        { params: { a: 1 }, metrics: m({ sharpe: 1 }) },
        { params: { a: 2 }, metrics: m({ sharpe: 3, trades: 10 }) },
        { params: { a: 3 }, metrics: m({ sharpe: null }) },
        { params: { a: 4 }, metrics: m({ sharpe: 2 }) },
      ],
      'sharpe',
      30,
    );
    expect(rows.map((r) => [r.params.a, r.rank])).toEqual([[4, 1], [1, 2], [3, 3], [2, null]]);
  });
});

describe('grid search', () => {
  const series = simulateBars({ days: 15, seed: 3, regime: 'switching' });
  const job = { series, strategy: 'zscore', settings: DEFAULT_ENGINE_SETTINGS, from: 0, to: series.length };
  const sets = expandGrid({ lookback: [10, 20, 30], entry: [1.5, 2.5], exit: [0, 0.5] }, zscoreStrategy.defaults);
  const trials = sets.map((params) => ({ params }));

  test('every row equals what a single backtest with its equity curve gives for the same parameters and data', async () => {
    const rows = await gridSearch(job, trials, { workers: 2 });
    expect(rows).toHaveLength(sets.length);
    for (const [i, params] of sets.entries()) {
      const single = runWithCurve({ series, strategy: zscoreStrategy, params, settings: DEFAULT_ENGINE_SETTINGS });
      expect(rows[i]!.metrics).toEqual(single.result.metrics);
      expect(rows[i]!.dailyReturns).toHaveLength(single.result.equity.length);
    }
    expect(rows.some((r) => r.metrics.trades > 0)).toBe(true);
  });

  test('workers and the in-thread path give identical results, with progress reported for every set', async () => {
    const progress: number[] = [];
    const parallel = await gridSearch(job, trials, { workers: 2, onProgress: (done) => progress.push(done) });
    const serial = await gridSearch(job, trials, { workers: 0 });
    expect(parallel).toEqual(serial);
    expect(progress).toEqual(sets.map((_, i) => i + 1));
  });

  test('a pool kept across calls gives the same results on every call and on other bars', async () => {
    const pool = new GridPool(2);
    try {
      const first = await gridSearch(job, trials, { pool });
      expect(await gridSearch(job, trials, { pool })).toEqual(first);
      const other = simulateBars({ days: 5, seed: 9, regime: 'volatile' });
      const otherJob = { ...job, series: other, to: other.length };
      expect(await gridSearch(otherJob, trials.slice(0, 3), { pool })).toEqual(await gridSearch(otherJob, trials.slice(0, 3), { workers: 0 }));
    } finally {
      pool.close();
    }
  });

  test('a trial with its own settings runs with them: a tighter stop stops out more trades', async () => {
    const params = { lookback: 20, entry: 2, exit: 0.5 };
    const [wide, tight] = await gridSearch(job, [{ params, settings: { ...DEFAULT_ENGINE_SETTINGS, stopLossPerContract: 400 } }, { params, settings: { ...DEFAULT_ENGINE_SETTINGS, stopLossPerContract: 10 } }], { workers: 2 });
    const tightRun = runWithCurve({ series, strategy: zscoreStrategy, params, settings: { ...DEFAULT_ENGINE_SETTINGS, stopLossPerContract: 10 } });
    expect(tight!.metrics).toEqual(tightRun.result.metrics);
    expect(tightRun.result.trades.filter((t) => t.exitReason === 'stop').length).toBeGreaterThan(0);
    expect(tight!.metrics).not.toEqual(wide!.metrics);
  });

  test('an invalid parameter set fails the search with a message naming it', async () => {
    await expect(gridSearch(job, [{ params: { lookback: 1, entry: 2, exit: 0.5 } }], { workers: 1 })).rejects.toThrow(/lookback/);
  });
});
