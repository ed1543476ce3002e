import { describe, expect, test } from 'bun:test';
import { NEAR, reachedLevelsTs } from '../../src/indicators/tick-moments.ts';
import { loadZScoreNative } from '../../src/indicators/zscore-native.ts';

// The binary itself, whatever QS_ZSCORE says (its presence is asserted in zscore-native.test.ts).
const native = loadZScoreNative({});

/** z values that sit on, just beside and far from the levels, NaN, ±0, ±∞ and huge ones. */
function awkwardZ(levels: readonly number[], n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const special = [Number.NaN, 0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e300, -1e300, 5e-324];
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rnd();
    const level = levels[Math.floor(rnd() * levels.length)]!;
    if (r < 0.05) z[i] = special[Math.floor(rnd() * special.length)]!;
    else if (r < 0.25) z[i] = level;
    // Within a few ulps and around the 1e-12 margin of a level.
    else if (r < 0.5) z[i] = level + (rnd() - 0.5) * Math.abs(level || 1) * 10 ** -(9 + Math.floor(rnd() * 8));
    else z[i] = (rnd() - 0.5) * 8;
  }
  return z;
}

const LEVEL_SETS = [
  [-2, 2, -0.5, 0.5],
  [-1.5, 1.5, 0, 0],
  [-3, 2.5, -1, 0.25],
  [0.1 + 0.2, -(0.1 + 0.2), 0.3, -0.3],
] as const;

describe('reachedLevelsTs', () => {
  test('far bars carry one bit per level reached, ties and NaN are NEAR', () => {
    const out = reachedLevelsTs(new Float64Array([-3, 3, 0, -2, 0.5, Number.NaN, -1]), -2, 2, -0.5, 0.5);
    expect([...out]).toEqual([1 | 2 | 16, 1 | 4 | 8, 1 | 8 | 16, NEAR, NEAR, NEAR, 1 | 16]);
  });
});

describe.skipIf(native === null)('native reachedLevels', () => {
  test.each(LEVEL_SETS.map((l, k) => [k, l] as const))('writes the bytes the TypeScript pass writes (level set %d)', (k, levels) => {
    const [eL, eS, xL, xS] = levels;
    // Lengths that are not multiples of any vector width leave a tail the scalar loop does.
    for (const n of [0, 1, 3, 7, 1000, 100_003]) {
      const z = awkwardZ(levels, n, 17 + k * 31 + n);
      const got = native!.reachedLevels(z, eL, eS, xL, xS);
      expect(got).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(got).equals(Buffer.from(reachedLevelsTs(z, eL, eS, xL, xS)))).toBe(true);
    }
  });

  test('a z column that is not a Float64Array is a TypeError naming it', () => {
    expect(() => native!.reachedLevels([1, 2] as unknown as Float64Array, -2, 2, -0.5, 0.5)).toThrow(/z must be a Float64Array/);
  });
});
