import { describe, expect, test } from 'bun:test';
import { randomWalkPrices } from '../../src/bench/zscore.ts';
import { loadZScoreNative } from '../../src/indicators/zscore-native.ts';
import { rollingZScoreTs } from '../../src/indicators/zscore-ts.ts';
import { rollingTickMomentsTs } from '../../src/indicators/tick-moments.ts';
import { describeZScoreImpl, rollingTickMoments, zscoreImpl } from '../../src/indicators/zscore.ts';

/**
 * Exact reference for every window: shifted two-pass with k = the window's last close,
 * m = Σ(x−k)/n, var = Σ((x−k)−m)²/n, z = −m/√var (0 when all equal). The plain two-pass
 * (mean = Σx/n first) is itself inexact near 1e6 and for nearly-constant series.
 */
function exactRollingZScore(closes: Float64Array, lookback: number): Float64Array {
  const z = new Float64Array(closes.length).fill(Number.NaN);
  for (let i = lookback - 1; i < closes.length; i++) {
    const k = closes[i]!;
    let sum = 0;
    let allEqual = true;
    for (let j = i + 1 - lookback; j <= i; j++) {
      sum += closes[j]! - k;
      allEqual &&= closes[j] === k;
    }
    const m = sum / lookback;
    let ss = 0;
    for (let j = i + 1 - lookback; j <= i; j++) ss += (closes[j]! - k - m) ** 2;
    z[i] = allEqual ? 0 : -m / Math.sqrt(ss / lookback);
  }
  return z;
}

function maxAbsError(z: Float64Array, reference: Float64Array, lookback: number): number {
  let worst = 0;
  for (let i = lookback - 1; i < z.length; i++) worst = Math.max(worst, Math.abs(z[i]! - reference[i]!));
  return Number.isNaN(worst) ? Number.POSITIVE_INFINITY : worst;
}

describe('selector', () => {
  test('the batch path is native exactly when the native module loads', () => {
    expect(zscoreImpl).toBe(loadZScoreNative() ? 'native' : 'ts');
  });

  test('QS_ZSCORE=ts selects TypeScript, and the description says why', () => {
    const code = `import('${import.meta.dir}/../../src/indicators/zscore.ts').then(m => console.log(m.zscoreImpl + '|' + m.describeZScoreImpl()))`;
    const run = Bun.spawnSync([process.execPath, '-e', code], { env: { ...process.env, QS_ZSCORE: 'ts' } });
    expect(run.stdout.toString().trim()).toBe('ts|z-score: batch TypeScript (QS_ZSCORE=ts), live push TypeScript');
  });

  test('describeZScoreImpl is one line naming the batch implementation', () => {
    const line = describeZScoreImpl();
    expect(line).not.toContain('\n');
    expect(line).toContain(zscoreImpl === 'native' ? 'batch native' : 'batch TypeScript');
  });

  test('rollingTickMoments: window of ticks [4, 8, 12] has N = 12, D = 96', () => {
    const m = rollingTickMoments(new Float64Array([1, 2, 3]), 3);
    expect(Array.from(m)).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN, 12, 96]);
  });

  test('rollingTickMoments writes into `out` when given and equals the TypeScript column', () => {
    const closes = Float64Array.from(randomWalkPrices(2_000, 3), (c) => Math.round(c * 4) / 4);
    const out = new Float64Array(4_000);
    expect(rollingTickMoments(closes, 20, out)).toBe(out);
    const ts = rollingTickMomentsTs(closes, 20);
    expect(out.every((v, i) => Object.is(v, ts[i]))).toBe(true);
  });
});

describe('accuracy over 1,000,000 closes against the exact shifted two-pass', () => {
  const native = loadZScoreNative({});
  const implementations: Array<[string, (closes: Float64Array, lookback: number) => Float64Array]> = [
    ['TypeScript', rollingZScoreTs],
    // Missing module: zscore-native.test.ts fails unless QS_ALLOW_NO_NATIVE=1.
    ...(native ? [['native', native.rollingZScore] as [string, typeof rollingZScoreTs]] : []),
  ];
  const cases: Array<[string, Float64Array]> = [
    ['random walk around 5000', randomWalkPrices(1_000_000, 21, 5000, 0.5)],
    ['random walk around 1e6', randomWalkPrices(1_000_000, 22, 1e6, 0.5)],
    ['nearly constant: 5000 with steps of 1e-7', randomWalkPrices(1_000_000, 23, 5000, 1e-7)],
  ];
  for (const [caseName, closes] of cases) {
    const reference = exactRollingZScore(closes, 20);
    for (const [implName, rolling] of implementations) {
      test(`${implName}, ${caseName}: error below 1e-12 (required: 1e-9)`, () => {
        expect(maxAbsError(rolling(closes, 20), reference, 20)).toBeLessThan(1e-12);
      });
    }
  }
});
