import { describe, expect, test } from 'bun:test';
import { parseCsvTime } from '../../src/market/csv-time.ts';

describe('parseCsvTime', () => {
  test('reads back every ISO time JavaScript writes, across leap years and centuries', () => {
    const wrong: string[] = [];
    for (let t = 0; t < Date.UTC(2101, 0, 1); t += 37 * 3_600_000 + 61_001) {
      const iso = new Date(t).toISOString();
      if (parseCsvTime(iso) !== t) wrong.push(iso);
      if (parseCsvTime(iso.replace(/\.\d{3}Z$/, 'Z')) !== t - (t % 1000)) wrong.push(`${iso} without millis`);
    }
    expect(wrong).toEqual([]);
  });

  test('the 29th of February exists only in leap years', () => {
    expect(parseCsvTime('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
    expect(parseCsvTime('2100-02-29T00:00:00Z')).toBe('is not a valid date and time');
    expect(parseCsvTime('2000-02-29T00:00:00.000Z')).toBe(Date.UTC(2000, 1, 29));
  });

  test('offsets, lower-case letters, a space separator and sub-millisecond digits are understood', () => {
    const t = Date.UTC(2026, 0, 5, 14, 30);
    expect(parseCsvTime('2026-01-05T09:30:00-05:00')).toBe(t);
    expect(parseCsvTime('2026-01-05T15:30+0100')).toBe(t);
    expect(parseCsvTime('2026-01-05 14:30:00z')).toBe(t);
    expect(parseCsvTime('2026-01-05t14:30:00.0009Z')).toBe(t);
  });

  test('out-of-range fields are refused rather than rolled over', () => {
    for (const s of ['2026-13-01T00:00:00Z', '2026-04-31T00:00:00Z', '2026-01-05T24:00:00Z', '2026-01-05T23:60:00Z', '2026-01-05T23:00:60Z']) {
      expect(parseCsvTime(s)).toBe('is not a valid date and time');
    }
    expect(parseCsvTime('2026-01-05T10:00:00+25:00')).toBe('has an invalid UTC offset');
    expect(parseCsvTime('1969-12-31T23:59:59Z')).toBe('is before 1970');
  });
});
