import * as v from 'valibot';
import { Rsi } from '../indicators/rsi.ts';
import { threshold, type Threshold } from '../indicators/threshold.ts';
import { reversionSignalCode, type ReversionLevels } from './thresholds.ts';
import { strategyOf, type Strategy, type StrategyDefinition, type StrategyParams } from './types.ts';

/**
 * RSI reversion: flat and RSI ≤ oversold → long; RSI ≥ overbought → short; a long exits when
 * RSI ≥ exitLevel, a short when RSI ≤ 100 − exitLevel. Levels are compared exactly (see
 * `indicators/rsi.ts` for what exact means for Wilder's smoothing).
 */
const schema = v.strictObject({
  period: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(1000)), 14),
  oversold: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100)), 30),
  overbought: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100)), 70),
  exitLevel: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100)), 50),
});

export const rsiStrategy: StrategyDefinition = {
  name: 'rsi',
  description: 'RSI (Wilder) reversion (period, oversold, overbought, exitLevel)',
  schema,
  defaults: { period: 14, oversold: 30, overbought: 70, exitLevel: 50 },
  defaultGrid: { period: [7, 14, 21], oversold: [20, 25, 30], overbought: [70, 75, 80], exitLevel: [50] },
  check(p) {
    const out = [];
    if (p.oversold! >= p.overbought!) out.push({ param: 'oversold', message: `oversold (${p.oversold}) must be below overbought (${p.overbought})` });
    if (p.exitLevel! <= p.oversold! || p.exitLevel! >= p.overbought!) {
      out.push({ param: 'exitLevel', message: `exitLevel (${p.exitLevel}) must lie between oversold (${p.oversold}) and overbought (${p.overbought})` });
    } else if (100 - p.exitLevel! >= p.overbought! || 100 - p.exitLevel! <= p.oversold!) {
      // Shorts exit at RSI ≤ 100 − exitLevel: that level must also lie strictly between the two.
      out.push({ param: 'exitLevel', message: `a short exits at RSI ≤ ${100 - p.exitLevel!} (100 − exitLevel), which must lie between oversold (${p.oversold}) and overbought (${p.overbought})` });
    }
    return out;
  },
  warmupBars: (p) => p.period! + 1,
  create(p: StrategyParams): Strategy {
    const rsi = new Rsi(p.period!);
    const levels = rsiLevels(p.oversold!, p.overbought!, p.exitLevel!);
    const compare = rsi.compare.bind(rsi);
    return strategyOf((close, direction) => {
      rsi.push(close);
      return reversionSignalCode(compare, direction, levels);
    });
  },
};

function rsiLevels(oversold: number, overbought: number, exitLevel: number): ReversionLevels {
  const exit = threshold(exitLevel);
  // 100 − exitLevel as a decimal too: (100q − p)/q, not the rounded difference of doubles.
  const mirrored: Threshold = { value: 100 - exitLevel, p: 100n * exit.q - exit.p, q: exit.q };
  return { enterLong: threshold(oversold), enterShort: threshold(overbought), exitLong: exit, exitShort: mirrored };
}
