import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../src/config/schema.ts';
import { readBarsCsv } from '../../src/market/csv.ts';
import { simulateBars } from '../../src/market/simulator.ts';

const ROOT = join(import.meta.dir, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'simulate-defaults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simulate and backtest agree on their defaults', () => {
  test('simulate without --days or --seed writes the 60 sessions of seed sim.seed that backtest tests on', async () => {
    const out = join(dir, 'default.csv');
    const proc = Bun.spawn(['bun', 'src/cli/simulate.ts', '--out', out], { cwd: ROOT, stdout: 'pipe', stderr: 'pipe' });
    expect(await proc.exited).toBe(0);
    const written = await readBarsCsv(out);
    // Exactly what src/cli/research-inputs.ts builds when no --data, --days or --seed is given.
    const c = defaultConfig();
    const backtestDefault = simulateBars({ days: 60, seed: c.sim.seed, regime: c.sim.regime, startPrice: c.sim.startPrice });
    expect(written.length).toBe(backtestDefault.length);
    expect(written.close).toEqual(backtestDefault.close);
  }, 60_000);

  test('both help texts say so', async () => {
    const help = async (cmd: string) => new Response(Bun.spawn(['bun', `src/cli/${cmd}.ts`, '--help'], { cwd: ROOT, stdout: 'pipe' }).stdout).text();
    expect(await help('simulate')).toContain('default 60');
    expect(await help('backtest')).toContain('default 60');
  });
});
