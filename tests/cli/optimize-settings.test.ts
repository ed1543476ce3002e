import { describe, expect, test } from 'bun:test';
import type { gridJson } from '../../src/backtest/report.ts';
import { expectUsageError, onlyJson, runCli } from './helpers.ts';

type GridDoc = ReturnType<typeof gridJson> & {
  best: { guards: { dsr: { dsr: number | null; trials: number }; pbo: { pbo: number | null }; stability: { profiles: { param: string }[] } }; monteCarlo: { seed: number } | null; breakdowns: { groups: Record<string, unknown[]> } } | null;
};
type BacktestDoc = { metrics: { trades: number; netPnl: number; sharpe: number | null }; trades: { exitReason: string }[] };

describe('bun run optimize --grid over settings', () => {
  test('--grid risk.stopLossPerContract=… next to a strategy parameter: each row equals a backtest with --set', async () => {
    const doc = onlyJson<GridDoc>(await runCli('optimize', ['--grid', 'lookback=20,40', '--grid', 'risk.stopLossPerContract=25,400', '--days', '4', '--min-trades', '1', '--workers', '2', '--json', '--no-save']));
    expect(doc.results).toHaveLength(4);
    expect(doc.run.grid).toEqual({ lookback: [20, 40], 'risk.stopLossPerContract': [25, 400] });
    const row = doc.results.find((r) => r.params.lookback === 20 && r.params['risk.stopLossPerContract'] === 25)!;
    const single = onlyJson<BacktestDoc>(await runCli('backtest', ['--param', 'lookback=20', '--set', 'risk.stopLossPerContract=25', '--days', '4', '--json', '--no-save']));
    expect(row.metrics as unknown).toEqual(single.metrics);
    expect(single.trades.some((t) => t.exitReason === 'stop')).toBe(true);
    const wide = doc.results.find((r) => r.params.lookback === 20 && r.params['risk.stopLossPerContract'] === 400)!;
    expect(wide.metrics).not.toEqual(row.metrics);
    // Guards and a Monte Carlo for the best set; its stability profile runs along both kinds of key.
    expect(doc.best!.guards.dsr.trials).toBe(4);
    expect(doc.best!.guards.stability.profiles.map((p) => p.param)).toEqual(['lookback', 'risk.stopLossPerContract']);
    expect(doc.best!.monteCarlo!.seed).toBe(1);
    expect(Object.keys(doc.best!.breakdowns.groups)).toEqual(['exitReason', 'side', 'hour', 'weekday', 'session', 'week', 'month']);
    expect(doc.results.every((r) => typeof r.halted === 'boolean')).toBe(true);
  }, 60_000);

  for (const [args, fragment] of [
    [['--grid', 'risk.stopLosPerContract=100'], "did you mean 'risk.stopLossPerContract'"],
    [['--grid', 'risk.stopLossPerContract=100,abc'], "--grid risk.stopLossPerContract: 'abc' is not a number"],
    [['--grid', 'risk.stopLossPerContract=-5'], 'risk.stopLossPerContract'],
  ] as const) {
    test(`${args.join(' ')} → exit code 2 and one line naming it`, async () => {
      expectUsageError(await runCli('optimize', [...args, '--days', '1', '--json', '--no-save']), fragment);
    });
  }

  test('the text report has the guards, the Monte Carlo and the breakdowns', async () => {
    const r = await runCli('optimize', ['--grid', 'lookback=20,40', '--days', '4', '--min-trades', '1', '--workers', '0', '--no-save']);
    expect(r.code).toBe(0);
    for (const s of ['Deflated Sharpe Ratio', 'PBO (CSCV', 'Stability of sharpe', 'Monte Carlo (2000 paths, seed 1', 'Exit reason', 'Halts:']) expect(r.stdout).toContain(s);
  }, 60_000);
});

describe('bun run backtest report', () => {
  test('the text report has the halts, every breakdown and the Monte Carlo; --mc-seed changes only the Monte Carlo', async () => {
    const r = await runCli('backtest', ['--days', '3', '--no-save']);
    for (const s of ['Halts:', 'Exit reason', 'Hour (New York, entry)', 'Weekday', 'Session', 'ISO week', 'Month', 'Streaks:', 'Time in market:', 'trade bootstrap']) expect(r.stdout).toContain(s);
    const a = onlyJson<{ monteCarlo: unknown; metrics: unknown }>(await runCli('backtest', ['--days', '3', '--no-save', '--json', '--mc-seed', '5']));
    const b = onlyJson<{ monteCarlo: unknown; metrics: unknown }>(await runCli('backtest', ['--days', '3', '--no-save', '--json', '--mc-seed', '6']));
    expect(a.metrics).toEqual(b.metrics);
    expect(a.monteCarlo).not.toEqual(b.monteCarlo);
  }, 60_000);
});

describe('bun run walkforward warnings', () => {
  test('one-session test parts are flagged, and folds that chose nothing are counted', async () => {
    const doc = onlyJson<{ folds: { warnings: string[]; testSessions: number }[]; foldsWithoutChoice: number; warnings: string[] }>(
      await runCli('walkforward', ['--days', '5', '--folds', '5', '--grid', 'lookback=20,40', '--min-trades', '1', '--workers', '2', '--json', '--no-save']),
    );
    expect(doc.folds.every((f) => f.testSessions < 20)).toBe(true);
    expect(doc.folds.every((f) => f.warnings.some((w) => w.includes('sharpe is not meaningful')))).toBe(true);
    const none = onlyJson<{ foldsWithoutChoice: number; warnings: string[] }>(await runCli('walkforward', ['--days', '5', '--folds', '2', '--grid', 'lookback=20', '--min-trades', '100000', '--json', '--no-save']));
    expect(none.foldsWithoutChoice).toBe(2);
    expect(none.warnings[0]).toBe('2 of 2 folds chose nothing (no set reached 100000 trades in training)');
  }, 60_000);
});

describe('bun run optimize --search', () => {
  const BIG = ['--grid', 'lookback=10,15,20,25,30,35,40', '--grid', 'entry=1.5,2,2.5,3', '--grid', 'exit=0,0.25,0.5', '--grid', 'risk.stopLossPerContract=50,100,200'];
  test('tpe evaluates exactly --trials distinct points of the grid, the same ones for the same seed', async () => {
    const run = async (seed: string) => onlyJson<GridDoc & { search: { method: string; space: number; evaluated: number; seed: number } }>(await runCli('optimize', [...BIG, '--search', 'tpe', '--trials', '24', '--search-seed', seed, '--days', '2', '--min-trades', '1', '--workers', '2', '--json', '--no-save']));
    const a = await run('3');
    expect(a.search).toEqual({ method: 'tpe', space: 252, evaluated: 24, seed: 3 });
    expect(a.results).toHaveLength(24);
    expect(new Set(a.results.map((r) => JSON.stringify(r.params))).size).toBe(24);
    expect(a.results.every((r) => [10, 15, 20, 25, 30, 35, 40].includes(r.params.lookback!) && [50, 100, 200].includes(r.params['risk.stopLossPerContract']!))).toBe(true);
    expect((await run('3')).results.map((r) => r.params)).toEqual(a.results.map((r) => r.params));
    expect(a.best!.guards.dsr.trials).toBe(24);
  }, 60_000);

  test('a grid too large to enumerate asks for a sampled search; a bad --search is named', async () => {
    const huge = ['--grid', `lookback=${Array.from({ length: 60 }, (_, i) => i + 2).join(',')}`, '--grid', `entry=${Array.from({ length: 50 }, (_, i) => 1 + i / 10).join(',')}`, '--grid', `exit=${Array.from({ length: 40 }, (_, i) => i / 100).join(',')}`];
    expectUsageError(await runCli('optimize', [...huge, '--days', '1', '--json', '--no-save']), 'use --search random or --search tpe');
    expectUsageError(await runCli('optimize', ['--search', 'genetic', '--days', '1', '--json', '--no-save']), "--search must be one of grid, random, tpe, got 'genetic'");
  }, 60_000);
});

describe('halts in the research commands', () => {
  type Doc = { halted: boolean; sessionsHalted: number; halts: { time: string; reason: string; detail: string; clearedAt: string | null }[] };
  test('backtest --json lists the halt with ISO times; a session reset clears it at the next session', async () => {
    const manual = onlyJson<Doc>(await runCli('backtest', ['--days', '10', '--set', 'risk.maxDrawdown=300', '--json', '--no-save']));
    expect(manual.halted).toBe(true);
    expect(manual.halts).toHaveLength(1);
    expect(manual.halts[0]).toMatchObject({ reason: 'drawdown', clearedAt: null });
    expect(manual.halts[0]!.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
    expect(manual.halts[0]!.detail).toMatch(/below peak/);
    const session = onlyJson<Doc>(await runCli('backtest', ['--days', '10', '--set', 'risk.maxDrawdown=300', '--set', 'risk.drawdownReset=session', '--json', '--no-save']));
    expect(session.halts.length).toBeGreaterThan(1);
    expect(session.halts[0]!.clearedAt).not.toBeNull();
    expect(session.sessionsHalted).toBeGreaterThanOrEqual(session.halts.length);
  }, 60_000);

  test('optimize flags halted sets in --json and with H in the table', async () => {
    const args = ['--grid', 'risk.maxDrawdown=300,100000', '--days', '10', '--min-trades', '1', '--workers', '2', '--no-save'];
    const doc = onlyJson<GridDoc>(await runCli('optimize', [...args, '--json']));
    const byLimit = (v: number) => doc.results.find((r) => r.params['risk.maxDrawdown'] === v)!;
    expect(byLimit(300).halted).toBe(true);
    expect(byLimit(300).sessionsHalted).toBeGreaterThan(0);
    expect(byLimit(100000).halted).toBe(false);
    const text = await runCli('optimize', args);
    expect(text.stdout).toMatch(/^\S+ H +.*risk\.maxDrawdown=300 /m);
    expect(text.stdout).toContain('1 halted before the data ended (marked H)');
  }, 60_000);
});
