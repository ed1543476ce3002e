import { afterAll, describe, expect, test } from 'bun:test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatBarsCsv } from '../../src/market/csv.ts';
import { simulateBars } from '../../src/market/simulator.ts';
import { ROOT, scratch, type CliResult } from './helpers.ts';

const tmp = scratch('data-cli');
afterAll(() => tmp.remove());
const FIX = join(ROOT, 'tests', 'data', 'fixtures');

async function run(script: 'data' | 'backtest', args: readonly string[]): Promise<CliResult> {
  const proc = Bun.spawn(['bun', `src/cli/${script}.ts`, ...args], { cwd: ROOT, stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

describe('bun run data', () => {
  const store = tmp.store('bars.db');

  test('import reports what it read and where it stored it', async () => {
    const r = await run('data', ['import', join(FIX, 'sierra.csv'), '--symbol', 'MES', '--tz', 'America/Chicago', '--contract', 'MESH24', ...store]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Sierra Chart, times as yyyy/m/d and HH:MM:SS (America/Chicago)');
    expect(r.stdout).toContain('3 rows → 3 1-minute bars, 2024-01-02 14:30 → 2024-01-02 14:32 UTC');
    expect(r.stdout).toContain('stored under MESH24');
  });

  test('a bad file: exit 2, one line naming file and line; nothing stored', async () => {
    const bad = tmp.path('bad.csv');
    writeFileSync(bad, 'time,open,high,low,close\n1704205800,1,1,1,1\n1704205860,1,x,1,1\n');
    const r = await run('data', ['import', bad, '--symbol', 'MES', ...tmp.store('bad.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${bad} line 3: column 3 (high) 'x' is not a number; expected a price like 5000.25\n`);
    const list = await run('data', ['list', '--json', ...tmp.store('bad.db')]);
    expect(JSON.parse(list.stdout).contracts).toEqual([]);
  });

  test('list shows contract, from, to, bars and gaps', async () => {
    const r = await run('data', ['list', ...store]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/MESH24\s+2024-01-02 14:30\s+2024-01-02 14:32\s+3\s+0\s+2024-03-15/);
  });

  test('export writes the bars back as CSV', async () => {
    const out = tmp.path('out.csv');
    const r = await run('data', ['export', '--symbol', 'MES', '--out', out, ...store]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n').slice(0, 2)).toEqual(['time,open,high,low,close,volume', '2024-01-02T14:30:00.000Z,4780.25,4781,4779.5,4780.75,120']);
  });

  test('one contract by IB\'s local symbol (one year digit) or the stored name', async () => {
    for (const symbol of ['MESH4', 'MESH24']) {
      const out = tmp.path(`${symbol}.csv`);
      const r = await run('data', ['export', '--symbol', symbol, '--out', out, ...store]);
      expect(r.stderr).toContain('wrote 3 bars of MESH24');
      expect(readFileSync(out, 'utf8').split('\n')).toHaveLength(5);
    }
  });

  test('backtest --symbol MES --from --to runs on the stored bars of that range', async () => {
    const s = simulateBars({ days: 5, seed: 3, regime: 'volatile' });
    const file = tmp.path('sim.csv');
    writeFileSync(file, formatBarsCsv(s));
    const db = tmp.store('bt.db');
    expect((await run('data', ['import', file, '--symbol', 'MES', ...db])).code).toBe(0);
    const from = new Date(s.time[1500]!).toISOString().slice(0, 10);
    const r = await run('backtest', ['--symbol', 'MES', '--from', from, '--to', from, '--json', '--no-save', ...db]);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { run: { bars: number; from: string; to: string } };
    const dayStart = Date.parse(`${from}T00:00:00Z`);
    const expected = [...s.time].filter((t) => t >= dayStart && t < dayStart + 86_400_000).length;
    expect(doc.run.bars).toBe(expected);
    expect(doc.run.from.slice(0, 10)).toBe(from);
  });

  test('backtest --symbol with nothing stored says how to get bars', async () => {
    const r = await run('backtest', ['--symbol', 'MES', '--no-save', ...tmp.store('empty.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no bars; import files with 'bun run data import'");
  });
});
