import { describe, expect, test } from 'bun:test';
import { Rng } from '../../src/market/rng.ts';

const draw = (rng: Rng, n: number, f: (r: Rng) => number) => Array.from({ length: n }, () => f(rng));

describe('Rng', () => {
  test('the same seed gives the same stream, another seed a different one', () => {
    expect(draw(new Rng(42), 20, (r) => r.nextUint32())).toEqual(draw(new Rng(42), 20, (r) => r.nextUint32()));
    expect(draw(new Rng(42), 20, (r) => r.nextUint32())).not.toEqual(draw(new Rng(43), 20, (r) => r.nextUint32()));
  });

  test('seeds beyond 2^32 are not folded onto small ones', () => {
    expect(new Rng(2 ** 32 + 5).nextUint32()).not.toBe(new Rng(5).nextUint32());
  });

  test('uniform stays inside (0, 1) with mean ½ and variance 1/12', () => {
    const xs = draw(new Rng(1), 200_000, (r) => r.uniform());
    expect(xs.every((x) => x > 0 && x < 1)).toBe(true);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  test('normal has mean 0, variance 1 and Gaussian tails', () => {
    const xs = draw(new Rng(2), 200_000, (r) => r.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    const beyond2 = xs.filter((x) => Math.abs(x) > 2).length / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    expect(beyond2).toBeGreaterThan(0.04);
    expect(beyond2).toBeLessThan(0.051);
  });

  test('consecutive normals are uncorrelated (the cached spare is independent)', () => {
    const xs = draw(new Rng(3), 100_000, (r) => r.normal());
    let c = 0;
    for (let i = 1; i < xs.length; i++) c += xs[i]! * xs[i - 1]!;
    expect(Math.abs(c / xs.length)).toBeLessThan(0.015);
  });

  test('a non-finite seed is refused', () => {
    expect(() => new Rng(Number.NaN)).toThrow(RangeError);
  });
});
