import { describe, expect, test } from 'bun:test';
import { expandGrid, rankRows } from '../../src/backtest/grid.ts';
import { gridSearch } from '../../src/backtest/grid-search.ts';
import { runBacktest } from '../../src/backtest/run.ts';
import { foldRanges, walkForward } from '../../src/backtest/walkforward.ts';
import { sliceSeries } from '../../src/domain/bar.ts';
import { rollingZScoreTs } from '../../src/indicators/zscore-ts.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/settings.ts';
import { simulateBars } from '../../src/market/simulator.ts';
import { zscoreStrategy } from '../../src/strategy/zscore.ts';

describe('walk-forward', () => {
  test('folds are consecutive and cover the data; each splits train/test by the fraction', () => {
    expect(foldRanges(1000, 5, 0.7)).toEqual([
      { trainFrom: 0, trainTo: 140, testTo: 200 },
      { trainFrom: 200, trainTo: 340, testTo: 400 },
      { trainFrom: 400, trainTo: 540, testTo: 600 },
      { trainFrom: 600, trainTo: 740, testTo: 800 },
      { trainFrom: 800, trainTo: 940, testTo: 1000 },
    ]);
  });

  const series = simulateBars({ days: 30, seed: 5, regime: 'switching' });
  const paramSets = expandGrid({ lookback: [10, 20, 40], entry: [1.5, 2.5] }, zscoreStrategy.defaults);
  const spec = { strategy: 'zscore', paramSets, settings: DEFAULT_ENGINE_SETTINGS, folds: 3, train: 0.7, objective: 'sharpe' as const, minTrades: 5, workers: 2 };

  test('each fold picks the best training set and judges it on the following bars, warmed up on the bars before', async () => {
    const wf = await walkForward(series, spec);
    expect(wf.folds).toHaveLength(3);
    const ranges = foldRanges(series.length, 3, 0.7);
    for (const [k, fold] of wf.folds.entries()) {
      const r = ranges[k]!;
      const trainMetrics = await gridSearch({ series, strategy: 'zscore', settings: DEFAULT_ENGINE_SETTINGS, from: r.trainFrom, to: r.trainTo }, paramSets, { workers: 0 });
      const best = rankRows(paramSets.map((params, i) => ({ params, metrics: trainMetrics[i]! })), 'sharpe', 5)[0]!;
      expect(fold.params).toEqual(best.params);
      expect(fold.trainMetrics).toEqual(best.metrics);
      const test = runBacktest({ series, strategy: zscoreStrategy, params: best.params, settings: DEFAULT_ENGINE_SETTINGS, from: r.trainTo, to: r.testTo });
      expect(fold.testMetrics).toEqual(test.metrics);
      expect(fold.test.from).toBe(series.time[r.trainTo]!);
      for (const t of fold.testTrades) expect(t.entryTime).toBeGreaterThanOrEqual(series.time[r.trainTo]!);
    }
    const all = wf.folds.flatMap((f) => f.testTrades);
    expect(wf.aggregate.trades).toEqual(all);
    expect(wf.aggregate.metrics.netPnl).toBeCloseTo(all.reduce((a, t) => a + t.pnlCents, 0) / 100, 6);
  });

  test('warm-up: a test part starts with indicators filled from the bars before it', () => {
    const params = { lookback: 50, entry: 1.5, exit: 0.5 };
    const z = rollingZScoreTs(series.close, 50);
    let from = 5000;
    while (Math.abs(z[from]!) < 1.5) from++;
    const warmed = runBacktest({ series, strategy: zscoreStrategy, params, settings: DEFAULT_ENGINE_SETTINGS, from, to: from + 60 });
    expect(warmed.trades[0]!.entryTime).toBe(series.time[from + 1]!);
    const cold = runBacktest({ series: sliceSeries(series, from, from + 60), strategy: zscoreStrategy, params, settings: DEFAULT_ENGINE_SETTINGS });
    expect(cold.trades.every((t) => t.entryTime > series.time[from + 49]!)).toBe(true);
  });

  test('too many folds for the data is a clear error', async () => {
    await expect(walkForward(simulateBars({ days: 1, seed: 1, regime: 'sideways' }), { ...spec, folds: 2000 })).rejects.toThrow(/empty train or test part/);
  });
});
