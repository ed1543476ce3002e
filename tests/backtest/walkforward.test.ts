import { describe, expect, test } from 'bun:test';
import { runWithCurve, curveMaxDrawdown } from '../../src/backtest/curve.ts';
import { expandGrid, rankRows } from '../../src/backtest/grid.ts';
import { warmupStart } from '../../src/backtest/grid-job.ts';
import { gridSearch } from '../../src/backtest/grid-search.ts';
import { runBacktest } from '../../src/backtest/run.ts';
import { foldRanges, walkForward } from '../../src/backtest/walkforward.ts';
import { foldWarnings, MIN_TEST_SESSIONS } from '../../src/backtest/walkforward-warnings.ts';
import { sliceSeries } from '../../src/domain/bar.ts';
import { rollingZScoreTs } from '../../src/indicators/zscore-ts.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/settings.ts';
import { simulateBars } from '../../src/market/simulator.ts';
import { ColumnCache } from '../../src/strategy/types.ts';
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
  const points = expandGrid({ lookback: [10, 20, 40], entry: [1.5, 2.5] }, zscoreStrategy.defaults);
  const trials = points.map((params) => ({ params }));
  const spec = { strategy: 'zscore', points, trials, settings: DEFAULT_ENGINE_SETTINGS, folds: 3, train: 0.7, objective: 'sharpe' as const, minTrades: 5, workers: 2 };
  /** A part run as the walk-forward runs it: from its own bars, warmed on the bars just before. */
  const part = (from: number, to: number, params: typeof points[number]) => {
    const warm = warmupStart(from, zscoreStrategy.warmupBars(params));
    const s = sliceSeries(series, warm, to);
    return runWithCurve({ series: s, strategy: zscoreStrategy, params, settings: DEFAULT_ENGINE_SETTINGS, from: from - warm, to: to - warm, cache: new ColumnCache(s) }).result;
  };

  test('each fold picks the best training set and judges it on the following bars', async () => {
    const wf = await walkForward(series, spec);
    expect(wf.folds).toHaveLength(3);
    const ranges = foldRanges(series.length, 3, 0.7);
    for (const [k, fold] of wf.folds.entries()) {
      const r = ranges[k]!;
      const warmFrom = warmupStart(r.trainFrom, 40);
      const train = await gridSearch({ series, strategy: 'zscore', settings: DEFAULT_ENGINE_SETTINGS, from: r.trainFrom, to: r.trainTo, warmFrom }, trials, { workers: 0 });
      const best = rankRows(points.map((params, i) => ({ params, metrics: train[i]!.metrics })), 'sharpe', 5)[0]!;
      expect(fold.params).toEqual(best.params);
      expect(fold.trainMetrics).toEqual(best.metrics);
      expect(fold.testMetrics).toEqual(part(r.trainTo, r.testTo, best.params).metrics);
      expect(fold.test.from).toBe(series.time[r.trainTo]!);
      for (const t of fold.testTrades) expect(t.entryTime).toBeGreaterThanOrEqual(series.time[r.trainTo]!);
    }
    const all = wf.folds.flatMap((f) => f.testTrades);
    expect(wf.aggregate.trades).toEqual(all);
    expect(wf.aggregate.metrics.netPnl).toBeCloseTo(all.reduce((a, t) => a + t.pnlCents, 0) / 100, 6);
    // The chained curve starts at the initial capital and its drawdown is the aggregate's.
    expect(wf.curve[0]!.equity).toBe(DEFAULT_ENGINE_SETTINGS.initialCapital);
    expect(curveMaxDrawdown(wf.curve)).toBeCloseTo(wf.aggregate.metrics.maxDrawdown, 6);
    expect(wf.curve.at(-1)!.equity).toBeCloseTo(DEFAULT_ENGINE_SETTINGS.initialCapital + wf.aggregate.metrics.netPnl, 6);
  });

  test('a part warmed on the bars just before it decides as one warmed on every bar before it', () => {
    const params = { lookback: 40, entry: 1.5, exit: 0.5 };
    const from = Math.floor(series.length / 2);
    const full = runBacktest({ series, strategy: zscoreStrategy, params, settings: DEFAULT_ENGINE_SETTINGS, from, to: from + 3000 });
    expect(part(from, from + 3000, params).trades).toEqual(full.trades);
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

  test('folds with few test sessions are flagged, and folds that chose nothing are counted', async () => {
    const wf = await walkForward(series, { ...spec, folds: 10, minTrades: 1_000_000 });
    expect(wf.foldsWithoutChoice).toBe(10);
    expect(wf.folds.every((f) => f.params === null && f.warnings!.some((w) => w.includes('nothing was tested')))).toBe(true);
    const few = await walkForward(series, { ...spec, folds: 10 });
    for (const f of few.folds.filter((x) => x.params !== null)) {
      expect(f.testSessions!).toBeLessThan(MIN_TEST_SESSIONS);
      expect(f.warnings!.some((w) => w.includes(`session`) && w.includes('sharpe is not meaningful'))).toBe(true);
    }
  });

  test('warnings by hand: enough sessions and trades give none; too few trades is named with the minimum', () => {
    const m = { trades: 3 } as never;
    const ok = { fold: 2, params: { lookback: 20 }, testMetrics: { trades: 40 } as never, testSessions: 25, testHalted: false, testSessionsHalted: 0 };
    expect(foldWarnings(ok, 'sharpe', 30)).toEqual([]);
    expect(foldWarnings({ ...ok, testMetrics: m }, 'netPnl', 30)).toEqual(['fold 2: test part has 3 trades (< 30, the minimum used in training)']);
    expect(foldWarnings({ ...ok, testSessions: 1 }, 'netPnl', 30)).toEqual([]);
    expect(foldWarnings({ ...ok, testHalted: true }, 'sharpe', 30)).toEqual(['fold 2: a halt stopped trading before the test part ended']);
  });

  test('too many folds for the data is a clear error', async () => {
    await expect(walkForward(simulateBars({ days: 1, seed: 1, regime: 'sideways' }), { ...spec, folds: 2000 })).rejects.toThrow(/empty train or test part/);
  });
});
