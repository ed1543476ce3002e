import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { backtestJson, gridJson } from '../../src/backtest/report.ts';
import { openStore } from '../../src/store/db.ts';
import { RunsRepository } from '../../src/store/runs.ts';
import { expectUsageError, HAS_SCRIPT, METRIC_KEYS, onlyJson, runCli, runCliOnTerminal, scratch, type CliResult } from './helpers.ts';

type GridDoc = ReturnType<typeof gridJson>;
type BacktestDoc = ReturnType<typeof backtestJson>;

const tmp = scratch('optimize-cli');
afterAll(() => tmp.remove());

const GRID = ['--grid', 'lookback=10,20', '--grid', 'entry=1.5,2', '--grid', 'exit=0.5'];
const DATA = ['--days', '10'];

describe('bun run optimize --json', () => {
  const db = tmp.path('optimize.db');
  let result: CliResult;
  let doc: GridDoc;
  beforeAll(async () => {
    result = await runCli('optimize', [...GRID, ...DATA, '--json', '--workers', '2', '--set', `store.path=${db}`]);
    doc = JSON.parse(result.stdout) as GridDoc;
  });

  test('4 parameter sets → 4 ranked rows, best objective first, and one JSON document', () => {
    expect(onlyJson<GridDoc>(result)).toEqual(doc);
    expect(Object.keys(doc)).toEqual(['run', 'results', 'search', 'best']);
    expect(doc.run).toMatchObject({ strategy: 'zscore', objective: 'sharpe', minTrades: 30, sets: 4, grid: { lookback: [10, 20], entry: [1.5, 2], exit: [0.5] } });
    expect(doc.results).toHaveLength(4);
    expect(doc.results.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    const sets = doc.results.map((r) => `${r.params.lookback}/${r.params.entry}/${r.params.exit}`).sort();
    expect(sets).toEqual(['10/1.5/0.5', '10/2/0.5', '20/1.5/0.5', '20/2/0.5']);
    for (const r of doc.results) {
      expect(Object.keys(r.metrics)).toEqual(METRIC_KEYS);
      expect(r.metrics.trades).toBeGreaterThanOrEqual(30);
    }
    const sharpes = doc.results.map((r) => r.metrics.sharpe!);
    expect(sharpes).toEqual([...sharpes].sort((a, b) => b - a));
    // The run's params are the winner's.
    expect(doc.run.params).toEqual(doc.results[0]!.params);
  });

  test("each row's metrics equal what backtest --json gives for those parameters (best and worst row)", async () => {
    for (const row of [doc.results[0]!, doc.results[3]!]) {
      const params = Object.entries(row.params).flatMap(([k, v]) => ['--param', `${k}=${v}`]);
      const single = onlyJson<BacktestDoc>(await runCli('backtest', [...DATA, ...params, '--json', '--no-save']));
      expect(single.run.params).toEqual(row.params);
      expect(single.metrics).toEqual(row.metrics);
    }
  });

  test('the search is saved in SQLite with its 4 rows and the best set', () => {
    const store = openStore(db);
    try {
      const runs = new RunsRepository(store);
      const list = runs.listRuns({ kind: 'optimize', limit: 10 });
      expect(list).toHaveLength(1);
      const rows = runs.getGridRows(list[0]!.id, 'rank');
      expect(rows.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
      expect(rows.map((r) => r.params)).toEqual(doc.results.map((r) => r.params));
      expect(list[0]!.metrics).toEqual(doc.results[0]!.metrics);
    } finally {
      store.close();
    }
  });

  test('--min-trades above every count leaves every row unranked', async () => {
    const d = onlyJson<GridDoc>(await runCli('optimize', [...GRID, '--days', '2', '--min-trades', '100000', '--json', '--workers', '0', '--no-save']));
    expect(d.results.map((r) => r.rank)).toEqual([null, null, null, null]);
    expect(d.run.params).toEqual({});
  });
});

describe('bun run optimize: bad input', () => {
  for (const [args, fragment] of [
    [['--objective', 'bogus'], "--objective must be one of sharpe, sortino, netPnl, profitFactor, expectancy, got 'bogus'"],
    [['--grid', 'lookback=10,x'], "--grid lookback: 'x' is not a number"],
    [['--grid', 'window=10'], '--grid window: unknown parameter for zscore (known: lookback, entry, exit)'],
    [['--workers', 'many'], "--workers must be an integer from 0 to 256, got 'many'"],
    [['--grid', 'exit=3'], 'exit (3) must be below entry (2)'],
  ] as const) {
    test(`${args.join(' ')} → exit code 2 and one line naming it`, async () => {
      expectUsageError(await runCli('optimize', [...args, '--days', '1', '--json', '--no-save']), fragment);
    });
  }
});

describe('bun run optimize: progress only on a terminal', () => {
  test('with stderr a pipe (not a terminal), the table goes to stdout and stderr stays empty', async () => {
    const r = await runCli('optimize', [...GRID, '--days', '2', '--workers', '2', '--no-save']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('4 parameter sets');
    expect(r.stdout).toContain('Rank');
  });

  test.skipIf(!HAS_SCRIPT)('on a terminal, a progress bar is drawn on stderr, but not with --json', async () => {
    const out = tmp.path('tty-stdout.txt');
    const plain = await runCliOnTerminal('optimize', [...GRID, '--days', '2', '--workers', '2', '--no-save'], out);
    expect(plain.code).toBe(0);
    expect(plain.terminal).toContain('optimize 4 sets [');
    expect(plain.terminal).toContain('4/4 100%');
    expect(await Bun.file(out).text()).not.toContain('optimize 4 sets [');

    const json = await runCliOnTerminal('optimize', [...GRID, '--days', '2', '--workers', '2', '--no-save', '--json'], out);
    expect(json.code).toBe(0);
    expect(json.terminal.trim()).toBe('');
    expect(JSON.parse(await Bun.file(out).text()).results).toHaveLength(4);
  });
});
