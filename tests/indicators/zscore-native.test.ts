import { describe, expect, test } from 'bun:test';
import { randomWalkPrices } from '../../src/bench/zscore.ts';
import { loadZScoreNative } from '../../src/indicators/zscore-native.ts';
import { rollingZScoreTs, ZScoreTs } from '../../src/indicators/zscore-ts.ts';

// The binary itself, whatever QS_ZSCORE says.
const native = loadZScoreNative({});

test('the native module is built (set QS_ALLOW_NO_NATIVE=1 where no Rust toolchain exists)', () => {
  if (process.env.QS_ALLOW_NO_NATIVE === '1') return;
  expect(native, 'native/zscore.node is missing: run `bun run build:native`').not.toBeNull();
});

test('QS_ZSCORE=ts disables the native module', () => {
  expect(loadZScoreNative({ QS_ZSCORE: 'ts' })).toBeNull();
});

/** Largest |a − b| over the series; NaN must match NaN exactly. */
function maxDiff(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    expect(Number.isNaN(a[i]!)).toBe(Number.isNaN(b[i]!));
    if (!Number.isNaN(a[i]!)) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  }
  return worst;
}

describe.skipIf(native === null)('native z-score', () => {
  const zn = native!;

  describe('batch matches the TypeScript reference', () => {
    for (const seed of [1, 2, 3]) {
      for (const lookback of [2, 3, 20, 200]) {
        test(`random walk, seed ${seed}, lookback ${lookback}`, () => {
          const closes = randomWalkPrices(5_000, seed);
          expect(maxDiff(zn.rollingZScore(closes, lookback), rollingZScoreTs(closes, lookback))).toBeLessThan(1e-12);
        });
      }
    }

    test('huge (1e12) and tiny (1e-9) magnitudes', () => {
      for (const [start, step] of [
        [1e12, 1e9],
        [1e12, 0.25],
        [1e-9, 1e-11],
        [1e-9, 1e-17],
      ] as const) {
        const closes = randomWalkPrices(20_000, 7, start, step);
        for (const lookback of [2, 20, 200]) {
          expect(maxDiff(zn.rollingZScore(closes, lookback), rollingZScoreTs(closes, lookback))).toBeLessThan(1e-9);
        }
      }
    });
  });

  test('hand-computed: window [2,4,4,4,5,5,7,9] has mean 5 and σ 2, so z of 9 is 2', () => {
    const z = zn.rollingZScore(new Float64Array([2, 4, 4, 4, 5, 5, 7, 9]), 8);
    expect(z.slice(0, 7).every(Number.isNaN)).toBe(true);
    expect(z[7]).toBeCloseTo(2, 14);
  });

  test('a lookback longer than the series gives all NaN', () => {
    const z = zn.rollingZScore(new Float64Array([1, 2, 3]), 4);
    expect(Array.from(z).every(Number.isNaN)).toBe(true);
  });

  test('a constant series gives exactly 0 once the window is full', () => {
    for (const lookback of [2, 3, 20]) {
      const z = zn.rollingZScore(new Float64Array(500).fill(5000.25), lookback);
      for (let i = lookback - 1; i < z.length; i++) expect(z[i]).toBe(0);
    }
  });

  test('writes into small `out` arrays land (Bun dropped native writes under 1000 bytes, oven-sh/bun #37151)', () => {
    for (let length = 5; length <= 120; length++) {
      const closes = randomWalkPrices(length, length);
      const out = new Float64Array(length).fill(-123);
      const returned = zn.rollingZScore(closes, 3, out);
      expect(returned).toBe(out);
      expect(maxDiff(out, rollingZScoreTs(closes, 3))).toBeLessThan(1e-12);
    }
  });

  test('`out` may be the input array itself', () => {
    const closes = randomWalkPrices(1_000, 4);
    const expected = rollingZScoreTs(closes, 20);
    expect(maxDiff(zn.rollingZScore(closes, 20, closes), expected)).toBeLessThan(1e-12);
  });

  test('a longer `out` keeps its extra entries', () => {
    const out = new Float64Array(8).fill(7);
    zn.rollingZScore(new Float64Array([1, 2, 3, 4, 5]), 2, out);
    expect(Array.from(out.slice(5))).toEqual([7, 7, 7]);
  });

  describe('invalid input is a clear error, never a crash', () => {
    const closes = new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    test('lookback below 2, fractional or not a number', () => {
      for (const lookback of [1, 0, -3, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => zn.rollingZScore(closes, lookback)).toThrow(/lookback must be an integer ≥ 2/);
        expect(() => new zn.ZScore(lookback)).toThrow(/lookback must be an integer ≥ 2/);
      }
      expect(() => zn.rollingZScore(closes, '3' as unknown as number)).toThrow(/lookback must be an integer ≥ 2/);
    });

    test('NaN or ±Infinity among the closes, reported with its index', () => {
      for (const [index, bad] of [
        [0, Number.NaN],
        [4, Number.POSITIVE_INFINITY],
        [9, Number.NEGATIVE_INFINITY],
      ] as const) {
        const withBad = closes.slice();
        withBad[index] = bad;
        expect(() => zn.rollingZScore(withBad, 3)).toThrow(`closes[${index}] is not a finite number (${bad})`);
      }
      const long = randomWalkPrices(100_000, 5);
      long[77_777] = Number.NaN;
      expect(() => zn.rollingZScore(long, 20)).toThrow('closes[77777] is not a finite number (NaN)');
    });

    test('closes or out of the wrong type', () => {
      expect(() => zn.rollingZScore([1, 2, 3] as unknown as Float64Array, 2)).toThrow(/closes must be a Float64Array/);
      expect(() => zn.rollingZScore(new Float32Array(3) as unknown as Float64Array, 2)).toThrow(/closes must be a Float64Array/);
      expect(() => zn.rollingZScore(closes, 2, new Float32Array(10) as unknown as Float64Array)).toThrow(/out must be a Float64Array/);
    });

    test('out shorter than closes', () => {
      expect(() => zn.rollingZScore(closes, 2, new Float64Array(9))).toThrow(/out must be a Float64Array of length ≥ 10/);
    });

    test('push of a non-finite close leaves the window unchanged', () => {
      const z = new zn.ZScore(3);
      z.push(1);
      expect(() => z.push(Number.NaN)).toThrow(/close must be a finite number, got NaN/);
      expect(z.count).toBe(1);
    });

    test('a lookback too large to allocate', () => {
      expect(() => new zn.ZScore(1e15)).toThrow(/cannot allocate/);
    });
  });

  describe('incremental ZScore', () => {
    test('matches ZScoreTs close by close, including mean, std, count and reset', () => {
      const closes = randomWalkPrices(3_000, 9);
      const a = new zn.ZScore(20);
      const b = new ZScoreTs(20);
      expect(a.lookback).toBe(20);
      for (let i = 0; i < closes.length; i++) {
        if (i === 1_500) {
          a.reset();
          b.reset();
        }
        const [za, zb] = [a.push(closes[i]!), b.push(closes[i]!)];
        if (zb === null) expect(za).toBeNull();
        else expect(Math.abs(za! - zb)).toBeLessThan(1e-12);
        expect(a.count).toBe(b.count);
        expect(Math.abs(a.mean - b.mean)).toBeLessThan(1e-9);
        expect(Math.abs(a.std - b.std)).toBeLessThan(1e-12);
      }
    });

    test('before the first close the mean is NaN; a constant window has σ = 0 and z = 0', () => {
      const z = new zn.ZScore(3);
      expect(z.mean).toBeNaN();
      expect([z.push(7), z.push(7), z.push(7)]).toEqual([null, null, 0]);
      expect(z.std).toBe(0);
    });
  });
});
