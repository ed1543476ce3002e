import { describe, expect, test } from 'bun:test';
import { Bollinger } from '../../src/indicators/bollinger.ts';

describe('Bollinger: SMA ± k · population σ of the last `period` closes', () => {
  test('on 5 closes with period 3 and k 2, the bands follow the sliding window', () => {
    const bands = new Bollinger(3, 2);
    const out = [10, 12, 11, 15, 13].map((c) => bands.push(c));
    expect(out[0]).toBeNull();
    expect(out[1]).toBeNull();
    // [10, 12, 11]: SMA 11; deviations −1, 1, 0; var = 2/3; σ = √(2/3) ≈ 0.8165; bands 11 ± 2√(2/3)
    // [12, 11, 15]: SMA 38/3 ≈ 12.667; deviations −2/3, −5/3, 7/3; var = (4 + 25 + 49)/27 = 78/27 = 26/9; σ = √26/3 ≈ 1.6997
    // [11, 15, 13]: SMA 13; deviations −2, 2, 0; var = 8/3; σ = √(8/3) ≈ 1.6330
    const expected = [
      [11, Math.sqrt(2 / 3)],
      [38 / 3, Math.sqrt(26) / 3],
      [13, Math.sqrt(8 / 3)],
    ] as const;
    expected.forEach(([middle, sigma], i) => {
      const b = out[i + 2]!;
      expect(b.middle).toBeCloseTo(middle, 12);
      expect(b.upper).toBeCloseTo(middle + 2 * sigma, 12);
      expect(b.lower).toBeCloseTo(middle - 2 * sigma, 12);
    });
  });

  test('the width uses population σ (divide by n), not the sample σ (n − 1)', () => {
    const b = new Bollinger(2, 1);
    b.push(10);
    const v = b.push(12)!;
    // [10, 12]: SMA 11; population σ = 1 → bands 10 and 12 (sample σ would be √2)
    expect(v).toEqual({ middle: 11, upper: 12, lower: 10 });
  });

  test('when the closes are all equal, the three bands coincide', () => {
    const b = new Bollinger(3, 2);
    b.push(5000.25);
    b.push(5000.25);
    expect(b.push(5000.25)).toEqual({ middle: 5000.25, upper: 5000.25, lower: 5000.25 });
  });

  test('after reset, the warm-up starts again', () => {
    const b = new Bollinger(2, 2);
    b.push(1);
    b.push(2);
    b.reset();
    expect(b.push(100)).toBeNull();
    expect(b.push(100)!.middle).toBe(100);
  });

  test('a period below 2 is refused', () => {
    expect(() => new Bollinger(1, 2)).toThrow('lookback must be an integer ≥ 2, got 1');
  });
});
