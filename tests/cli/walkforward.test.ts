import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import type { walkForwardJson } from '../../src/backtest/report.ts';
import { runWithCurve } from '../../src/backtest/curve.ts';
import { warmupStart } from '../../src/backtest/grid-job.ts';
import { sliceSeries } from '../../src/domain/bar.ts';
import { foldRanges } from '../../src/backtest/walkforward.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/settings.ts';
import { simulateBars } from '../../src/market/simulator.ts';
import { openStore } from '../../src/store/db.ts';
import { RunsRepository } from '../../src/store/runs.ts';
import { getStrategy } from '../../src/strategy/registry.ts';
import { expectUsageError, ISO_UTC, METRIC_KEYS, onlyJson, runCli, scratch, type CliResult } from './helpers.ts';

type WalkForwardDoc = ReturnType<typeof walkForwardJson>;

const tmp = scratch('walkforward-cli');
afterAll(() => tmp.remove());

const ARGS = ['--folds', '3', '--train', '0.7', '--days', '15', '--grid', 'lookback=10,20'];

describe('bun run walkforward --json', () => {
  const db = tmp.path('wf.db');
  let result: CliResult;
  let doc: WalkForwardDoc;
  beforeAll(async () => {
    result = await runCli('walkforward', [...ARGS, '--json', '--workers', '2', '--set', `store.path=${db}`]);
    doc = JSON.parse(result.stdout) as WalkForwardDoc;
  });

  test('prints one JSON document: run, 3 folds with params and train/test metrics, an aggregate', () => {
    expect(onlyJson<WalkForwardDoc>(result)).toEqual(doc);
    expect(Object.keys(doc)).toEqual(['run', 'folds', 'aggregate', 'foldsWithoutChoice', 'halted', 'sessionsHalted', 'halts', 'breakdowns', 'monteCarlo', 'warnings']);
    expect(doc.run).toMatchObject({ strategy: 'zscore', objective: 'sharpe', folds: 3, train: 0.7, bars: 15 * 23 * 60 - 4 * 60 }); // MLK Day 2026-01-19 halts at 13:00
    expect(doc.folds.map((f) => f.fold)).toEqual([1, 2, 3]);
    for (const f of doc.folds) {
      expect(Object.keys(f)).toEqual(['fold', 'train', 'test', 'params', 'trainMetrics', 'testMetrics', 'testSessions', 'halted', 'sessionsHalted', 'warnings']);
      expect([10, 20]).toContain(f.params!.lookback!);
      expect(f.params).toMatchObject({ entry: 2, exit: 0.5 });
      expect(Object.keys(f.trainMetrics!)).toEqual(METRIC_KEYS);
      expect(Object.keys(f.testMetrics!)).toEqual(METRIC_KEYS);
      for (const t of [f.train.from, f.train.to, f.test.from, f.test.to]) expect(t).toMatch(ISO_UTC);
      // 20,460 bars / 3 = 6,820 per fold; the first 70 % (4,774) train, the rest (2,046) test
      expect(f.train.bars).toBe(4774);
      expect(f.test.bars).toBe(2046);
      expect(f.train.to < f.test.from).toBe(true);
    }
  });

  test("the aggregate's trades are the folds' test trades, fold after fold", () => {
    const perFold = doc.folds.map((f) => f.testMetrics!.trades);
    expect(doc.aggregate.trades).toHaveLength(perFold.reduce((a, b) => a + b, 0));
    expect(doc.aggregate.metrics.trades).toBe(doc.aggregate.trades.length);
    let k = 0;
    doc.folds.forEach((f, i) => {
      const mine = doc.aggregate.trades.slice(k, k + perFold[i]!);
      k += perFold[i]!;
      for (const t of mine) {
        expect(t.entryTime >= f.test.from && t.exitTime <= f.test.to).toBe(true);
      }
      const cents = mine.reduce((a, t) => a + Math.round(t.pnl * 100), 0);
      expect(cents / 100).toBe(f.testMetrics!.netPnl);
    });
    const total = doc.folds.reduce((a, f) => a + Math.round(f.testMetrics!.netPnl * 100), 0);
    expect(Math.round(doc.aggregate.metrics.netPnl * 100)).toBe(total);
  });

  test("each fold's test metrics equal a backtest of its test part with the chosen params, warmed on the bars just before", () => {
    // The CLI's simulated bars: the config's sim defaults (seed 7, switching, 5000).
    const series = simulateBars({ days: 15, seed: 7, regime: 'switching', startPrice: 5000 });
    const ranges = foldRanges(series.length, 3, 0.7);
    doc.folds.forEach((f, i) => {
      const r = ranges[i]!;
      const warm = warmupStart(r.trainTo, f.params!.lookback!);
      const s = sliceSeries(series, warm, r.testTo);
      const part = runWithCurve({ series: s, strategy: getStrategy('zscore'), params: f.params!, settings: DEFAULT_ENGINE_SETTINGS, from: r.trainTo - warm, to: r.testTo - warm }).result;
      expect(JSON.parse(JSON.stringify(part.metrics))).toEqual(f.testMetrics);
      expect(new Date(series.time[r.trainTo]!).toISOString()).toBe(f.test.from);
    });
  });

  test('the walk-forward is saved with its folds and their test trades', () => {
    const store = openStore(db);
    try {
      const runs = new RunsRepository(store);
      const list = runs.listRuns({ kind: 'walkforward', limit: 10 });
      expect(list).toHaveLength(1);
      const folds = runs.getFolds(list[0]!.id);
      expect(folds.map((f) => f.testTradeCount)).toEqual(doc.folds.map((f) => f.testMetrics!.trades));
      expect(list[0]!.metrics).toEqual(doc.aggregate.metrics);
    } finally {
      store.close();
    }
  });
});

describe('bun run walkforward: output and errors', () => {
  test('without --json, tables go to stdout and stderr stays empty (no progress on a pipe)', async () => {
    const r = await runCli('walkforward', [...ARGS, '--no-save']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Out-of-sample aggregate');
  });

  test('more folds than the bars can fill → exit code 2 and one line naming the empty fold, not a crash', async () => {
    const csv = tmp.path('three-bars.csv');
    const rows = ['14:30', '14:31', '14:32'].map((hm) => `2026-01-05T${hm}:00Z,5000,5000.25,5000,5000.25,10`);
    await Bun.write(csv, ['time,open,high,low,close,volume', ...rows, ''].join('\n'));
    const db = tmp.path('never.db');
    expectUsageError(await runCli('walkforward', ['--data', csv, '--folds', '3', '--json', '--set', `store.path=${db}`]), 'fold 1 has an empty train or test part', '--folds 3');
    expect(existsSync(db)).toBe(false);
  });

  for (const [args, fragment] of [
    [['--folds', '0'], "--folds must be an integer from 1 to 100, got '0'"],
    [['--train', '0.99'], "--train must be a number from 0.1 to 0.95, got '0.99'"],
    [['--objective', 'bogus'], "--objective must be one of sharpe, sortino, netPnl, profitFactor, expectancy, got 'bogus'"],
  ] as const) {
    test(`${args.join(' ')} → exit code 2 and one line naming it`, async () => {
      expectUsageError(await runCli('walkforward', [...args, '--days', '1', '--json', '--no-save']), fragment);
    });
  }
});
