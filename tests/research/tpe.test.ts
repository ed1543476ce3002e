import { describe, expect, test } from 'bun:test';
import { Rng } from '../../src/market/rng.ts';
import { keyOf, parzen, randomPoints, sampledSearch, spaceSize } from '../../src/research/tpe.ts';

const dims = [Array.from({ length: 10 }, (_, i) => i), Array.from({ length: 10 }, (_, i) => i), Array.from({ length: 10 }, (_, i) => i)];
/** A smooth bowl with its top at (7, 2, 5): 0 there, lower elsewhere. */
const bowl = (p: readonly number[]) => -((p[0]! - 7) ** 2 + (p[1]! - 2) ** 2 + (p[2]! - 5) ** 2);

describe('sampled search', () => {
  test('random points are distinct, inside the space, and the same for the same seed', () => {
    const a = randomPoints(dims, 200, new Rng(4));
    expect(new Set(a.map(keyOf)).size).toBe(200);
    expect(a.every((p) => p.every((i) => i >= 0 && i < 10))).toBe(true);
    expect(randomPoints(dims, 200, new Rng(4))).toEqual(a);
    // A budget larger than the space tries each point once.
    const small = [[1, 2], [3, 4, 5]];
    expect(randomPoints(small, 100, new Rng(1)).map(keyOf).sort()).toEqual(['0,0', '0,1', '0,2', '1,0', '1,1', '1,2']);
  });

  test('Parzen densities by hand: 4 points, the best one (γ = ¼) good, value counts with a +1 prior', () => {
    const tried = [
      { point: [0, 1], score: 5 },
      { point: [1, 1], score: 1 },
      { point: [1, 0], score: 2 },
      { point: [1, 1], score: null },
    ];
    const { good, bad } = parzen([[10, 20], [30, 40]], tried);
    // good = {[0,1]}: dim 0 → (1+1, 0+1) / 3; bad = 3 points: dim 0 → (0+1, 3+1) / 5.
    expect(good[0]).toEqual([2 / 3, 1 / 3]);
    expect(good[1]).toEqual([1 / 3, 2 / 3]);
    expect(bad[0]).toEqual([1 / 5, 4 / 5]);
    expect(bad[1]).toEqual([2 / 5, 3 / 5]);
  });

  test('within a budget of 60 of 1,000 points TPE gets closer to the top than random search, seed for seed', async () => {
    let tpeWins = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const run = (sampler: 'random' | 'tpe') => sampledSearch(dims, { sampler, budget: 60, seed, batch: 2 }, async (pts) => pts.map(bowl));
      const best = async (sampler: 'random' | 'tpe') => Math.max(...(await run(sampler)).map((t) => t.score!));
      if ((await best('tpe')) > (await best('random'))) tpeWins++;
      const tried = await run('tpe');
      expect(tried).toHaveLength(60);
      expect(new Set(tried.map((t) => keyOf(t.point))).size).toBe(60);
      expect(await run('tpe')).toEqual(tried);
    }
    expect(tpeWins).toBeGreaterThanOrEqual(4);
    expect(spaceSize(dims)).toBe(1000);
  });
});
