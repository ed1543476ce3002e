import { afterAll, describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { backtestJson } from '../../src/backtest/report.ts';
import { runBacktest } from '../../src/backtest/run.ts';
import { runWithCurve } from '../../src/backtest/curve.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/settings.ts';
import { readBarsCsv } from '../../src/market/csv.ts';
import { openStore } from '../../src/store/db.ts';
import { RunsRepository } from '../../src/store/runs.ts';
import { getStrategy } from '../../src/strategy/registry.ts';
import { expectUsageError, isDollars, ISO_UTC, METRIC_KEYS, onlyJson, runCli, scratch } from './helpers.ts';

type BacktestDoc = ReturnType<typeof backtestJson>;

const tmp = scratch('backtest-cli');
afterAll(() => tmp.remove());

const EXIT_REASONS = ['signal', 'stop', 'target', 'max_hold', 'daily_loss', 'drawdown', 'end_of_data'];

describe('bun run backtest --json', () => {
  test('prints exactly one JSON document in the README contract', async () => {
    const doc = onlyJson<BacktestDoc>(await runCli('backtest', ['--days', '2', '--json', ...tmp.store('contract.db')]));
    expect(Object.keys(doc)).toEqual(['run', 'metrics', 'trades', 'halted', 'sessionsHalted', 'halts', 'breakdowns', 'monteCarlo', 'warnings']);
    expect(Object.keys(doc.run)).toEqual(['strategy', 'params', 'bars', 'from', 'to']);
    expect(doc.run).toMatchObject({ strategy: 'zscore', params: { lookback: 20, entry: 2, exit: 0.5 }, bars: 2760, from: '2026-01-04T23:00:00.000Z' });
    expect(doc.run.to).toMatch(ISO_UTC);
    expect(Object.keys(doc.metrics)).toEqual(METRIC_KEYS);
    const m = doc.metrics;
    expect(m.trades).toBe(doc.trades.length);
    expect(m.trades).toBeGreaterThan(10);
    for (const v of [m.netPnl, m.grossProfit, m.grossLoss, m.expectancy, m.maxDrawdown]) expect(isDollars(v)).toBe(true);
    // winRate is a fraction of the trades with P&L > 0
    expect(m.winRate).toBe(doc.trades.filter((t) => t.pnl > 0).length / m.trades);
    // maxDrawdownPct is in percent of a peak between the initial $10,000 and $10,000 + gross profit
    expect(m.maxDrawdown).toBeGreaterThan(0);
    expect(m.maxDrawdownPct).toBeLessThanOrEqual((m.maxDrawdown / 10_000) * 100);
    expect(m.maxDrawdownPct).toBeGreaterThanOrEqual((m.maxDrawdown / (10_000 + m.grossProfit)) * 100);
    const cents = doc.trades.reduce((a, t) => a + Math.round(t.pnl * 100), 0);
    expect(cents / 100).toBe(m.netPnl);
    for (const t of doc.trades) {
      expect(Object.keys(t)).toEqual(['side', 'qty', 'entryTime', 'entryPrice', 'exitTime', 'exitPrice', 'exitReason', 'commission', 'pnl']);
      expect(t.entryTime).toMatch(ISO_UTC);
      expect(t.exitTime).toMatch(ISO_UTC);
      expect(EXIT_REASONS).toContain(t.exitReason);
      expect(t.commission).toBe(1.24);
      expect(isDollars(t.pnl)).toBe(true);
    }
  });

  test('with no trades, the undefined metrics are null', async () => {
    // |z| of a 20-bar window never exceeds √19 ≈ 4.4, so entry 100 never trades
    const doc = onlyJson<BacktestDoc>(await runCli('backtest', ['--days', '1', '--param', 'entry=100', '--param', 'exit=0', '--json', '--no-save']));
    expect(doc.trades).toEqual([]);
    expect(doc.metrics).toEqual({
      trades: 0, winRate: null, netPnl: 0, grossProfit: 0, grossLoss: 0, profitFactor: null, expectancy: null,
      maxDrawdown: 0, maxDrawdownPct: 0, sharpe: null, sortino: null, avgHoldMinutes: null,
    });
  });

  test('on a CSV written by simulate, equals runBacktest in-process with the README defaults, and is saved in SQLite', async () => {
    const csv = tmp.path('bars.csv');
    const sim = await runCli('simulate', ['--days', '2', '--seed', '5', '--out', csv, '--json']);
    expect(sim.code).toBe(0);
    const db = tmp.path('saved.db');
    const doc = onlyJson<BacktestDoc>(await runCli('backtest', ['--data', csv, '--json', '--set', `store.path=${db}`]));

    const expected = runWithCurve({ series: await readBarsCsv(csv), strategy: getStrategy('zscore'), params: { lookback: 20, entry: 2, exit: 0.5 }, settings: DEFAULT_ENGINE_SETTINGS }).result;
    const { run, metrics, trades } = doc;
    expect({ run, metrics, trades }).toEqual(JSON.parse(JSON.stringify(backtestJson(expected))));
    // The same trades as the engine's own replay; only the drawdown also counts the final close's commission.
    expect(trades.length).toBe(runBacktest({ series: await readBarsCsv(csv), strategy: getStrategy('zscore'), params: { lookback: 20, entry: 2, exit: 0.5 }, settings: DEFAULT_ENGINE_SETTINGS }).trades.length);

    const store = openStore(db);
    try {
      const runs = new RunsRepository(store);
      const list = runs.listRuns({ kind: 'backtest', limit: 10 });
      expect(list).toHaveLength(1);
      const saved = runs.getRun(list[0]!.id)!;
      expect(saved).toMatchObject({ kind: 'backtest', strategy: 'zscore', bars: doc.run.bars, dataSource: csv, params: doc.run.params, tradeCount: doc.trades.length });
      expect(saved.metrics).toEqual(doc.metrics);
      expect(new Date(saved.from).toISOString()).toBe(doc.run.from);
      expect(runs.getRunTrades(saved.id, { limit: 10_000 }).map((t) => t.pnlCents / 100)).toEqual(doc.trades.map((t) => t.pnl));
    } finally {
      store.close();
    }
  });

  test('--no-save stores nothing', async () => {
    const db = tmp.path('never.db');
    const r = await runCli('backtest', ['--days', '1', '--json', '--no-save', '--set', `store.path=${db}`]);
    expect(onlyJson<BacktestDoc>(r).metrics.trades).toBeGreaterThan(0);
    expect(existsSync(db)).toBe(false);
  });

  test('--strategy rsi --param period=14 runs RSI with the other parameters at their defaults', async () => {
    const doc = onlyJson<BacktestDoc>(await runCli('backtest', ['--days', '2', '--strategy', 'rsi', '--param', 'period=14', '--json', '--no-save']));
    expect(doc.run.strategy).toBe('rsi');
    expect(doc.run.params).toEqual({ period: 14, oversold: 30, overbought: 70, exitLevel: 50 });
    expect(doc.metrics.trades).toBeGreaterThan(0);
  });

  test('without --json it prints the metrics table and where the run was saved; stderr stays empty', async () => {
    const r = await runCli('backtest', ['--days', '1', ...tmp.store('text.db')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Net P&L');
    expect(r.stdout).toContain(`saved as run #1 in ${tmp.path('text.db')}`);
  });

  test('--help prints the options and exits 0', async () => {
    const r = await runCli('backtest', ['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Usage: bun run backtest');
    for (const flag of ['--strategy', '--param', '--data', '--days', '--json', '--no-save']) expect(r.stdout).toContain(flag);
  });
});

describe('bun run backtest refuses bad input with exit code 2 and one line naming the problem', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['an unknown flag', ['--speed', 'fast'], ["Unknown option '--speed'", 'bun run backtest --help']],
    ['a bad --days', ['--days', 'ten'], ["--days must be an integer from 1 to 3650, got 'ten'"]],
    ['a non-numeric --param', ['--param', 'lookback=abc'], ['--param lookback=abc: expected a number']],
    ['an unknown strategy', ['--strategy', 'macd'], ["unknown strategy 'macd'; known: zscore, bollinger, rsi"]],
    ['an unknown parameter', ['--param', 'window=5'], ["unknown parameter 'window' (known: lookback, entry, exit)"]],
    ['a parameter out of range', ['--param', 'lookback=1'], ['zscore: parameter lookback:']],
    ['exit not below entry', ['--param', 'entry=1', '--param', 'exit=1'], ['exit (1) must be below entry (1)']],
  ];
  for (const [what, args, fragments] of cases) {
    test(`${what}: ${args.join(' ')}`, async () => {
      const db = tmp.path(`bad-${what.replace(/\W+/g, '-')}.db`);
      expectUsageError(await runCli('backtest', ['--days', '1', ...args, '--set', `store.path=${db}`]), ...fragments);
      expect(existsSync(db)).toBe(false);
    });
  }

  test('a CSV with a bad row: the message names the file, the line number, the column and the value', async () => {
    const csv = tmp.path('bad-row.csv');
    await Bun.write(csv, 'time,open,high,low,close,volume\n2026-01-05T14:30:00Z,5000,5001,4999,5000.5,10\n2026-01-05T14:31:00Z,5000,5001,4999,5000.1,10\n');
    expectUsageError(await runCli('backtest', ['--data', csv, '--no-save']), `${csv} line 3: close 5000.1 is not on the 0.25 tick grid`);
  });

  test('--data with --days is refused', async () => {
    expectUsageError(await runCli('backtest', ['--data', tmp.path('bars.csv'), '--days', '3', '--no-save']), '--days applies to simulated bars and cannot be combined with --data');
  });
});
