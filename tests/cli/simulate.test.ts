import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readBarsCsv } from '../../src/market/csv.ts';
import { simulateBars } from '../../src/market/simulator.ts';

const ROOT = join(import.meta.dir, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'simulate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn(['bun', 'src/cli/simulate.ts', ...args], { cwd: ROOT, stdout: 'pipe', stderr: 'pipe' });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

describe('bun run simulate', () => {
  test('writes the CSV the simulator produces and prints a one-line summary', async () => {
    const out = join(dir, 'bars.csv');
    const r = await run('--days', '2', '--regime', 'switching', '--seed', '7', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(new RegExp(`^wrote 2760 bars to ${out.replace(/[.]/g, '\\.')}: 2026-01-04T23:00:00\\.000Z → 2026-01-06T21:59:00\\.000Z, first 5000 last [\\d.]+ min [\\d.]+ max [\\d.]+$`));
    const written = await readBarsCsv(out);
    const expected = simulateBars({ days: 2, seed: 7, regime: 'switching' });
    expect(written.close).toEqual(expected.close);
    expect(written.time).toEqual(expected.time);
  });

  test('--json prints one JSON object with the same facts', async () => {
    const out = join(dir, 'bars.json.csv');
    const r = await run('--days', '1', '--regime', 'bullish', '--seed', '3', '--start', '2026-03-09', '--start-price', '4500.25', '--out', out, '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    const s = await readBarsCsv(out);
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < s.length; i++) (min = Math.min(min, s.low[i]!)), (max = Math.max(max, s.high[i]!));
    expect(summary).toEqual({
      out,
      bars: 1380,
      // Monday 9 March's session opens Sunday 18:00 New York, already on daylight time (22:00 UTC).
      from: '2026-03-08T22:00:00.000Z',
      to: '2026-03-09T20:59:00.000Z',
      first: 4500.25,
      last: s.close[s.length - 1],
      min,
      max,
    });
  });

  test('--bar-minutes 5 writes 5-minute bars', async () => {
    const out = join(dir, 'five.csv');
    const r = await run('--days', '1', '--bar-minutes', '5', '--out', out, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).bars).toBe(276);
  });

  test('an unknown flag is a usage error with exit code 2 and writes nothing', async () => {
    const out = join(dir, 'never.csv');
    const r = await run('--days', '2', '--out', out, '--speed', 'fast');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: Unknown option '--speed'");
    expect(r.stderr).toContain('--help');
    expect(await Bun.file(out).exists()).toBe(false);
  });

  for (const [args, message] of [
    [['--days', 'ten'], "--days must be an integer from 1 to 2000, got 'ten'"],
    [['--regime', 'crash'], "--regime must be one of bullish, bearish, sideways, volatile, switching, got 'crash'"],
    [['--start', '05/01/2026'], "--start must be a date YYYY-MM-DD or an ISO time with Z or an offset, got '05/01/2026'"],
    [['--start', '2026-02-30'], "--start '2026-02-30' is not a valid date"],
    [['--bar-minutes', '7'], "--bar-minutes must divide 60 (1, 2, 3, 5, 10, 15, 30, 60), got '7'"],
  ] as const) {
    test(`${args.join(' ')} is refused with a clear message`, async () => {
      const r = await run(...args, '--out', join(dir, 'bad.csv'));
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`error: ${message}\n`);
    });
  }

  test('an --out that cannot be written is a clear error, not a stack trace, and leaves no temporary file', async () => {
    const r = await run('--days', '1', '--out', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toStartWith(`error: cannot write --out '${dir}'`);
    expect(r.stderr).not.toContain('    at ');
    expect([...new Bun.Glob(`${basename(dir)}.*.tmp`).scanSync(tmpdir())]).toEqual([]);
  });

  test('a weekend --start begins at the Sunday 18:00 open', async () => {
    const r = await run('--days', '1', '--start', '2026-01-10', '--out', join(dir, 'weekend.csv'), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).from).toBe('2026-01-11T23:00:00.000Z');
  });

  test('--out is required', async () => {
    const r = await run('--days', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toStartWith('error: --out is required');
  });

  test('--help lists every option and exits 0', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    for (const flag of ['--days', '--regime', '--seed', '--out', '--start', '--start-price', '--bar-minutes', '--json', '--help']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toStartWith('simulate — ');
  });
});
