import * as v from 'valibot';
import { Bollinger } from '../indicators/bollinger.ts';
import type { Strategy, StrategyDefinition, StrategyParams } from './types.ts';

/**
 * Bollinger Bands reversion: flat and close ≤ lower band → long; close ≥ upper band → short;
 * a long exits when the close is back at or above the middle band, a short at or below it.
 * Bands of zero width (σ = 0, all closes equal) advise no entry: the close sits on both bands at
 * once, so there is no deviation to revert (the same rule as z = 0 when σ = 0).
 */
const schema = v.strictObject({
  period: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(10_000)), 20),
  k: v.optional(v.pipe(v.number(), v.gtValue(0)), 2.0),
});

export const bollingerStrategy: StrategyDefinition = {
  name: 'bollinger',
  description: 'Bollinger Bands reversion to the middle band (period, k σ)',
  schema,
  defaults: { period: 20, k: 2.0 },
  defaultGrid: { period: [10, 20, 30, 40, 50], k: [1.5, 2, 2.5, 3] },
  check: () => [],
  warmupBars: (p) => p.period!,
  create(p: StrategyParams): Strategy {
    const bands = new Bollinger(p.period!, p.k!);
    return {
      onBar(close, position) {
        const b = bands.push(close);
        if (!b) return 'none';
        if (position === 'flat') {
          if (b.upper === b.lower) return 'none';
          return close <= b.lower ? 'enter_long' : close >= b.upper ? 'enter_short' : 'none';
        }
        if (position === 'long') return close >= b.middle ? 'exit' : 'none';
        return close <= b.middle ? 'exit' : 'none';
      },
    };
  },
};
