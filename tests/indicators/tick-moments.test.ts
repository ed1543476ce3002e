import { describe, expect, test } from 'bun:test';
import { threshold } from '../../src/indicators/threshold.ts';
import { closeTicks, compareAt, rollingTickMomentsTs, TickMoments, windowMomentsBig, zOfMoments } from '../../src/indicators/tick-moments.ts';
import { loadZScoreNative } from '../../src/indicators/zscore-native.ts';

// The binary itself, whatever QS_ZSCORE says (its absence fails zscore-native.test.ts).
const native = loadZScoreNative({});

const ISSUE = [5011.5, 5018.5, 5024.5, 5021.25, 5014.75, 5019, 5019, 5019.5, 5026.5, 5031.5, 5031.5, 5031.5];

/** A random series on the tick grid, `range` ticks wide, so windows repeat values and tie often. */
function tickSeries(seed: number, n: number, range: number, start = 5000): Float64Array {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Float64Array.from({ length: n }, () => start + 0.25 * Math.floor(rand() * range));
}

/** The column every exact implementation must produce, from BigInt sums of each window. */
function referenceColumn(closes: Float64Array, lookback: number): Float64Array {
  const ticks = Array.from(closes, (c) => c * 4);
  const out = new Float64Array(2 * closes.length).fill(Number.NaN);
  for (let i = lookback - 1; i < closes.length; i++) {
    const { num, den } = windowMomentsBig(ticks, i, lookback);
    const fits = (num < 0n ? -num : num) <= 2n ** 53n && den <= 2n ** 53n;
    out[2 * i] = fits ? Number(num) : Number.NaN;
    out[2 * i + 1] = fits ? Number(den) : Number.POSITIVE_INFINITY;
  }
  return out;
}

/** The first index where two columns differ (NaN equals NaN), or −1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

const implementations: Array<[string, (c: Float64Array, l: number, out?: Float64Array) => Float64Array]> = [
  ['TypeScript', rollingTickMomentsTs],
  ...(native ? [['native', native.rollingTickMoments] as [string, typeof rollingTickMomentsTs]] : []),
];

describe('exact tick moments N = n·x − Σx, D = n·Σx² − (Σx)²', () => {
  for (const [name, moments] of implementations) {
    test(`${name}: the issue series has N = 436, D = 47524 = 218² (z = 2 exactly) at bar 9`, () => {
      const out = moments(Float64Array.from(ISSUE), 10);
      expect(Array.from(out.subarray(18, 24))).toEqual([436, 47524, 356, 46884, 304, 54164]);
      expect(out.subarray(0, 18).every(Number.isNaN)).toBe(true);
    });

    test(`${name}: equals the BigInt reference at every bar of random tick series`, () => {
      for (const [seed, lookback, range] of [[1, 10, 6], [2, 2, 3], [3, 37, 40], [4, 200, 2000]] as const) {
        const closes = tickSeries(seed, 5000, range);
        expect(firstDifference(moments(closes, lookback), referenceColumn(closes, lookback))).toBe(-1);
      }
    });

    test(`${name}: a bar's pair does not depend on the bars after it`, () => {
      const closes = tickSeries(9, 3000, 8);
      const full = moments(closes, 10);
      for (const cut of [10, 11, 57, 1000, 2999]) expect(firstDifference(moments(closes.slice(0, cut), 10), full.subarray(0, 2 * cut))).toBe(-1);
    });

    test(`${name}: a window whose N or D exceeds 2^53 is marked (NaN, Infinity)`, () => {
      const out = moments(new Float64Array([0, 2 ** 30, 2 ** 30]), 2);
      expect([out[2], out[3]]).toEqual([Number.NaN, Number.POSITIVE_INFINITY]);
      expect([out[4], out[5]]).toEqual([0, 0]);
    });

    test(`${name}: writes into \`out\` (small arrays too) and returns it`, () => {
      const out = new Float64Array(8).fill(7);
      expect(moments(new Float64Array([1, 2, 3, 4]), 3, out)).toBe(out);
      expect(Array.from(out)).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN, 12, 96, 12, 96]);
      expect(() => moments(new Float64Array([1, 2, 3, 4]), 3, new Float64Array(7))).toThrow('out must be a Float64Array of length ≥ 8');
    });

    test(`${name}: an off-grid, non-finite or huge close is named`, () => {
      expect(() => moments(new Float64Array([5000, 5000.1]), 2)).toThrow('closes[1] = 5000.1 is not on the 0.25 tick grid; exact threshold decisions need tick prices');
      expect(() => moments(new Float64Array([5000, Number.NaN]), 2)).toThrow('closes[1] is not a finite number (NaN)');
      expect(() => moments(new Float64Array([1e12]), 2)).toThrow('closes[0] = 1000000000000 is beyond ±274877906944, too large for exact tick arithmetic');
      expect(() => moments(new Float64Array([1]), 1)).toThrow('lookback must be an integer from 2 to 1048576, got 1');
    });
  }

  test('TickMoments (one close at a time) equals the column, through narrow and wide windows', () => {
    // Jumps of 2^24 ticks make windows wider than ⌊2^26 / 10⌋ ticks: the BigInt path, then back.
    const closes = tickSeries(5, 2000, 12);
    for (let i = 300; i < 320; i++) closes[i] = 2 ** 22 * (i % 3);
    const m = new TickMoments(10);
    const column = referenceColumn(closes, 10);
    closes.forEach((c, i) => {
      m.push(c);
      expect([m.num, m.den]).toEqual([column[2 * i]!, column[2 * i + 1]!]);
    });
  });

  test('a window too large for doubles is still decided exactly, incrementally and from the column', () => {
    // ticks [0, 2^32]: N = 2^32, D = 2^64, z = 1 exactly
    const closes = new Float64Array([0, 2 ** 30]);
    const m = new TickMoments(2);
    closes.forEach((c) => m.push(c));
    const column = rollingTickMomentsTs(closes, 2);
    expect(column[3]).toBe(Number.POSITIVE_INFINITY);
    for (const [t, sign] of [[1, 0], [0.999, 1], [1.001, -1]] as const) {
      expect(m.compare(threshold(t))).toBe(sign);
      expect(compareAt(column, zOfMoments(column), 1, closes, 2, threshold(t))).toBe(sign);
    }
  });

  test('closeTicks: whole ticks of a grid price, a RangeError otherwise', () => {
    expect(closeTicks(5000.75)).toBe(20003);
    expect(closeTicks(-1.25)).toBe(-5);
    expect(() => closeTicks(5000.3)).toThrow('close = 5000.3 is not on the 0.25 tick grid');
  });
});
