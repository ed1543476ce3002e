import { describe, expect, test } from 'bun:test';
import { compareAt, windowMomentsBig, zOfMoments } from '../../src/indicators/tick-moments.ts';
import { loadZScoreNative } from '../../src/indicators/zscore-native.ts';
import { bollingerStrategy } from '../../src/strategy/bollinger.ts';
import { centredLevels, reversionSignal } from '../../src/strategy/thresholds.ts';
import { ColumnCache, type PositionState, type Signal, type StrategyDefinition, type StrategyParams } from '../../src/strategy/types.ts';
import { zscoreStrategy } from '../../src/strategy/zscore.ts';
import { bars } from '../../src/testing/builders.ts';

// The binary itself, whatever QS_ZSCORE says (its absence fails zscore-native.test.ts).
const native = loadZScoreNative({});
const POSITIONS: readonly PositionState[] = ['flat', 'long', 'short'];

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Closes on the tick grid within `range` ticks: small ranges make z land on simple values often. */
function tickCloses(seed: number, n: number, range: number): number[] {
  const rand = rng(seed);
  return Array.from({ length: n }, () => 5000 + 0.25 * Math.floor(rand() * range));
}

/**
 * Every window of 10 values from 0..9 ticks (as value counts) whose last value has z = ±a/b
 * exactly, as [multiset without the last value, last value]. z = 2.5 needs three or more
 * distinct values and a range of 8 ticks, so random series almost never hit it.
 */
function tieWindows(a: number, b: number): Array<[number[], number]> {
  const out: Array<[number[], number]> = [];
  const counts: number[] = [];
  const visit = (v: number, left: number): void => {
    if (v === 9) {
      counts.push(left);
      let s1 = 0;
      let s2 = 0;
      counts.forEach((c, x) => ((s1 += c * x), (s2 += c * x * x)));
      const D = 10 * s2 - s1 * s1;
      counts.forEach((c, x) => {
        const N = 10 * x - s1;
        if (c > 0 && D > 0 && N * N * b * b === a * a * D) {
          const rest = counts.flatMap((k, y) => Array<number>(y === x ? k - 1 : k).fill(y));
          out.push([rest, x]);
        }
      });
      counts.pop();
      return;
    }
    for (let c = 0; c <= left; c++) {
      counts.push(c);
      visit(v + 1, left - c);
      counts.pop();
    }
  };
  visit(0, 10);
  return out;
}

/** Blocks of 10 closes, each a shuffled tie window (entry or exit level) at a random price level. */
function plantedCloses(seed: number, blocks: number, pools: ReadonlyArray<ReadonlyArray<[number[], number]>>): number[] {
  const rand = rng(seed);
  const out: number[] = [];
  for (let i = 0; i < blocks; i++) {
    const pool = pools[i % pools.length]!;
    const [rest, last] = pool[Math.floor(rand() * pool.length)]!;
    const shuffled = [...rest].sort(() => rand() - 0.5);
    const level = 5000 + 0.25 * Math.floor(rand() * 8);
    for (const v of [...shuffled, last]) out.push(level + 0.25 * v);
  }
  return out;
}

/**
 * The README rule evaluated in BigInt, independently of the code under test: with z = N/√D and a
 * level a/b (b > 0), z ≥ a/b ⟺ b·N ≥ a·√D, decided by signs and then by squares.
 */
function zAtLeast(N: bigint, D: bigint, a: bigint, b: bigint): boolean {
  if (D === 0n) return 0n >= a;
  const left = b * N;
  if (left >= 0n && a <= 0n) return true;
  if (left < 0n && a >= 0n) return false;
  return left >= 0n ? left * left >= a * a * D : left * left <= a * a * D;
}
function zAtMost(N: bigint, D: bigint, a: bigint, b: bigint): boolean {
  return zAtLeast(-N, D, -a, b);
}

/** Reference advice at every bar for a position held constant, from BigInt window sums. */
function referenceSignals(closes: readonly number[], lookback: number, entry: [bigint, bigint], exit: [bigint, bigint], position: PositionState): Signal[] {
  const ticks = closes.map((c) => c * 4);
  const [ea, eb] = entry;
  const [xa, xb] = exit;
  return closes.map((_, i): Signal => {
    if (i + 1 < lookback) return 'none';
    const { num: N, den: D } = windowMomentsBig(ticks, i, lookback);
    if (position === 'flat') return zAtMost(N, D, -ea, eb) ? 'enter_long' : zAtLeast(N, D, ea, eb) ? 'enter_short' : 'none';
    if (position === 'long') return zAtLeast(N, D, -xa, xb) ? 'exit' : 'none';
    return zAtMost(N, D, xa, xb) ? 'exit' : 'none';
  });
}

function strategySignals(def: StrategyDefinition, params: StrategyParams, closes: readonly number[], position: PositionState, batch: boolean): Signal[] {
  const series = bars(closes.map((c) => [c, c, c, c] as const));
  const s = def.create(params, batch ? new ColumnCache(series) : undefined);
  return closes.map((c) => s.onBar(c, position));
}

/** Advice from the native kernel's column directly (not through the dispatch). */
function nativeSignals(closes: readonly number[], lookback: number, entry: number, exit: number, position: PositionState): Signal[] {
  const series = Float64Array.from(closes);
  const column = native!.rollingTickMoments(series, lookback);
  const z = zOfMoments(column);
  const levels = centredLevels(entry, exit);
  return closes.map((_, i) => reversionSignal((t) => compareAt(column, z, i, series, lookback, t), position, levels));
}

const CASES: Array<{ entry: number; exit: number; e: [bigint, bigint]; x: [bigint, bigint] }> = [
  { entry: 2, exit: 0.5, e: [2n, 1n], x: [1n, 2n] },
  { entry: 1.5, exit: 0, e: [3n, 2n], x: [0n, 1n] },
  { entry: 2.5, exit: 1, e: [5n, 2n], x: [1n, 1n] },
];

describe('a z exactly on a threshold decides the same everywhere (lookback 10, tick-grid series built to tie)', () => {
  for (const { entry, exit, e, x } of CASES) {
    test(`entry ${entry}, exit ${exit}: native batch = TS batch = TS incremental = BigInt reference at every bar`, () => {
      const pools = [tieWindows(Number(e[0]), Number(e[1])), tieWindows(Number(x[0]), Number(x[1]))];
      expect(pools[0]!.length).toBeGreaterThan(0);
      let ties = 0;
      let compared = 0;
      for (let seed = 1; seed <= 40; seed++) {
        // Planted ties, and plain small-range series for everything in between.
        const closes = seed % 4 === 0 ? tickCloses(seed, 400, 2 + (seed % 5)) : plantedCloses(seed, 40, pools);
        const params = { lookback: 10, entry, exit };
        for (const position of POSITIONS) {
          const expected = referenceSignals(closes, 10, e, x, position);
          expect(strategySignals(zscoreStrategy, params, closes, position, false)).toEqual(expected);
          expect(strategySignals(zscoreStrategy, params, closes, position, true)).toEqual(expected);
          if (native) expect(nativeSignals(closes, 10, entry, exit, position)).toEqual(expected);
          compared += closes.length;
        }
        const ticks = closes.map((c) => c * 4);
        for (let i = 9; i < closes.length; i++) {
          const { num, den } = windowMomentsBig(ticks, i, 10);
          // z² = entry² with N of either sign: an entry tie
          if (num * num * e[1] * e[1] === e[0] * e[0] * den && den > 0n) ties++;
        }
      }
      expect(compared).toBe(40 * 400 * 3);
      // The series do land on the entry threshold: the test exercises ties, not just easy bars.
      expect(ties).toBeGreaterThan(400);
    });
  }

  test('bollinger (k 2): batch, incremental and the reference (z-rule with exit 0) agree at every bar', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const closes = seed % 2 ? tickCloses(100 + seed, 300, 2 + (seed % 4)) : plantedCloses(seed, 30, [tieWindows(2, 1), tieWindows(0, 1)]);
      for (const position of POSITIONS) {
        const expected = referenceSignals(closes, 10, [2n, 1n], [0n, 1n], position);
        expect(strategySignals(bollingerStrategy, { period: 10, k: 2 }, closes, position, false)).toEqual(expected);
        expect(strategySignals(bollingerStrategy, { period: 10, k: 2 }, closes, position, true)).toEqual(expected);
      }
    }
  });

  test('appending bars never changes an earlier decision (batch columns of every prefix)', () => {
    const closes = tickCloses(77, 600, 4);
    const params = { lookback: 10, entry: 2, exit: 0.5 };
    for (const position of POSITIONS) {
      const full = strategySignals(zscoreStrategy, params, closes, position, true);
      for (const cut of [10, 11, 12, 50, 199, 599]) {
        expect(strategySignals(zscoreStrategy, params, closes.slice(0, cut), position, true)).toEqual(full.slice(0, cut));
        if (native) expect(nativeSignals(closes.slice(0, cut), 10, 2, 0.5, position)).toEqual(full.slice(0, cut));
      }
    }
  });
});

describe('the issue series: z = 2 exactly at bar 9 with lookback 10', () => {
  const closes = [5011.5, 5018.5, 5024.5, 5021.25, 5014.75, 5019, 5019, 5019.5, 5026.5, 5031.5, 5031.5, 5031.5];
  const params = { lookback: 10, entry: 2, exit: 0.5 };
  test('z ≥ +entry: enter_short at bar 9, in the batch and the incremental path', () => {
    for (const batch of [false, true]) {
      const out = strategySignals(zscoreStrategy, params, closes, 'flat', batch);
      expect(out[9]).toBe('enter_short');
      expect(out.filter((s) => s !== 'none')).toEqual(['enter_short']);
    }
    if (native) expect(nativeSignals(closes, 10, 2, 0.5, 'flat')[9]).toBe('enter_short');
  });

  test('entry 2 + 1e-9 is just above z: nothing', () => {
    expect(strategySignals(zscoreStrategy, { ...params, entry: 2.000000001 }, closes, 'flat', true)[9]).toBe('none');
  });
});
