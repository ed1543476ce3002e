import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCanonicalCsv } from '../../src/data/canonical-csv.ts';
import { DataError, formatBarsCsv, parseBarsCsv, readBarsCsv } from '../../src/market/csv.ts';
import { simulateBars } from '../../src/market/simulator.ts';

const dir = mkdtempSync(join(tmpdir(), 'csv-fast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('readBarsCsv on the project\'s own form reads the bytes directly', () => {
  test('the fast reader and the strict reader give identical bars', async () => {
    const s = simulateBars({ days: 4, seed: 8, regime: 'volatile' });
    const p = file('sim.csv', formatBarsCsv(s));
    const fast = readCanonicalCsv(p);
    expect(fast).not.toBeNull();
    const strict = parseBarsCsv(formatBarsCsv(s), p);
    for (const k of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) expect([...fast![k]]).toEqual([...strict[k]]);
    expect((await readBarsCsv(p)).length).toBe(s.length);
  });

  test('anything else goes to the strict reader: epoch seconds still read, a duplicate still named', async () => {
    const epoch = file('epoch.csv', 'time,open,high,low,close,volume\n1767623400,5000,5001,4999,5000,1\n1767623460,5000,5001,4999,5000,1\n');
    expect(readCanonicalCsv(epoch)).toBeNull();
    expect((await readBarsCsv(epoch)).time[1]).toBe(1767623460_000);
    const row = '2026-01-05T14:31:00.000Z,5000,5001,4999,5000,1';
    const dup = file('dup.csv', `time,open,high,low,close,volume\n2026-01-05T14:30:00.000Z,5000,5001,4999,5000,1\n${row}\n${row}\n`);
    expect(readCanonicalCsv(dup)).toBeNull();
    const err = await readBarsCsv(dup).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toBe(`${dup} line 4: time 2026-01-05T14:31:00.000Z duplicates line 3; expected one bar per time`);
  });

  test('an off-grid price is not rounded on this path: the strict reader refuses it', async () => {
    const p = file('offgrid.csv', 'time,open,high,low,close,volume\n2026-01-05T14:30:00.000Z,5000,5001.1,4999,5000,1\n');
    expect(readCanonicalCsv(p)).toBeNull();
    expect(((await readBarsCsv(p).catch((e: unknown) => e)) as Error).message).toContain('high 5001.1 is not on the 0.25 tick grid');
  });
});
