import { describe, expect, test } from 'bun:test';
import { planDownload } from '../../src/data/download.ts';
import { fromNyWallMs } from '../../src/domain/session.ts';
import { barTimes, isMarketOpen, nextClose, nextOpen } from '../../src/market/calendar.ts';
import { FIRST_YEAR, HOLIDAY_TABLE, LAST_YEAR } from '../../src/market/holidays.ts';

const ny = (y: number, mo: number, d: number, h: number, mi = 0) => fromNyWallMs(Date.UTC(y, mo - 1, d, h, mi));
const iso = (t: number) => new Date(t).toISOString();

/**
 * CME's equity-index holiday rules written out again, independently of the table, so a typo in
 * the table (a wrong day, a wrong kind) fails here.
 */
function expectedYear(y: number): string {
  const d = (m: number, day: number) => new Date(Date.UTC(y, m - 1, day));
  const nth = (m: number, dow: number, n: number) => {
    const first = d(m, 1).getUTCDay();
    return d(m, 1 + ((dow - first + 7) % 7) + 7 * (n - 1));
  };
  const lastMonday = (m: number) => {
    const end = d(m + 1, 0);
    return d(m, end.getUTCDate() - ((end.getUTCDay() + 6) % 7));
  };
  const observed = (x: Date) => (x.getUTCDay() === 6 ? new Date(+x - 86_400_000) : x.getUTCDay() === 0 ? new Date(+x + 86_400_000) : x);
  // Easter by the Meeus/Jones/Butcher algorithm.
  const a = y % 19, b = Math.floor(y / 100), c = y % 100, dd = Math.floor(b / 4), e = b % 4, f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3), h = (19 * a + b - dd - g + 15) % 30, i = Math.floor(c / 4), k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const easter = d(Math.floor((h + l - 7 * m + 114) / 31), ((h + l - 7 * m + 114) % 31) + 1);
  const out: Array<[Date, string]> = [];
  const ny1 = d(1, 1);
  if (ny1.getUTCDay() !== 6) out.push([observed(ny1), 'C']);
  out.push([nth(1, 1, 3), 'H'], [nth(2, 1, 3), 'H'], [new Date(+easter - 2 * 86_400_000), 'C'], [lastMonday(5), 'H']);
  if (y >= 2022) out.push([observed(d(6, 19)), 'H']);
  const july4 = d(7, 4);
  if (july4.getUTCDay() >= 2 && july4.getUTCDay() <= 5) out.push([d(7, 3), 'E']);
  out.push([observed(july4), 'H'], [nth(9, 1, 1), 'H']);
  const thanks = nth(11, 4, 4);
  out.push([thanks, 'H'], [new Date(+thanks + 86_400_000), 'E']);
  const xmas = d(12, 25);
  if (xmas.getUTCDay() === 6) out.push([d(12, 24), 'C']);
  else {
    if (d(12, 24).getUTCDay() >= 1 && d(12, 24).getUTCDay() <= 4) out.push([d(12, 24), 'E']);
    out.push([observed(xmas), 'C']);
  }
  if (y === 2018) out.push([d(12, 5), 'M']);
  if (y === 2025) out.push([d(1, 9), 'M']);
  return out
    .sort((p, q) => +p[0] - +q[0])
    .map(([x, kind]) => `${iso(+x).slice(5, 10)}${kind}`)
    .join(' ');
}

describe('the CME holiday table', () => {
  test(`covers ${FIRST_YEAR}–${LAST_YEAR} and matches the exchange's rules year by year`, () => {
    for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) expect(`${y}: ${HOLIDAY_TABLE[y]}`).toBe(`${y}: ${expectedYear(y)}`);
  });
});

describe('sessions around holidays (New York times)', () => {
  test('Christmas 2024: Christmas Eve closes 13:15, closed all Christmas Day, reopens 18:00', () => {
    expect(isMarketOpen(ny(2024, 12, 24, 13, 14))).toBe(true);
    expect(isMarketOpen(ny(2024, 12, 24, 13, 15))).toBe(false);
    expect(isMarketOpen(ny(2024, 12, 24, 19))).toBe(false);
    expect(isMarketOpen(ny(2024, 12, 25, 12))).toBe(false);
    expect(nextClose(ny(2024, 12, 24, 10))).toBe(ny(2024, 12, 24, 13, 15));
    expect(iso(nextOpen(ny(2024, 12, 24, 14)))).toBe(iso(ny(2024, 12, 25, 18)));
  });

  test('Good Friday 2024: closed from Thursday 17:00 to Sunday 18:00', () => {
    expect(isMarketOpen(ny(2024, 3, 28, 16, 59))).toBe(true);
    expect(isMarketOpen(ny(2024, 3, 28, 18, 30))).toBe(false);
    expect(isMarketOpen(ny(2024, 3, 29, 10))).toBe(false);
    expect(iso(nextOpen(ny(2024, 3, 28, 17)))).toBe(iso(ny(2024, 3, 31, 18)));
  });

  test('MLK Day 2024: open from Sunday 18:00, halted 13:00–18:00 Monday', () => {
    expect(isMarketOpen(ny(2024, 1, 14, 18))).toBe(true);
    expect(isMarketOpen(ny(2024, 1, 15, 12, 59))).toBe(true);
    expect(isMarketOpen(ny(2024, 1, 15, 13))).toBe(false);
    expect(isMarketOpen(ny(2024, 1, 15, 18))).toBe(true);
  });

  test('Thanksgiving 2024: 13:00 halt Thursday, 13:15 close Friday, then the weekend', () => {
    expect(nextClose(ny(2024, 11, 28, 9))).toBe(ny(2024, 11, 28, 13));
    expect(nextClose(ny(2024, 11, 28, 20))).toBe(ny(2024, 11, 29, 13, 15));
    expect(iso(nextOpen(ny(2024, 11, 29, 14)))).toBe(iso(ny(2024, 12, 1, 18)));
  });

  test('no bars are simulated and no history is requested on a closed day', () => {
    const day = [...barTimes(ny(2024, 12, 24, 0), ny(2024, 12, 26, 0))];
    expect(day.filter((t) => t >= ny(2024, 12, 24, 13, 15) && t < ny(2024, 12, 25, 18))).toEqual([]);
    // Midnight to the 13:15 close on the 24th, then the 18:00 reopen on the 25th to midnight.
    expect(day.length).toBe(13 * 60 + 15 + 6 * 60);
    const ends = planDownload(Date.UTC(2024, 2, 25), Date.UTC(2024, 3, 2), 8).map((t) => iso(t.close).slice(0, 10));
    expect(ends).not.toContain('2024-03-29');
    expect(ends).toContain('2024-03-28');
  });
});
