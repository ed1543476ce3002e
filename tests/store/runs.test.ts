import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GridRow } from '../../src/domain/research.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { RunsRepository, StoredRunCorruptError, type SaveBacktestInput } from '../../src/store/runs.ts';
import { backtest, equity, fold, metrics, T0, tempDir, trade, trades } from './builders.ts';

const SETTINGS = { contracts: 1, stopLossPerContract: 200, commissionPerContract: 0.62 };

let dir: string;
let file: string;
let store: Store;
let repo: RunsRepository;

function reopen(): void {
  store.close();
  store = openStore(file);
  repo = new RunsRepository(store);
}

function count(table: string): number {
  return store.db.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
}

function saveBacktest(overrides: Partial<SaveBacktestInput> = {}): number {
  return repo.saveBacktest({ result: backtest(), settings: SETTINGS, dataSource: 'simulated seed=7 days=20', createdAt: T0, ...overrides });
}

const gridRows: GridRow[] = [
  { params: { lookback: 10 }, metrics: metrics({ sharpe: 0.5, netPnl: 100.05, trades: 40 }), rank: 2 },
  { params: { lookback: 20 }, metrics: metrics({ sharpe: 1.5, netPnl: -20.1, trades: 35 }), rank: 1 },
  { params: { lookback: 30 }, metrics: metrics({ sharpe: null, netPnl: 0, trades: 2 }), rank: null },
];

beforeEach(() => {
  dir = tempDir();
  file = path.join(dir, 'research.db');
  store = openStore(file);
  repo = new RunsRepository(store);
});

afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a saved backtest', () => {
  test('reads back exactly, cents included', () => {
    const result = backtest({
      trades: [
        trade({ pnlCents: 501, commissionCents: 124 }),
        trade({ side: 'short', exitReason: 'stop', pnlCents: -987_654_321, commissionCents: 248, qty: 2, entryPrice: 4999.75 }),
      ],
      metrics: metrics({ netPnl: -9_876_543.2, sortino: null, profitFactor: null }),
    });

    const id = repo.saveBacktest({ result, settings: SETTINGS, dataSource: 'data/mes.csv', createdAt: T0, note: 'first try' });
    reopen();
    const run = repo.getRun(id);

    expect(run).toMatchObject({
      id,
      kind: 'backtest',
      createdAt: T0,
      strategy: 'zscore',
      bars: result.run.bars,
      from: result.run.from,
      to: result.run.to,
      objective: null,
      status: 'done',
      note: 'first try',
      dataSource: 'data/mes.csv',
      tradeCount: 2,
    });
    if (run?.kind !== 'backtest') throw new Error('expected a backtest');
    expect(run.params).toEqual(result.run.params);
    expect(run.settings).toEqual(SETTINGS);
    expect(run.metrics).toEqual(result.metrics);
    expect(run.metrics?.sortino).toBeNull();
    expect(run.equity).toEqual([...result.equity]);
    const stored = repo.getRunTrades(id, { limit: 10 });
    expect(stored).toEqual(result.trades.map((t, seq) => ({ ...t, seq, fold: null })));
  });

  test('money columns hold SQL integers', () => {
    const id = saveBacktest();
    const types = store.db
      .query<{ p: string; c: string }, [number]>('SELECT DISTINCT typeof(pnl_cents) AS p, typeof(commission_cents) AS c FROM run_trades WHERE run_id = ?')
      .all(id);
    expect(types).toEqual([{ p: 'integer', c: 'integer' }]);
  });

  test('an unknown id reads as null and empty lists', () => {
    expect(repo.getRun(999)).toBeNull();
    expect(repo.getRunTrades(999, { limit: 5 })).toEqual([]);
    expect(repo.getGridRows(999)).toEqual([]);
    expect(repo.getFolds(999)).toEqual([]);
  });

  test('a long equity curve is thinned to 2000 points with its ends kept', () => {
    const long = equity(5000);
    const id = saveBacktest({ result: backtest({ equity: long }) });
    const stored = repo.getRun(id)!.equity;
    expect(stored.length).toBeLessThanOrEqual(2000);
    expect(stored[0]).toEqual(long[0]!);
    expect(stored.at(-1)).toEqual(long.at(-1)!);
  });
});

describe('a saved grid search', () => {
  const base = { strategy: 'zscore', gridSpec: { lookback: [10, 20, 30] }, objective: 'sharpe' as const, minTrades: 30, settings: SETTINGS, dataSource: 'simulated seed=7 days=20', bars: 4680, from: T0, to: T0 + 86_400_000, createdAt: T0 };

  test('keeps the rows, the best run and its trades', () => {
    const best = backtest({ run: { strategy: 'zscore', params: { lookback: 20 }, bars: 4680, from: T0, to: T0 + 1 }, trades: trades(4) });
    const id = repo.saveOptimization({ ...base, rows: gridRows, best });
    reopen();

    const run = repo.getRun(id);
    if (run?.kind !== 'optimize') throw new Error('expected an optimization');
    expect(run.gridSpec).toEqual(base.gridSpec);
    expect(run.minTrades).toBe(30);
    expect(run.bestParams).toEqual({ lookback: 20 });
    expect(run.objective).toBe('sharpe');
    expect(run.metrics).toEqual(best.metrics);
    expect(run.tradeCount).toBe(4);
    expect(repo.getGridRows(id)).toEqual(gridRows.map((r, seq) => ({ ...r, seq })));
  });

  test('sorts rows by rank, sharpe or net P&L with the unranked last', () => {
    const id = repo.saveOptimization({ ...base, rows: gridRows, best: null });
    expect(repo.getGridRows(id, 'rank').map((r) => r.seq)).toEqual([1, 0, 2]);
    expect(repo.getGridRows(id, 'sharpe').map((r) => r.seq)).toEqual([1, 0, 2]);
    expect(repo.getGridRows(id, 'netPnl').map((r) => r.seq)).toEqual([0, 2, 1]);
    const cents = store.db.query<{ c: number }, [number]>('SELECT net_pnl_cents AS c FROM run_grid_rows WHERE run_id = ? ORDER BY seq').all(id);
    expect(cents.map((r) => r.c)).toEqual([10_005, -2_010, 0]);
  });

  test('with no qualifying set has null metrics, no equity and no trades', () => {
    const id = repo.saveOptimization({ ...base, rows: gridRows, best: null });
    const run = repo.getRun(id);
    if (run?.kind !== 'optimize') throw new Error('expected an optimization');
    expect(run.metrics).toBeNull();
    expect(run.bestParams).toBeNull();
    expect(run.equity).toEqual([]);
    expect(run.tradeCount).toBe(0);
    expect(repo.listRuns({ limit: 1 })[0]?.metrics).toBeNull();
  });
});

describe('a saved walk-forward', () => {
  const folds = [fold(0), fold(1, { params: null, trainMetrics: null, testMetrics: null, testTrades: [] }), fold(2)];
  const save = () =>
    repo.saveWalkForward({
      strategy: 'zscore',
      spec: { folds: 3, trainDays: 5, testDays: 2, grid: { lookback: [20, 21, 22] } },
      objective: 'netPnl',
      folds,
      aggregate: { metrics: metrics({ netPnl: 7.77 }), equity: equity(6), trades: folds.flatMap((f) => f.testTrades) },
      settings: SETTINGS,
      dataSource: 'simulated seed=7 days=30',
      bars: 9000,
      from: T0,
      to: T0 + 30 * 86_400_000,
      createdAt: T0,
    });

  test('keeps the folds, null metrics and params included', () => {
    const id = save();
    reopen();

    expect(repo.getFolds(id)).toEqual(
      folds.map(({ testTrades, ...f }) => ({ ...f, testTradeCount: testTrades.length })),
    );
    const run = repo.getRun(id);
    if (run?.kind !== 'walkforward') throw new Error('expected a walk-forward');
    expect(run.spec).toEqual({ folds: 3, trainDays: 5, testDays: 2, grid: { lookback: [20, 21, 22] } });
    expect(run.metrics?.netPnl).toBe(7.77);
    expect(run.tradeCount).toBe(2 + 0 + 4);
  });

  test('numbers trades across folds and pages one fold at a time', () => {
    const id = save();
    const third = repo.getRunTrades(id, { limit: 10, fold: 2 });
    expect(third.map((t) => t.seq)).toEqual([2, 3, 4, 5]);
    expect(third.map(({ seq: _s, fold: _f, ...t }) => t)).toEqual([...folds[2]!.testTrades]);
    expect(repo.getRunTrades(id, { limit: 2, offset: 1, fold: 2 }).map((t) => t.seq)).toEqual([3, 4]);
    expect(repo.getRunTrades(id, { limit: 10, fold: 1 })).toEqual([]);
  });
});

describe('listing runs', () => {
  test('newest first, paged, optionally by kind', () => {
    const ids = [3, 1, 2].map((minute) => saveBacktest({ createdAt: T0 + minute * 60_000 }));
    const opt = repo.saveOptimization({
      strategy: 'rsi', gridSpec: {}, objective: 'sharpe', minTrades: 1, rows: [], best: null,
      settings: SETTINGS, dataSource: 'x', bars: 1, from: T0, to: T0, createdAt: T0 + 10 * 60_000,
    });

    expect(repo.listRuns({ limit: 10 }).map((r) => r.id)).toEqual([opt, ids[0]!, ids[2]!, ids[1]!]);
    expect(repo.listRuns({ limit: 2, offset: 1 }).map((r) => r.id)).toEqual([ids[0]!, ids[2]!]);
    expect(repo.listRuns({ limit: 10, kind: 'backtest' }).map((r) => r.id)).toEqual([ids[0]!, ids[2]!, ids[1]!]);
    expect(repo.countRuns()).toBe(4);
    expect(repo.countRuns('optimize')).toBe(1);
    expect(repo.listRuns({ limit: 1 })[0]).toMatchObject({ kind: 'optimize', strategy: 'rsi', metrics: null });
  });

  test('runs saved in the same millisecond page without repeats', () => {
    const ids = Array.from({ length: 5 }, () => saveBacktest());
    const pages = [0, 2, 4].flatMap((offset) => repo.listRuns({ limit: 2, offset }).map((r) => r.id));
    expect(pages).toEqual([...ids].reverse());
  });

  test('a bad page is refused with the value in the message', () => {
    expect(() => repo.listRuns({ limit: -1 })).toThrow('limit must be a whole number ≥ 0, got -1');
    expect(() => repo.getRunTrades(1, { limit: 5, offset: 1.5 })).toThrow('got 1.5');
  });
});

describe('paging trades', () => {
  test('returns the requested slice in saved order', () => {
    const all = trades(25);
    const id = saveBacktest({ result: backtest({ trades: all }) });
    const page = repo.getRunTrades(id, { limit: 10, offset: 20 });
    expect(page.map((t) => t.seq)).toEqual([20, 21, 22, 23, 24]);
    expect(page[0]).toMatchObject({ entryTime: all[20]!.entryTime, pnlCents: all[20]!.pnlCents });
  });
});

describe('deleting a run', () => {
  test('cascades to its trades, grid rows and folds and leaves other runs alone', () => {
    const keep = saveBacktest();
    const opt = repo.saveOptimization({
      strategy: 'zscore', gridSpec: {}, objective: 'sharpe', minTrades: 1, rows: gridRows, best: backtest({ trades: trades(3) }),
      settings: SETTINGS, dataSource: 'x', bars: 1, from: T0, to: T0, createdAt: T0,
    });
    const wf = repo.saveWalkForward({
      strategy: 'zscore', spec: {}, objective: 'sharpe', folds: [fold(0), fold(1)], aggregate: { metrics: metrics(), equity: [] },
      settings: SETTINGS, dataSource: 'x', bars: 1, from: T0, to: T0, createdAt: T0,
    });

    expect(repo.deleteRun(opt)).toBe(true);
    expect(repo.deleteRun(wf)).toBe(true);
    expect(repo.deleteRun(wf)).toBe(false);

    expect(count('runs')).toBe(1);
    expect(count('run_grid_rows')).toBe(0);
    expect(count('run_folds')).toBe(0);
    expect(count('run_trades')).toBe(2);
    expect(repo.getRun(keep)?.tradeCount).toBe(2);
  });
});

describe('a save that fails midway', () => {
  test('leaves no run and no trades behind', () => {
    saveBacktest();
    const bad = backtest({ trades: [...trades(500), trade({ pnlCents: 12.5 })] });

    expect(() => saveBacktest({ result: bad })).toThrow();

    expect(count('runs')).toBe(1);
    expect(count('run_trades')).toBe(2);
  });

  test('a walk-forward whose last fold repeats a fold number leaves nothing', () => {
    expect(() =>
      repo.saveWalkForward({
        strategy: 'zscore', spec: {}, objective: 'sharpe', folds: [fold(0), fold(1), fold(1)], aggregate: { metrics: metrics(), equity: [] },
        settings: SETTINGS, dataSource: 'x', bars: 1, from: T0, to: T0, createdAt: T0,
      }),
    ).toThrow();
    expect([count('runs'), count('run_folds'), count('run_trades')]).toEqual([0, 0, 0]);
  });

  test('a metric JSON cannot hold is refused before anything is written', () => {
    expect(() => saveBacktest({ result: backtest({ metrics: metrics({ profitFactor: Number.POSITIVE_INFINITY }) }) })).toThrow(
      'cannot store Infinity in metrics_json (key "profitFactor")',
    );
    expect(count('runs')).toBe(0);
  });
});

describe('a corrupted row', () => {
  test('names the run and the column instead of failing deep in a page', () => {
    const id = saveBacktest();
    store.db.run('UPDATE runs SET metrics_json = ? WHERE id = ?', ['{"trades": "many"}', id]);

    const fromList = () => repo.listRuns({ limit: 5 });
    expect(fromList).toThrow(StoredRunCorruptError);
    expect(fromList).toThrow(`run ${id}: column metrics_json is unreadable`);
  });

  test('unparseable JSON is reported the same way', () => {
    const id = saveBacktest();
    store.db.run('UPDATE runs SET equity_json = ? WHERE id = ?', ['[{"time": 1,', id]);
    expect(() => repo.getRun(id)).toThrow(`run ${id}: column equity_json is unreadable (not JSON`);
  });
});

describe('a large run', () => {
  test('100,000 trades round-trip through a real file', () => {
    const many = trades(100_000);

    const id = saveBacktest({ result: backtest({ trades: many }) });
    reopen();

    expect(repo.getRun(id)?.tradeCount).toBe(100_000);
    const tail = repo.getRunTrades(id, { limit: 3, offset: 99_997 });
    expect(tail).toEqual(many.slice(99_997).map((t, i) => ({ ...t, seq: 99_997 + i, fold: null })));
  });
});
