import { describe, expect, test } from 'bun:test';
import { compareZ, compareZExact, negate, threshold } from '../../src/indicators/threshold.ts';

describe('threshold: the level as written, as a decimal p/q', () => {
  test('2.5 is 25/10, 0.1 is 1/10 (not its binary neighbour), 2 is 2/1', () => {
    expect(threshold(2.5)).toEqual({ value: 2.5, p: 25n, q: 10n });
    expect(threshold(0.1)).toEqual({ value: 0.1, p: 1n, q: 10n });
    expect(threshold(2)).toEqual({ value: 2, p: 2n, q: 1n });
    expect(negate(threshold(1.5))).toEqual({ value: -1.5, p: -15n, q: 10n });
  });
});

describe('compareZ: sign(N/√D − t) without rounding', () => {
  test('the issue bar: N = 436, D = 47524 = 218², so z = 2 exactly, a tie with entry 2', () => {
    expect(compareZ(436, 47524, threshold(2))).toBe(0);
    expect(compareZ(-436, 47524, negate(threshold(2)))).toBe(0);
    expect(compareZ(436, 47524, threshold(1.999999))).toBe(1);
    expect(compareZ(436, 47524, threshold(2.000001))).toBe(-1);
  });

  test('z = 1/10 ties the decimal 0.1 (N = 1, D = 100), though the double 0.1 is above 1/10', () => {
    expect(compareZ(1, 100, threshold(0.1))).toBe(0);
    expect(compareZ(-1, 100, negate(threshold(0.1)))).toBe(0);
  });

  test('σ = 0 (D = 0) is z = 0: above a negative level, below a positive one, on 0', () => {
    expect(compareZ(0, 0, threshold(2))).toBe(-1);
    expect(compareZ(0, 0, negate(threshold(2)))).toBe(1);
    expect(compareZ(0, 0, threshold(0))).toBe(0);
  });

  test('a near-tie the float cannot see: z² = 4 − 3/D for a D near 2^52', () => {
    // For odd N, D = (N² + 3)/4 is an integer and z² = N²/D = 4 − 3/D: below 2 by about 3/(4·N²).
    const N = 2 ** 27 - 1;
    const D = Number((BigInt(N) ** 2n + 3n) / 4n);
    expect(Number.isSafeInteger(D)).toBe(true);
    // The float z is within an ulp of 2: too close for it to say which side; the exact test says below.
    expect(Math.abs(N / Math.sqrt(D) - 2)).toBeLessThan(1e-15);
    expect(compareZ(N, D, threshold(2))).toBe(-1);
    expect(compareZ(-N, D, negate(threshold(2)))).toBe(1);
  });

  test('agrees with the BigInt test on 20,000 random pairs around the thresholds', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let ties = 0;
    for (let i = 0; i < 20_000; i++) {
      const t = threshold([2, 1.5, 2.5, 0.5, 0][i % 5]!);
      const root = 1 + Math.floor(rand() * 5000);
      // Around N = t·√D with D a square (ties possible) or not.
      const D = rand() < 0.5 ? root * root * 4 : Math.floor(rand() * 1e9);
      const N = Math.round(t.value * Math.sqrt(D)) + Math.floor(rand() * 3) - 1;
      const fast = compareZ(N, D, t);
      expect(fast).toBe(compareZExact(BigInt(N), BigInt(D), t));
      if (fast === 0) ties++;
    }
    expect(ties).toBeGreaterThan(100);
  });
});
