import * as v from 'valibot';
import { Rsi } from '../indicators/rsi.ts';
import type { Strategy, StrategyDefinition, StrategyParams } from './types.ts';

/**
 * RSI reversion: flat and RSI ≤ oversold → long; RSI ≥ overbought → short; a long exits when
 * RSI ≥ exitLevel, a short when RSI ≤ 100 − exitLevel.
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
    const { oversold, overbought, exitLevel } = p as Required<Record<'oversold' | 'overbought' | 'exitLevel', number>>;
    return {
      onBar(close, position) {
        const r = rsi.push(close);
        if (r === null) return 'none';
        if (position === 'flat') return r <= oversold ? 'enter_long' : r >= overbought ? 'enter_short' : 'none';
        if (position === 'long') return r >= exitLevel ? 'exit' : 'none';
        return r <= 100 - exitLevel ? 'exit' : 'none';
      },
    };
  },
};
