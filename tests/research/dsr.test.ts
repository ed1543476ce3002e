import { describe, expect, test } from 'bun:test';
import { deflatedSharpe, dsrOfGrid, expectedMaxSharpe } from '../../src/research/dsr.ts';
import { normCdf, normInv, quantileSorted, moments } from '../../src/research/stats.ts';

describe('normal distribution helpers', () => {
  test('Φ and Φ⁻¹ match table values', () => {
    expect(normCdf(0)).toBeCloseTo(0.5, 7);
    expect(normCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normCdf(-1)).toBeCloseTo(0.158655, 6);
    expect(normInv(0.99)).toBeCloseTo(2.326348, 6);
    expect(normInv(0.025)).toBeCloseTo(-1.959964, 6);
  });

  test('type-7 quantiles and moments by hand', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([10, 20, 30, 40, 50], 0.05)).toBeCloseTo(12, 12);
    // [1, 2, 3, 10]: mean 4, deviations −3 −2 −1 6 → m2 = 50/4, m3 = 180/4, m4 = 1394/4 → skew 45/12.5^1.5, kurtosis 348.5/156.25.
    const m = moments([1, 2, 3, 10]);
    expect(m.skew).toBeCloseTo(45 / 12.5 ** 1.5, 12);
    expect(m.kurtosis).toBeCloseTo(348.5 / 156.25, 12);
  });
});

describe('Deflated Sharpe Ratio', () => {
  test("the paper's numerical example: SR 2.5, T 1250, N 100, V[SR] ½ (annual, 250 days), skew −3, kurtosis 10 → DSR 0.9004", () => {
    const perDay = (x: number) => x / Math.sqrt(250);
    const dsr = deflatedSharpe({ sharpe: perDay(2.5), observations: 1250, trials: 100, sharpeVariance: 0.5 / 250, skew: -3, kurtosis: 10 });
    expect(dsr).toBeCloseTo(0.9004, 4);
    expect(expectedMaxSharpe(100, 0.5) ).toBeCloseTo(1.7894, 3);
  });

  test('one trial: the benchmark is 0 and DSR is the probabilistic Sharpe against 0', () => {
    expect(expectedMaxSharpe(1, 4)).toBe(0);
    // SR 0.1, T 101, normal returns: Φ(0.1 · 10 / √(1 + 0.5 · 0.01)).
    expect(deflatedSharpe({ sharpe: 0.1, observations: 101, trials: 1, sharpeVariance: 0, skew: 0, kurtosis: 3 })).toBeCloseTo(normCdf(1 / Math.sqrt(1.005)), 10);
  });

  test('more trials deflate the same Sharpe further', () => {
    const base = { sharpe: 0.1, observations: 500, sharpeVariance: 0.002, skew: 0, kurtosis: 3 };
    expect(deflatedSharpe({ ...base, trials: 1000 })).toBeLessThan(deflatedSharpe({ ...base, trials: 10 }));
  });

  test('from grid returns: annualised figures and null when a Sharpe is undefined', () => {
    const a = [0.01, -0.005, 0.02, 0.0, 0.01];
    const b = [0.0, 0.001, -0.002, 0.001, 0.0];
    const r = dsrOfGrid([a, b], 0);
    expect(r.trials).toBe(2);
    expect(r.sessions).toBe(5);
    expect(r.dsr).not.toBeNull();
    expect(r.dsr!).toBeGreaterThan(0);
    expect(r.dsr!).toBeLessThan(1);
    expect(dsrOfGrid([[0.01, 0.01, 0.01]], 0).dsr).toBeNull();
  });
});
