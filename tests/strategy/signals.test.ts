import { describe, expect, test } from 'bun:test';
import { bollingerStrategy } from '../../src/strategy/bollinger.ts';
import { rsiStrategy } from '../../src/strategy/rsi.ts';
import type { Threshold } from '../../src/indicators/threshold.ts';
import { centredLevels, reversionSignal } from '../../src/strategy/thresholds.ts';
import { ColumnCache, type PositionState, type Signal, type StrategyDefinition, type StrategyParams } from '../../src/strategy/types.ts';
import { zscoreStrategy } from '../../src/strategy/zscore.ts';
import { bars } from '../../src/testing/builders.ts';

/** Feeds closes while flat and returns the advice at the last close for `position`. */
function adviceAtLast(def: StrategyDefinition, params: StrategyParams, closes: readonly number[], position: PositionState, batch = false): Signal {
  const series = bars(closes.map((c) => [c, c, c, c] as [number, number, number, number]));
  const s = def.create(params, batch ? new ColumnCache(series) : undefined);
  closes.slice(0, -1).forEach((c) => s.onBar(c, 'flat'));
  return s.onBar(closes[closes.length - 1]!, position);
}

/** A compare of a known value (test values and levels are exact in binary). */
const valueOf = (value: number | null) => (t: Threshold) => (value === null ? null : (Math.sign(value - t.value) as -1 | 0 | 1));

describe('reversionSignal: the shared threshold rule', () => {
  const levels = centredLevels(2, 0.5);
  test('at exactly −entry a flat position goes long; at +entry short', () => {
    expect(reversionSignal(valueOf(-2), 'flat', levels)).toBe('enter_long');
    expect(reversionSignal(valueOf(2), 'flat', levels)).toBe('enter_short');
    expect(reversionSignal(valueOf(-1.999), 'flat', levels)).toBe('none');
    expect(reversionSignal(valueOf(1.999), 'flat', levels)).toBe('none');
  });

  test('a long exits at exactly −exit, a short at exactly +exit', () => {
    expect(reversionSignal(valueOf(-0.5), 'long', levels)).toBe('exit');
    expect(reversionSignal(valueOf(-0.501), 'long', levels)).toBe('none');
    expect(reversionSignal(valueOf(0.5), 'short', levels)).toBe('exit');
    expect(reversionSignal(valueOf(0.501), 'short', levels)).toBe('none');
  });

  test('not warmed up advises nothing in any position', () => {
    for (const p of ['flat', 'long', 'short'] as const) expect(reversionSignal(valueOf(null), p, levels)).toBe('none');
  });

  test('centredLevels keeps the decimals as written: 0.1 is 1/10', () => {
    expect(centredLevels(2.5, 0.1)).toEqual({
      enterLong: { value: -2.5, p: -25n, q: 10n },
      enterShort: { value: 2.5, p: 25n, q: 10n },
      exitLong: { value: -0.1, p: -1n, q: 10n },
      exitShort: { value: 0.1, p: 1n, q: 10n },
    });
  });
});

// With lookback 2 the window [a, b] has mean (a + b)/2 and σ = |b − a|/2, so z(b) is exactly −1, 0 or +1.
for (const batch of [false, true]) {
  describe(`zscore at its thresholds (${batch ? 'batch columns' : 'incremental'})`, () => {
    const p = { lookback: 2, entry: 1, exit: 0 };
    test('a falling close (z = −1 = −entry) enters long; a rising one (z = +1) enters short', () => {
      expect(adviceAtLast(zscoreStrategy, p, [10, 8], 'flat', batch)).toBe('enter_long');
      expect(adviceAtLast(zscoreStrategy, p, [10, 12], 'flat', batch)).toBe('enter_short');
    });

    test('just inside the entry threshold (entry 1.0001), z = ±1 advises nothing', () => {
      const q = { ...p, entry: 1.0001 };
      expect(adviceAtLast(zscoreStrategy, q, [10, 8], 'flat', batch)).toBe('none');
      expect(adviceAtLast(zscoreStrategy, q, [10, 12], 'flat', batch)).toBe('none');
    });

    test('z = 0 = −exit exits a long and z = 0 = +exit exits a short; z = −1 keeps the long', () => {
      expect(adviceAtLast(zscoreStrategy, p, [10, 10], 'long', batch)).toBe('exit');
      expect(adviceAtLast(zscoreStrategy, p, [10, 10], 'short', batch)).toBe('exit');
      expect(adviceAtLast(zscoreStrategy, p, [10, 8], 'long', batch)).toBe('none');
      expect(adviceAtLast(zscoreStrategy, p, [10, 12], 'short', batch)).toBe('none');
    });

    test('a constant window (σ = 0, z = 0) enters nothing', () => {
      expect(adviceAtLast(zscoreStrategy, { lookback: 3, entry: 0.5, exit: 0 }, [10, 10, 10], 'flat', batch)).toBe('none');
    });
  });
}

// With period 2 and k 1, the bands of [a, b] are exactly min(a, b), (a + b)/2 and max(a, b).
describe('bollinger at its bands', () => {
  const p = { period: 2, k: 1 };
  test('a close at the lower band enters long; at the upper band short', () => {
    expect(adviceAtLast(bollingerStrategy, p, [10, 8], 'flat')).toBe('enter_long');
    expect(adviceAtLast(bollingerStrategy, p, [10, 12], 'flat')).toBe('enter_short');
  });

  test('a close just inside the bands (k 1.0001) enters nothing', () => {
    expect(adviceAtLast(bollingerStrategy, { period: 2, k: 1.0001 }, [10, 8], 'flat')).toBe('none');
    expect(adviceAtLast(bollingerStrategy, { period: 2, k: 1.0001 }, [10, 12], 'flat')).toBe('none');
  });

  test('a long exits at or above the middle band, a short at or below it', () => {
    // [10, 10]: middle 10 = close (the boundary); [10, 12]: close above the middle; [10, 8]: below
    expect(adviceAtLast(bollingerStrategy, p, [10, 10], 'long')).toBe('exit');
    expect(adviceAtLast(bollingerStrategy, p, [10, 12], 'long')).toBe('exit');
    expect(adviceAtLast(bollingerStrategy, p, [10, 8], 'long')).toBe('none');
    expect(adviceAtLast(bollingerStrategy, p, [10, 10], 'short')).toBe('exit');
    expect(adviceAtLast(bollingerStrategy, p, [10, 8], 'short')).toBe('exit');
    expect(adviceAtLast(bollingerStrategy, p, [10, 12], 'short')).toBe('none');
  });

  test('a constant window (zero-width bands) enters nothing, like z = 0 when σ = 0', () => {
    expect(adviceAtLast(bollingerStrategy, { period: 3, k: 2 }, [5000, 5000, 5000], 'flat')).toBe('none');
  });
});

// Period 2: [10, 13, 6] → changes +3, −7 → avgGain 1.5, avgLoss 3.5 → RSI = 100·1.5/5 = 30.
//           [10, 17, 14] → changes +7, −3 → avgGain 3.5, avgLoss 1.5 → RSI = 100·3.5/5 = 70.
describe('rsi at its levels', () => {
  const p = { period: 2, oversold: 30, overbought: 70, exitLevel: 50 };
  test('RSI = oversold enters long; RSI = overbought enters short', () => {
    expect(adviceAtLast(rsiStrategy, p, [10, 13, 6], 'flat')).toBe('enter_long');
    expect(adviceAtLast(rsiStrategy, p, [10, 17, 14], 'flat')).toBe('enter_short');
  });

  test('RSI just above oversold or just below overbought enters nothing', () => {
    expect(adviceAtLast(rsiStrategy, { ...p, oversold: 29.999 }, [10, 13, 6], 'flat')).toBe('none');
    expect(adviceAtLast(rsiStrategy, { ...p, overbought: 70.001 }, [10, 17, 14], 'flat')).toBe('none');
  });

  test('a long exits at RSI = exitLevel, a short at RSI = 100 − exitLevel', () => {
    const q = { period: 2, oversold: 20, overbought: 80 };
    expect(adviceAtLast(rsiStrategy, { ...q, exitLevel: 30 }, [10, 13, 6], 'long')).toBe('exit');
    expect(adviceAtLast(rsiStrategy, { ...q, exitLevel: 30.001 }, [10, 13, 6], 'long')).toBe('none');
    expect(adviceAtLast(rsiStrategy, { ...q, exitLevel: 70 }, [10, 13, 6], 'short')).toBe('exit');
    expect(adviceAtLast(rsiStrategy, { ...q, exitLevel: 70 }, [10, 17, 14], 'short')).toBe('none');
  });
});

describe('rsi levels are decided exactly', () => {
  // [10, 10.5, 9.75]: changes +2, −3 ticks → RSI = 100·2/5 = 40 exactly; the textbook
  // 100 − 100/(1 + RS) gives 39.99999999999999 in doubles and would miss the level.
  test('RSI exactly 40 exits a long at exitLevel 40 and a short at 100 − 60', () => {
    expect(100 - 100 / (1 + 1 / 1.5)).toBeLessThan(40);
    expect(adviceAtLast(rsiStrategy, { period: 2, oversold: 30, overbought: 70, exitLevel: 40 }, [10, 10.5, 9.75], 'long')).toBe('exit');
    expect(adviceAtLast(rsiStrategy, { period: 2, oversold: 30, overbought: 70, exitLevel: 60 }, [10, 10.5, 9.75], 'short')).toBe('exit');
    expect(adviceAtLast(rsiStrategy, { period: 2, oversold: 30, overbought: 70, exitLevel: 40.000001 }, [10, 10.5, 9.75], 'long')).toBe('none');
  });

  test('RSI exactly 40 enters long at oversold 40, not at 39.999999', () => {
    expect(adviceAtLast(rsiStrategy, { period: 2, oversold: 40, overbought: 70, exitLevel: 50 }, [10, 10.5, 9.75], 'flat')).toBe('enter_long');
    expect(adviceAtLast(rsiStrategy, { period: 2, oversold: 39.999999, overbought: 70, exitLevel: 50 }, [10, 10.5, 9.75], 'flat')).toBe('none');
  });
});

describe('warm-up', () => {
  // [100, 50, 0] falls hard: once the window is full each strategy says enter_long (z ≈ −1.22 with
  // lookback 3; close 0 below the lower band 50 − 40.8; RSI 0 with period 2), never before.
  const cases: Array<[StrategyDefinition, StrategyParams]> = [
    [zscoreStrategy, { lookback: 3, entry: 1, exit: 0 }],
    [bollingerStrategy, { period: 3, k: 1 }],
    [rsiStrategy, { period: 2, oversold: 30, overbought: 70, exitLevel: 50 }],
  ];
  for (const [def, params] of cases) {
    test(`${def.name}: 'none' until warmupBars closes are in, then the signal`, () => {
      const s = def.create(params);
      const out = [100, 50, 0].map((c) => s.onBar(c, 'flat'));
      expect(def.warmupBars(params)).toBe(3);
      expect(out).toEqual(['none', 'none', 'enter_long']);
    });
  }
});
