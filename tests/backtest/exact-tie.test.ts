import { afterAll, describe, expect, test } from 'bun:test';
import type { backtestJson } from '../../src/backtest/report.ts';
import { runBacktest } from '../../src/backtest/run.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/settings.ts';
import { readBarsCsv } from '../../src/market/csv.ts';
import { getStrategy } from '../../src/strategy/registry.ts';
import { onlyJson, runCli, scratch } from '../cli/helpers.ts';

type BacktestDoc = ReturnType<typeof backtestJson>;

/*
 * Issue 10's series: at bar 9 the window of 10 closes has N = 436, D = 47524 = 218² in ticks,
 * so z = 2 exactly. README: z ≥ +entry → short. The short enters at bar 10's open 5031.5 less
 * one tick of slippage (5031.25), z stays above exit 0.5 on the last two bars, and the run
 * ends: one trade, end_of_data. Before exact decisions the native batch path made 0 trades.
 */
const CLOSES = [5011.5, 5018.5, 5024.5, 5021.25, 5014.75, 5019, 5019, 5019.5, 5026.5, 5031.5, 5031.5, 5031.5];
const START = Date.parse('2026-01-06T14:30:00Z');

const tmp = scratch('exact-tie');
afterAll(() => tmp.remove());

async function writeCsv(): Promise<string> {
  const rows = CLOSES.map((c, i) => `${new Date(START + i * 60_000).toISOString()},${c},${c},${c},${c},100`);
  const path = tmp.path('tie.csv');
  await Bun.write(path, `time,open,high,low,close,volume\n${rows.join('\n')}\n`);
  return path;
}

describe('a z-score exactly on the entry threshold trades (issue 10 repro)', () => {
  for (const env of [{}, { QS_ZSCORE: 'ts' }] as Array<Record<string, string>>) {
    test(`bun run backtest --param lookback=10 --param entry=2 ${JSON.stringify(env)}: one short`, async () => {
      const csv = await writeCsv();
      const doc = onlyJson<BacktestDoc>(await runCli('backtest', ['--data', csv, '--param', 'lookback=10', '--param', 'entry=2', '--json', '--no-save'], env));
      expect(doc.trades.map((t) => [t.side, t.entryPrice, t.exitReason])).toEqual([['short', 5031.25, 'end_of_data']]);
    });
  }

  test('runBacktest on the same bars (whichever z-score implementation loaded): one short', async () => {
    const series = await readBarsCsv(await writeCsv());
    const result = runBacktest({ series, strategy: getStrategy('zscore'), params: { lookback: 10, entry: 2, exit: 0.5 }, settings: DEFAULT_ENGINE_SETTINGS });
    expect(result.trades.map((t) => t.side)).toEqual(['short']);
  });
});
