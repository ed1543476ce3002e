import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, formatBarsCsv, parseBarsCsv, readBarsCsv, writeBarsCsv } from '../../src/market/csv.ts';
import { simulateBars } from '../../src/market/simulator.ts';

const dir = mkdtempSync(join(tmpdir(), 'csv-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'time,open,high,low,close,volume';
const ROW1 = '2026-01-05T14:30:00Z,5000,5001,4999.5,5000.5,120';
const ROW2 = '2026-01-05T14:31:00Z,5000.5,5002,5000.25,5001.75,80';
const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

/** The DataError message a parse throws (fails the test if it does not throw one). */
function errorOf(text: string, source = 'bars.csv'): string {
  try {
    parseBarsCsv(text, source);
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    expect((e as Error).name).toBe('DataError');
    return (e as Error).message;
  }
  throw new Error('expected a DataError');
}

describe('CSV round trip', () => {
  test('written simulated bars read back identical', async () => {
    const s = simulateBars({ days: 3, seed: 2, regime: 'volatile' });
    const path = join(dir, 'round.csv');
    await writeBarsCsv(path, s);
    const back = await readBarsCsv(path);
    expect(back.length).toBe(s.length);
    for (const c of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) expect(back[c]).toEqual(s[c]);
  });

  test('written times are ISO-8601 UTC and the file starts with the header', () => {
    const text = formatBarsCsv(simulateBars({ days: 1, seed: 2, regime: 'bullish' }));
    const [header, first] = text.split('\n');
    expect(header).toBe(HEADER);
    expect(first).toStartWith('2026-01-04T23:00:00.000Z,5000,');
    expect(text.endsWith('\n')).toBe(true);
  });

  test('writing replaces the file whole and leaves no temporary file', async () => {
    const path = join(dir, 'replace.csv');
    await Bun.write(path, 'old content that is longer than nothing at all\n'.repeat(1000));
    await writeBarsCsv(path, parseBarsCsv(csv(HEADER, ROW1), 'x'));
    expect(await Bun.file(path).text()).toBe(csv(HEADER, '2026-01-05T14:30:00.000Z,5000,5001,4999.5,5000.5,120'));
    expect([...new Bun.Glob('replace.csv.*').scanSync(dir)]).toEqual([]);
  });
});

describe('CSV tolerance', () => {
  test('a BOM, CRLF, spaces around cells and header, and blank lines at the ends are accepted', () => {
    const text = `\uFEFF\r\n  time , open,high,low,close,volume  \r\n ${ROW1.replaceAll(',', ' , ')} \r\n${ROW2}\r\n\r\n\r\n`;
    const s = parseBarsCsv(text, 'bars.csv');
    expect(s.length).toBe(2);
    expect([...s.close]).toEqual([5000.5, 5001.75]);
  });

  test('times may be ISO with an offset or epoch seconds, integer or decimal', () => {
    const s = parseBarsCsv(
      csv(HEADER, '2026-01-05T09:30:00-05:00,5000,5000,5000,5000,1', '1767623460,5000,5000,5000,5000,1', '1767623520.5,5000,5000,5000,5000,1', '2026-01-05T14:33:00.250+00:00,5000,5000,5000,5000,1'),
      'x',
    );
    expect([...s.time]).toEqual([Date.UTC(2026, 0, 5, 14, 30), Date.UTC(2026, 0, 5, 14, 31), Date.UTC(2026, 0, 5, 14, 32, 0, 500), Date.UTC(2026, 0, 5, 14, 33, 0, 250)]);
  });

  test('a year of bars (350,000 rows) round-trips through CSV unchanged', () => {
    const original = simulateBars({ days: 254, seed: 1, regime: 'switching' });
    const s = parseBarsCsv(formatBarsCsv(original), 'big.csv');
    // Seven 13:00 holiday halts and two 13:15 early closes fall in these sessions (see src/market/holidays.ts).
    expect(s.length).toBe(254 * 23 * 60 - 7 * 4 * 60 - 2 * (3 * 60 + 45));
    expect(s.close).toEqual(original.close);
    expect(s.time).toEqual(original.time);
    // ~1.5 s alone; a whole-suite run on a shared 2-core machine has taken over 5.
  }, 30_000);
});

describe('CSV errors name file, line, column, value and what is expected', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a wrong header', csv('Time,Open,High,Low,Close,Volume', ROW1), /^bars\.csv line 1: header is 'Time,Open,High,Low,Close,Volume'; expected 'time,open,high,low,close,volume'$/],
    ['a header missing a column', csv('time,open,high,low,close', ROW1), /^bars\.csv line 1: header is 'time,open,high,low,close'; expected/],
    ['a missing header', csv(ROW1, ROW2), /^bars\.csv line 1: missing header \(found data '2026-01-05T14:30:00Z,.*'\); expected 'time,open/],
    ['too few columns', csv(HEADER, ROW1, '2026-01-05T14:31:00Z,5000,5001,4999'), /^bars\.csv line 3: 4 columns; expected 6 \(time,open,high,low,close,volume\)$/],
    ['too many columns', csv(HEADER, `${ROW1},7`), /^bars\.csv line 2: 7 columns; expected 6/],
    ['a blank line between rows', csv(HEADER, ROW1, '', ROW2), /^bars\.csv line 3: an empty line; expected 6/],
    ['a non-numeric price', csv(HEADER, ROW1, '2026-01-05T14:31:00Z,5000.5,abc,5000.25,5001.75,80'), /^bars\.csv line 3: high 'abc' is not a number$/],
    ['an empty price cell', csv(HEADER, '2026-01-05T14:31:00Z,,5002,5000.25,5001.75,80'), /^bars\.csv line 2: open '' is not a number$/],
    ['a non-numeric volume', csv(HEADER, '2026-01-05T14:31:00Z,5000.5,5002,5000.25,5001.75,lots'), /^bars\.csv line 2: volume 'lots' is not a number$/],
    ['a negative volume', csv(HEADER, ROW1, ROW2.replace(/,80$/, ',-3')), /^bars\.csv line 3: volume -3 is negative; expected a volume ≥ 0$/],
    ['an off-grid price', csv(HEADER, ROW1, ROW2.replace(',5002,', ',5001.3,')), /^bars\.csv line 3: high 5001\.3 is not on the 0\.25 tick grid$/],
    ['a zero price', csv(HEADER, '2026-01-05T14:31:00Z,5000,5000,0,5000,1'), /^bars\.csv line 2: low 0 is not a price; expected a number > 0$/],
    ['low above open', csv(HEADER, '2026-01-05T14:31:00Z,5000,5002,5000.25,5001.75,80'), /^bars\.csv line 2: low 5000\.25 is above open 5000; expected low ≤ min\(open, close\)$/],
    ['low above close', csv(HEADER, '2026-01-05T14:31:00Z,5001,5002,5000.25,5000,80'), /^bars\.csv line 2: low 5000\.25 is above close 5000; expected low ≤ min/],
    ['high below open', csv(HEADER, '2026-01-05T14:31:00Z,5003,5002,5000.25,5001,80'), /^bars\.csv line 2: high 5002 is below open 5003; expected high ≥ max\(open, close\)$/],
    ['high below close', csv(HEADER, '2026-01-05T14:31:00Z,5001,5002,5000.25,5002.5,80'), /^bars\.csv line 2: high 5002 is below close 5002\.5; expected high ≥ max/],
    ['low above high', csv(HEADER, '2026-01-05T14:31:00Z,5001,5000,5002,5001,80'), /^bars\.csv line 2: low 5002 is above high 5000$/],
    ['a time out of order', csv(HEADER, ROW2, ROW1), /^bars\.csv line 3: time 2026-01-05T14:30:00Z is before line 2 \(2026-01-05T14:31:00\.000Z\); expected rising times$/],
    ['a duplicate time', csv(HEADER, ROW1, ROW2, ROW2), /^bars\.csv line 4: time 2026-01-05T14:31:00Z duplicates line 3; expected one bar per time$/],
    ['a time without a zone', csv(HEADER, '2026-01-05 14:31:00,5000,5000,5000,5000,1'), /^bars\.csv line 2: time 2026-01-05 14:31:00 has no time zone; expected ISO-8601 with Z or an offset/],
    ['a date that does not exist', csv(HEADER, '2026-02-30T14:31:00Z,5000,5000,5000,5000,1'), /^bars\.csv line 2: time 2026-02-30T14:31:00Z is not a valid date and time$/],
    ['epoch milliseconds', csv(HEADER, '1767623460000,5000,5000,5000,5000,1'), /^bars\.csv line 2: time 1767623460000 looks like epoch milliseconds; expected epoch seconds$/],
    ['a time that is not a time', csv(HEADER, 'yesterday,5000,5000,5000,5000,1'), /^bars\.csv line 2: time 'yesterday' is not a time; expected ISO-8601/],
    ['an empty file', '', /^bars\.csv: file is empty; expected the header 'time,open,high,low,close,volume'/],
    ['a file of blank lines', '\n \r\n\n', /^bars\.csv: file is empty/],
    ['a header and no rows', csv(HEADER), /^bars\.csv: no bars after the header; expected at least one row$/],
  ];
  for (const [name, text, expected] of cases) {
    test(name, () => {
      expect(errorOf(text)).toMatch(expected);
    });
  }

  test('line numbers count the lines before the header', () => {
    expect(errorOf(`\n\n${csv(HEADER, ROW1, ROW2.replace(',5002,', ',5001.3,'))}`)).toStartWith('bars.csv line 5: high 5001.3');
  });

  test('the error names the source it was given', () => {
    expect(errorOf(csv(HEADER, ROW2, ROW1), 'data/es.csv')).toStartWith('data/es.csv line 3:');
  });

  test('a missing file is a DataError naming the path', async () => {
    const path = join(dir, 'nope.csv');
    const err = await readBarsCsv(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toBe(`${path}: cannot read the file (no such file)`);
  });
});
