import { describe, expect, test } from 'bun:test';
import { runReport } from '../../src/research/run-report.ts';
import { seriesFromBars } from '../../src/domain/bar.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/settings.ts';
import { StoredRunCorruptError } from '../../src/store/runs.ts';
import { backtest, equity, fold, metrics, T0, trade } from './builders.ts';
import { useTempStore } from './temp-store.ts';

const t = useTempStore();
const series = seriesFromBars(Array.from({ length: 30 }, (_, i) => ({ time: T0 + i * 60_000, open: 5000, high: 5001, low: 4999, close: 5000, volume: 1 })));
const HALTS = { halts: [{ time: T0 + 5 * 60_000, reason: 'drawdown' as const, detail: 'equity 9000.00 is 1000.00 below peak 10000.00', clearedAt: null }], sessionsHalted: 2, haltedToEnd: true };
const report = (over: Partial<Parameters<typeof runReport>[0]> = {}) =>
  runReport({ series, from: 0, to: 30, trades: [trade(), trade({ pnlCents: -2001 })], settings: DEFAULT_ENGINE_SETTINGS, halts: HALTS, dailyPnl: [5, -20], seed: 3, ...over });
const ctx = { settings: {}, dataSource: 'simulated', createdAt: T0 };

describe('run reports in the store', () => {
  test('a backtest saved with its report and per-bar curve reads back whole; the list shows it halted', () => {
    const r = report();
    const curve = equity(5000);
    const id = t.repos.runs.saveBacktest({ ...ctx, result: backtest(), report: r, curve });
    const run = t.repos.runs.getRun(id)!;
    expect(run.report).toEqual(JSON.parse(JSON.stringify(r)));
    expect(run.equity.length).toBeLessThanOrEqual(2000);
    expect(run.equity[0]).toEqual(curve[0]!);
    const [summary] = t.repos.runs.listRuns({ limit: 10 });
    expect(summary).toMatchObject({ id, halted: true, sessionsHalted: 2, paramsText: 'lookback=20 entryZ=2.5' });
  });

  test('a run saved without a report keeps the bare equity array, reads back with no report, halted unknown', () => {
    const id = t.repos.runs.saveBacktest({ ...ctx, result: backtest() });
    const raw = t.store.db.query<{ e: string }, [number]>('SELECT equity_json AS e FROM runs WHERE id = ?').get(id)!.e;
    expect(Array.isArray(JSON.parse(raw))).toBe(true);
    expect(t.repos.runs.getRun(id)!.report).toBeNull();
    expect(t.repos.runs.listRuns({ limit: 1 })[0]).toMatchObject({ halted: null, sessionsHalted: null });
  });

  test("an optimisation's rows carry their halts; a walk-forward's folds their sessions and warnings", () => {
    const rows = [
      { params: { lookback: 10 }, metrics: metrics({ trades: 40 }), rank: 1, halted: false, sessionsHalted: 0 },
      { params: { lookback: 20 }, metrics: metrics({ trades: 35 }), rank: 2, halted: true, sessionsHalted: 4 },
    ];
    const span = { strategy: 'zscore', objective: 'sharpe' as const, bars: 30, from: T0, to: T0 + 29 * 60_000 };
    const opt = t.repos.runs.saveOptimization({ ...ctx, ...span, gridSpec: {}, minTrades: 30, rows, best: backtest(), report: report() });
    expect(t.repos.runs.getGridRows(opt).map((r) => [r.halted, r.sessionsHalted])).toEqual([[false, 0], [true, 4]]);
    const folds = [fold(1, { testSessions: 3, testHalted: false, testSessionsHalted: 1, warnings: ['fold 1: test part has 3 sessions (< 20); its sharpe is not meaningful'] }), fold(2)];
    const wf = t.repos.runs.saveWalkForward({ ...ctx, ...span, spec: { folds: 2 }, folds, aggregate: { metrics: metrics(), equity: equity(3) }, report: report({ warnings: ['w'] }) });
    const back = t.repos.runs.getFolds(wf);
    expect(back[0]).toMatchObject({ testSessions: 3, testHalted: false, testSessionsHalted: 1, warnings: [folds[0]!.warnings![0]] });
    expect(back[1]).toMatchObject({ testSessions: 0, warnings: [] });
    expect(t.repos.runs.getRun(wf)!.report!.warnings).toEqual(['w']);
  });

  test('a damaged report names the run and the column', () => {
    const id = t.repos.runs.saveBacktest({ ...ctx, result: backtest(), report: report() });
    t.store.db.run(`UPDATE runs SET equity_json = json_set(equity_json, '$.report.halts.sessionsHalted', 'many') WHERE id = ${id}`);
    expect(() => t.repos.runs.getRun(id)).toThrow(StoredRunCorruptError);
    expect(() => t.repos.runs.getRun(id)).toThrow(`run ${id}: column equity_json is unreadable`);
  });
});
