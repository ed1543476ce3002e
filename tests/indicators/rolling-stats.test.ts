import { describe, expect, test } from 'bun:test';
import { RollingStats } from '../../src/indicators/rolling-stats.ts';
import { Rng } from '../../src/market/rng.ts';

function pushAll(stats: RollingStats, values: readonly number[]): RollingStats {
  for (const x of values) stats.push(x);
  return stats;
}

describe('RollingStats: mean and population σ of the last `lookback` values', () => {
  test('when the window fills, mean and σ are those of its values', () => {
    // [1, 2, 4]: mean 7/3; deviations −4/3, −1/3, 5/3; Σd² = (16 + 1 + 25)/9 = 42/9; var = 42/27 = 14/9; σ = √14 / 3
    const s = pushAll(new RollingStats(3), [1, 2, 4]);
    expect(s.ready).toBe(true);
    expect(s.count).toBe(3);
    expect(s.mean).toBeCloseTo(7 / 3, 14);
    expect(s.variance).toBeCloseTo(14 / 9, 14);
    expect(s.std).toBeCloseTo(Math.sqrt(14) / 3, 14);
  });

  test('when a value arrives on a full window, the oldest drops out', () => {
    const s = pushAll(new RollingStats(3), [1, 2, 4, 7]);
    // [2, 4, 7]: mean 13/3; deviations −7/3, −1/3, 8/3; Σd² = (49 + 1 + 64)/9 = 114/9; var = 114/27 = 38/9
    expect(s.count).toBe(3);
    expect(s.mean).toBeCloseTo(13 / 3, 14);
    expect(s.variance).toBeCloseTo(38 / 9, 14);
    s.push(10);
    // [4, 7, 10]: mean 7; deviations −3, 0, 3; var = 18/3 = 6
    expect(s.mean).toBeCloseTo(7, 14);
    expect(s.variance).toBeCloseTo(6, 14);
    expect(s.std).toBeCloseTo(Math.sqrt(6), 14);
  });

  test('when the window slides for many rounds (past several re-bases), it still holds the last values only', () => {
    const s = new RollingStats(4);
    for (let i = 1; i <= 103; i++) s.push(i * i);
    // [100², 101², 102², 103²] = [10000, 10201, 10404, 10609]: mean 41214/4 = 10303.5;
    // deviations −303.5, −102.5, 100.5, 305.5; Σd² = 92112.25 + 10506.25 + 10100.25 + 93330.25 = 206049; var = 51512.25
    expect(s.mean).toBeCloseTo(10303.5, 9);
    expect(s.variance).toBeCloseTo(51512.25, 7);
  });

  test('before the window is full, the stats cover the values so far and ready is false', () => {
    const s = pushAll(new RollingStats(5), [1, 2]);
    // [1, 2]: mean 1.5; var = (0.25 + 0.25)/2 = 0.25
    expect(s.ready).toBe(false);
    expect(s.count).toBe(2);
    expect(s.mean).toBe(1.5);
    expect(s.variance).toBe(0.25);
  });

  test('zOf(x) is (x − mean)/σ against the window', () => {
    const s = pushAll(new RollingStats(3), [4, 7, 10]);
    // mean 7, σ √6: z(10) = 3/√6, z(4) = −3/√6
    expect(s.zOf(10)).toBeCloseTo(3 / Math.sqrt(6), 14);
    expect(s.zOf(4)).toBeCloseTo(-3 / Math.sqrt(6), 14);
  });

  test('when the window is empty, mean and variance are NaN', () => {
    const s = new RollingStats(3);
    expect(s.mean).toBeNaN();
    expect(s.variance).toBeNaN();
  });

  test('after reset, it starts over as if new', () => {
    const s = pushAll(new RollingStats(3), [100, 200, 300, 400]);
    s.reset();
    expect(s.count).toBe(0);
    pushAll(s, [1, 2, 4]);
    expect(s.mean).toBeCloseTo(7 / 3, 14);
    expect(s.variance).toBeCloseTo(14 / 9, 14);
  });
});

describe('RollingStats: a constant window has σ exactly 0', () => {
  test('when every value is the same, σ is 0 and z is 0', () => {
    const s = pushAll(new RollingStats(3), [5000.25, 5000.25, 5000.25]);
    expect(s.std).toBe(0);
    expect(s.variance).toBe(0);
    expect(s.zOf(5000.25)).toBe(0);
    expect(s.mean).toBe(5000.25);
  });

  test('when the window becomes constant at 0.1 after other values, σ is exactly 0, not a rounding residue', () => {
    // 0.1 has no exact binary form: 0.1 − 0.3 and its sums are inexact, so Σd²/n − m² would leave dust.
    const s = pushAll(new RollingStats(3), [0.3, 0.7, 0.2, 0.1, 0.1, 0.1]);
    expect(s.std).toBe(0);
    expect(s.zOf(0.1)).toBe(0);
    expect(s.mean).toBeCloseTo(0.1, 15);
  });

  test('when a constant stretch ends, σ is non-zero again', () => {
    const s = pushAll(new RollingStats(3), [0.1, 0.1, 0.1, 0.4]);
    // [0.1, 0.1, 0.4]: mean 0.2; deviations −0.1, −0.1, 0.2; var = (0.01 + 0.01 + 0.04)/3 = 0.02
    expect(s.variance).toBeCloseTo(0.02, 15);
  });
});

describe('RollingStats: invalid input', () => {
  for (const lookback of [1, 0, -3, 2.5, Number.NaN]) {
    test(`when lookback is ${lookback}, the constructor throws naming it`, () => {
      expect(() => new RollingStats(lookback)).toThrow(`lookback must be an integer ≥ 2, got ${lookback}`);
    });
  }

  for (const x of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    test(`when pushed ${x}, it throws and keeps the window as it was`, () => {
      const s = pushAll(new RollingStats(3), [1, 2, 4]);
      expect(() => s.push(x)).toThrow(`value must be a finite number, got ${x}`);
      expect(s.mean).toBeCloseTo(7 / 3, 14);
      expect(s.variance).toBeCloseTo(14 / 9, 14);
    });
  }
});

describe('RollingStats: long-series stability', () => {
  /**
   * Exact reference per window: shifted two-pass with k = the window's last value,
   * m = Σ(x − k)/n, var = Σ((x − k) − m)²/n; mean = k + m, z(last) = −m/σ.
   */
  function exact(xs: Float64Array, end: number, n: number): { mean: number; std: number; z: number } {
    const k = xs[end]!;
    let sum = 0;
    for (let j = end + 1 - n; j <= end; j++) sum += xs[j]! - k;
    const m = sum / n;
    let ss = 0;
    for (let j = end + 1 - n; j <= end; j++) ss += (xs[j]! - k - m) ** 2;
    const std = Math.sqrt(ss / n);
    return { mean: k + m, std, z: std === 0 ? 0 : -m / std };
  }

  test('over 2,000,000 random-walk values around 1e6, every window agrees with the exact two-pass to 1e-9 in σ units', () => {
    const n = 2_000_000;
    const lookback = 20;
    const rng = new Rng(20260106);
    const xs = new Float64Array(n);
    let x = 1e6;
    for (let i = 0; i < n; i++) {
      x += rng.normal() * 0.5;
      xs[i] = x;
    }
    const s = new RollingStats(lookback);
    let worstZ = 0;
    let worstMean = 0;
    let worstStd = 0;
    for (let i = 0; i < n; i++) {
      s.push(xs[i]!);
      if (i < lookback - 1) continue;
      const ref = exact(xs, i, lookback);
      // The mean's error measured in σ (mean-relative), the z of the newest value, σ relative.
      worstMean = Math.max(worstMean, Math.abs(s.mean - ref.mean) / ref.std);
      worstZ = Math.max(worstZ, Math.abs(s.zOf(xs[i]!) - ref.z));
      worstStd = Math.max(worstStd, Math.abs(s.std / ref.std - 1));
    }
    expect(s.count).toBe(lookback);
    expect(worstZ).toBeLessThan(1e-9);
    expect(worstMean).toBeLessThan(1e-9);
    expect(worstStd).toBeLessThan(1e-9);
  });
});
