import { describe, expect, test } from 'bun:test';
import { Rsi } from '../../src/indicators/rsi.ts';
import { threshold } from '../../src/indicators/threshold.ts';

const feed = (period: number, closes: readonly number[]) => {
  const rsi = new Rsi(period);
  return closes.map((c) => rsi.push(c));
};

/*
 * 16 closes, period 14. Changes: +2 −1 +3 −2 +1 +1 −1 +2 −3 +2 +1 −1 +2 +1, then −2.
 * First 14 changes: gains 2+3+1+1+2+2+1+2+1 = 15, losses 1+2+1+3+1 = 8.
 *   avgGain = 15/14, avgLoss = 8/14 → RS = 15/8 → RSI = 100 − 100/(1 + 15/8) = 100·15/23 ≈ 65.2174
 * 15th change −2 (Wilder): avgGain = (15/14·13 + 0)/14 = 195/196, avgLoss = (8/14·13 + 2)/14 = 132/196
 *   → RSI = 100·195/(195 + 132) = 100·195/327 ≈ 59.6330
 * (A simple mean of the last 14 changes would give gains 13, losses 10 → 100·13/23 ≈ 56.52.)
 */
const CLASSIC = [100, 102, 101, 104, 102, 103, 104, 103, 105, 102, 104, 105, 104, 106, 107, 105];

describe('RSI with Wilder smoothing', () => {
  test('the first value comes after period + 1 closes and uses simple averages', () => {
    const out = feed(14, CLASSIC);
    expect(out.slice(0, 14).every((v) => v === null)).toBe(true);
    expect(out[14]).toBeCloseTo((100 * 15) / 23, 10);
  });

  test('after the first value, the averages are smoothed as (avg·(period − 1) + x)/period', () => {
    const out = feed(14, CLASSIC);
    expect(out[15]).toBeCloseTo((100 * 195) / 327, 10);
    expect(out[15]).not.toBeCloseTo((100 * 13) / 23, 2);
  });

  test('a short period: changes +3, −7 → avgGain 1.5, avgLoss 3.5 → RSI = 100·1.5/5 = 30', () => {
    expect(feed(2, [10, 13, 6])).toEqual([null, null, 30]);
  });

  test('when there are no losses, RSI is 100', () => {
    const out = feed(14, Array.from({ length: 20 }, (_, i) => 5000 + i * 0.25));
    expect(out.slice(14)).toEqual([100, 100, 100, 100, 100, 100]);
  });

  test('when nothing changes, RSI is 50', () => {
    expect(feed(3, [5000, 5000, 5000, 5000, 5000])).toEqual([null, null, null, 50, 50]);
  });

  test('when there are only losses, RSI is 0', () => {
    expect(feed(3, [10, 9, 8, 7, 6])).toEqual([null, null, null, 0, 0]);
  });

  test('after reset, the warm-up starts again', () => {
    const rsi = new Rsi(2);
    [10, 13, 6].forEach((c) => rsi.push(c));
    rsi.reset();
    expect(rsi.push(1)).toBeNull();
    expect(rsi.push(2)).toBeNull();
    expect(rsi.push(3)).toBe(100);
  });

  for (const period of [0, -1, 2.5, Number.NaN]) {
    test(`a period of ${period} is refused with a message naming it`, () => {
      expect(() => new Rsi(period)).toThrow(`RSI period must be an integer ≥ 1, got ${period}`);
    });
  }

  test('a close that is not a finite number is refused', () => {
    expect(() => new Rsi(14).push(Number.NaN)).toThrow('close must be a finite number, got NaN');
  });

  describe('compare: sign(RSI − level), exactly', () => {
    test('a first average of gains 3, losses 7 (any period) is RSI 30 exactly: a tie', () => {
      const rsi = new Rsi(10);
      // changes: +3 ticks, eight flat, −7 ticks
      [5000, 5000.75, ...Array<number>(8).fill(5000.75), 4999].forEach((c) => rsi.push(c));
      expect(rsi.value).toBe(30);
      expect(rsi.compare(threshold(30))).toBe(0);
      expect(rsi.compare(threshold(29.9999999))).toBe(1);
      expect(rsi.compare(threshold(30.0000001))).toBe(-1);
    });

    test('no change at all is RSI 50: a tie with 50, above 49.5', () => {
      const rsi = new Rsi(3);
      [5000, 5000, 5000, 5000].forEach((c) => rsi.push(c));
      expect(rsi.compare(threshold(50))).toBe(0);
      expect(rsi.compare(threshold(49.5))).toBe(1);
    });

    test('after smoothing, compare agrees with the exact rational RSI of the averages', () => {
      const rsi = new Rsi(14);
      CLASSIC.forEach((c) => rsi.push(c));
      // avgGain : avgLoss = 195 : 132 → RSI = 19500/327 ≈ 59.633; the averages are exact here
      expect(rsi.compare(threshold(59.633))).toBe(1);
      expect(rsi.compare(threshold(59.634))).toBe(-1);
    });

    test('before warm-up there is nothing to compare', () => {
      expect(new Rsi(3).compare(threshold(50))).toBeNull();
    });
  });

  test('a close off the tick grid is refused', () => {
    const rsi = new Rsi(2);
    expect(() => rsi.push(5000.1)).toThrow('close = 5000.1 is not on the 0.25 tick grid');
  });
});
