import { describe, expect, test } from 'bun:test';
import { importFile, parseImportOptions } from '../../src/data/import.ts';
import { dataErrorOf, MIN, T0, tempFiles } from './helpers.ts';

const files = tempFiles('import-rules');
const iso = (t: number) => new Date(t).toISOString();
const read = (name: string, text: string, opts: Record<string, string> = {}) => importFile(files.write(name, text), parseImportOptions(opts));

describe('headers', () => {
  test('names in any case, with aliases and extra columns in any order', () => {
    const r = read('aliases.csv', `Vol,Timestamp,C,L,H,O,Symbol\n7,${iso(T0)},5000.5,4999.75,5001,5000,MES\n`);
    expect([r.series.time[0], r.series.open[0], r.series.high[0], r.series.low[0], r.series.close[0], r.series.volume[0]]).toEqual([T0, 5000, 5001, 4999.75, 5000.5, 7]);
  });

  test('no volume column: volume 0', () => {
    const r = read('novol.csv', `time,open,high,low,close\n${iso(T0)},5000,5001,4999,5000.5\n`);
    expect(r.series.volume[0]).toBe(0);
  });

  test('a header missing close names what is missing and what names are understood', () => {
    const msg = dataErrorOf(() => read('noclose.csv', 'time,open,high,low,vol\n1704205800,1,2,1,5\n'));
    expect(msg).toContain('noclose.csv line 1');
    expect(msg).toContain('has no close column');
    expect(msg).toContain('any case');
  });

  test('ISO times with an offset need no --tz; yyyymmdd split dates read too', () => {
    const a = read('offset.csv', 'time,open,high,low,close,volume\n2024-01-02T09:30:00-05:00,1,1,1,1,1\n');
    const b = read('ymd8.csv', 'Date,Time,Open,High,Low,Close\n20240102,143000,1,1,1,1\n', { tz: 'UTC' });
    expect([a.series.time[0], b.series.time[0]]).toEqual([T0, T0]);
  });
});

describe('bar lengths', () => {
  test('5-second bars are combined into 1-minute bars: first open, highest high, lowest low, last close, summed volume', () => {
    const rows = Array.from({ length: 24 }, (_, i) => `${(T0 + i * 5000) / 1000},${5000 + (i % 12) * 0.25},${5001 + (i % 12) * 0.25},${4999 + (i % 12) * 0.25},${5000.5 + (i % 12) * 0.25},${i + 1}`);
    const r = read('5s.csv', `time,open,high,low,close,volume\n${rows.join('\n')}\n`);
    expect(r.counts).toMatchObject({ rows: 24, bars: 2, sourceBarSeconds: 5 });
    expect([...r.series.time]).toEqual([T0, T0 + MIN]);
    expect(r.series.open[0]).toBe(5000);
    expect(r.series.high[0]).toBe(5001 + 11 * 0.25);
    expect(r.series.low[0]).toBe(4999);
    expect(r.series.close[0]).toBe(5000.5 + 11 * 0.25);
    expect(r.series.volume[0]).toBe((12 * 13) / 2);
  });

  test('1-second bars too', () => {
    const rows = Array.from({ length: 120 }, (_, i) => `${(T0 + i * 1000) / 1000},5000,5000,5000,5000,1`);
    const r = read('1s.csv', `time,open,high,low,close,volume\n${rows.join('\n')}\n`);
    expect(r.counts).toMatchObject({ bars: 2, sourceBarSeconds: 1 });
    expect([...r.series.volume]).toEqual([60, 60]);
  });

  test('5-minute bars are refused: the store keeps 1-minute bars', () => {
    const rows = [0, 5, 10].map((m) => `${(T0 + m * MIN) / 1000},1,1,1,1,1`);
    expect(dataErrorOf(() => read('5m.csv', `time,open,high,low,close,volume\n${rows.join('\n')}\n`))).toContain('bars are 5 minutes long');
  });
});

describe('counted, not silently changed', () => {
  test('duplicates (first kept), out of order (sorted), off-grid prices (rounded) and gaps are counted', () => {
    const t = (m: number) => (T0 + m * MIN) / 1000;
    const text = ['time,open,high,low,close,volume', `${t(0)},5000,5001,4999,5000,1`, `${t(2)},5000,5001,4999,5000.1,3`, `${t(1)},5000,5001,4999,5000,2`, `${t(1)},6000,6001,5999,6000,9`, `${t(10)},5000,5001,4999,5000,4`].join('\n');
    const r = read('messy.csv', text);
    expect(r.counts).toMatchObject({ rows: 5, bars: 4, duplicates: 1, outOfOrder: 1, offGrid: 1, gaps: 1 });
    expect([...r.series.time]).toEqual([T0, T0 + MIN, T0 + 2 * MIN, T0 + 10 * MIN]);
    expect(r.series.open[1]).toBe(5000);
    expect(r.series.close[2]).toBe(5000);
  });

  test('the weekend and the daily halt are not gaps', () => {
    // Friday 2024-01-05 21:59 UTC (16:59 New York) → Sunday 23:00 UTC (18:00 New York).
    const fri = Date.UTC(2024, 0, 5, 21, 59) / 1000;
    const sun = Date.UTC(2024, 0, 7, 23, 0) / 1000;
    const r = read('weekend.csv', `time,open,high,low,close,volume\n${fri},1,1,1,1,1\n${sun},1,1,1,1,1\n`);
    expect(r.counts.gaps).toBe(0);
  });
});

describe('bad rows', () => {
  const HEADER = 'time,open,high,low,close,volume';

  test('name file, line, column and the expected form', () => {
    const msg = dataErrorOf(() => read('bad-price.csv', `${HEADER}\n${T0 / 1000},5000,5001,4999,5000,1\n${T0 / 1000 + 60},5000,abc,4999,5000,1\n`));
    expect(msg).toBe(`${files.dir}/bad-price.csv line 3: column 3 (high) 'abc' is not a number; expected a price like 5000.25`);
  });

  test('a bad date names the form the file uses', () => {
    const msg = dataErrorOf(() => read('bad-date.csv', 'Date,Time,Open,High,Low,Close\n2024-01-02,14:30,1,1,1,1\n2024-13-02,14:31,1,1,1,1\n', { tz: 'UTC' }));
    expect(msg).toContain('bad-date.csv line 3: column 1 (date) \'2024-13-02\' is not a date; expected yyyy-mm-dd and HH:MM:SS');
  });

  test('high below low, and lows above the open, are refused with the values', () => {
    expect(dataErrorOf(() => read('hl.csv', `${HEADER}\n${T0 / 1000},5000,4990,4999,5000,1\n`))).toContain('line 2: low 4999 is above high 4990');
    expect(dataErrorOf(() => read('lo.csv', `${HEADER}\n${T0 / 1000},5000,5002,5001,5001,1\n`))).toContain('low 5001 is above open 5000');
  });

  test('a NinjaTrader line inside a generic file gets a hint', () => {
    const msg = dataErrorOf(() => read('mixed.csv', `${HEADER}\n${T0 / 1000},5000,5001,4999,5000,1\n20240102 093100;4780;4781;4779;4780;1\n`));
    expect(msg).toContain('line 3');
    expect(msg).toContain('looks like NinjaTrader: try --format ninjatrader');
  });

  test('never more than ~80 characters of a bad value, and no raw terminal escapes', () => {
    const evil = `\u001b[31m${'x'.repeat(500)}`;
    const msg = dataErrorOf(() => read('evil.csv', `${HEADER}\n${T0 / 1000},${evil},5001,4999,5000,1\n`));
    expect(msg).not.toContain('\u001b');
    expect(msg).toContain('\\x1b[31m');
    expect(msg).toContain('…');
    expect(msg.length).toBeLessThan(files.dir.length + 220);
  });

  test('an empty file and a missing file say so', () => {
    expect(dataErrorOf(() => read('empty.csv', ''))).toContain('file is empty');
    expect(dataErrorOf(() => importFile(`${files.dir}/nope.csv`, parseImportOptions({})))).toContain('no such file');
  });
});
