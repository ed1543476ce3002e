import { describe, expect, test } from 'bun:test';
import { pbo } from '../../src/research/pbo.ts';

describe('PBO by CSCV', () => {
  test('a set better on every session is never overfit: PBO 0', () => {
    const good = [0.02, 0.01, 0.03, 0.015, 0.025, 0.02, 0.01, 0.03];
    const bad = good.map((x) => x - 0.05);
    const r = pbo([bad, good], 4);
    expect(r.groups).toBe(4);
    expect(r.combinations).toBe(6);
    expect(r.pbo).toBe(0);
  });

  test('hand-computed: two sets that swap leadership between halves', () => {
    // Groups (2 sessions each) of set A: good, good, bad, bad; set B the mirror image.
    // Of the C(4,2) = 6 splits, 2 (train {0,1} and {2,3}) pick the set that is worse on the test half
    // (rank 1 of 2: ω̄ = 1/3, λ < 0); the 4 mixed splits tie both sets on both halves: the first set
    // is picked and ranks 1.5 of 2 on the test half (ω̄ = ½, λ = 0, counted as overfit). PBO = 6/6.
    const A = [0.03, 0.01, 0.03, 0.01, -0.01, -0.03, -0.01, -0.03];
    const B = [-0.01, -0.03, -0.01, -0.03, 0.03, 0.01, 0.03, 0.01];
    expect(pbo([A, B], 4).pbo).toBe(1);
  });

  test('hand-computed: three sets, the steady one wins every mixed split', () => {
    // 4 groups of 2 sessions. A: (.02,.01) in groups 0–1, (−.01,−.02) in 2–3; B the mirror; C (.005,.001) throughout.
    // Sharpe (mean / population σ) on a half: A 3 on {0,1}, −3 on {2,3}, 0 on a mixed half; B the reverse; C always 1.5.
    // Train {0,1} picks A, worst on {2,3} (ω̄ = 1/4, λ < 0); train {2,3} picks B, worst on {0,1};
    // the 4 mixed splits pick C, best on the other mixed half (ω̄ = 3/4, λ > 0). PBO = 2/6.
    const A = [0.02, 0.01, 0.02, 0.01, -0.01, -0.02, -0.01, -0.02];
    const B = [-0.01, -0.02, -0.01, -0.02, 0.02, 0.01, 0.02, 0.01];
    const C = [0.005, 0.001, 0.005, 0.001, 0.005, 0.001, 0.005, 0.001];
    const r = pbo([A, B, C], 4);
    expect(r.combinations).toBe(6);
    expect(r.pbo).toBeCloseTo(2 / 6, 12);
    expect(r.medianLogit).toBeCloseTo(Math.log(3), 12);
  });

  test('too few sessions: null', () => {
    expect(pbo([[0.1, 0.2], [0.2, 0.1]], 16).pbo).toBeNull();
  });
});
