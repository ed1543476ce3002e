import { describe, expect, test } from 'bun:test';
import { importFile, parseImportOptions } from '../../src/data/import.ts';
import { dataErrorOf, fixture, MIN, T0 } from './helpers.ts';

/** Every fixture holds the same three bars, written the way its vendor writes them. */
const THREE = { time: [T0, T0 + MIN, T0 + 2 * MIN], open: [4780.25, 4780.75, 4782], high: [4781, 4782.25, 4782.5], low: [4779.5, 4780.5, 4781], close: [4780.75, 4782, 4781.25], volume: [120, 95, 60] };

const CASES: Array<{ file: string; tz?: string; vendor: string; format: string }> = [
  { file: 'tradingview.csv', vendor: 'tradingview', format: 'tradingview' },
  { file: 'ninjatrader.txt', tz: 'America/New_York', vendor: 'ninjatrader', format: 'ninjatrader' },
  { file: 'sierra.csv', tz: 'America/Chicago', vendor: 'sierra', format: 'sierra' },
  { file: 'databento.csv', vendor: 'databento', format: 'databento' },
  { file: 'firstrate.txt', tz: 'America/New_York', vendor: 'firstrate', format: 'firstrate' },
  { file: 'semicolon-decimal-comma.csv', tz: 'Europe/Berlin', vendor: 'generic', format: 'generic' },
  { file: 'tab-mdy.tsv', tz: 'UTC', vendor: 'generic', format: 'generic' },
];

describe('vendor files read into the same 1-minute bars', () => {
  for (const c of CASES) {
    for (const format of ['auto', c.format]) {
      test(`${c.file} with --format ${format}`, () => {
        const r = importFile(fixture(c.file), parseImportOptions({ format, tz: c.tz }));
        expect(r.vendor).toBe(c.vendor as typeof r.vendor);
        const s = r.series;
        expect({ time: [...s.time], open: [...s.open], high: [...s.high], low: [...s.low], close: [...s.close], volume: [...s.volume] }).toEqual(THREE);
        expect(r.counts).toMatchObject({ rows: 3, bars: 3, duplicates: 0, outOfOrder: 0, offGrid: 0, gaps: 0, sourceBarSeconds: 60 });
      });
    }
  }

  test('NinjaTrader stamps the bar end: 09:31:00 is the bar that opened at 09:30', () => {
    const r = importFile(fixture('ninjatrader.txt'), parseImportOptions({ tz: 'America/New_York' }));
    expect(new Date(r.series.time[0]!).toISOString()).toBe('2024-01-02T14:30:00.000Z');
  });

  test('the --tz zone decides the instant: Chicago and New York files of one wall time differ by an hour', () => {
    const chicago = importFile(fixture('firstrate.txt'), parseImportOptions({ tz: 'America/Chicago' }));
    const ny = importFile(fixture('firstrate.txt'), parseImportOptions({ tz: 'America/New_York' }));
    expect(chicago.series.time[0]! - ny.series.time[0]!).toBe(60 * MIN);
  });

  test('a --format that does not fit the file names the format it looks like', () => {
    const msg = dataErrorOf(() => importFile(fixture('ninjatrader.txt'), parseImportOptions({ format: 'sierra', tz: 'UTC' })));
    expect(msg).toContain('ninjatrader.txt');
    expect(msg).toContain('does not look like a Sierra Chart export');
    expect(msg).toContain('try --format ninjatrader');
  });

  test('naive times without --tz: the error says to give --tz, with an example zone', () => {
    for (const file of ['sierra.csv', 'ninjatrader.txt', 'firstrate.txt']) {
      const msg = dataErrorOf(() => importFile(fixture(file), parseImportOptions({})));
      expect(msg).toContain(`${file} line`);
      expect(msg).toContain('has no time zone');
      expect(msg).toContain('--tz America/Chicago');
    }
    expect(dataErrorOf(() => importFile(fixture('sierra.csv'), parseImportOptions({})))).toContain("line 2: date and time '2024/1/2 08:30:00.000' has no time zone");
  });

  test('options are checked at the boundary: unknown format, zone and contract', () => {
    expect(dataErrorOf(() => parseImportOptions({ format: 'excel' }))).toContain('--format must be one of auto, tradingview');
    expect(dataErrorOf(() => parseImportOptions({ tz: 'Mars/Olympus' }))).toContain("--tz 'Mars/Olympus': is not a time zone");
    expect(dataErrorOf(() => parseImportOptions({ contract: 'ESH6' }))).toContain('expected a dated MES contract such as MESH6');
    expect(parseImportOptions({ contract: 'mesh6' }).contract).toBe('MESH6');
  });
});
