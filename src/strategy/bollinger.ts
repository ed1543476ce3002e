import * as v from 'valibot';
import { Bollinger } from '../indicators/bollinger.ts';
import { centredLevels, reversionSignalCode, signalCodeOf } from './thresholds.ts';
import { strategyOf, type ColumnCache, type Strategy, type StrategyDefinition, type StrategyParams } from './types.ts';
import { reachedColumn } from './z-compare.ts';

/**
 * Bollinger Bands reversion: flat and close ≤ lower band → long; close ≥ upper band → short;
 * a long exits when the close is back at or above the middle band, a short at or below it.
 * In band widths w = (close − middle)/σ that is the z-score rule with entry k and exit 0, decided
 * exactly on the tick grid. Bands of zero width (σ = 0, all closes equal) advise no entry: w = 0,
 * inside both bands, so there is no deviation to revert (the same rule as z = 0 when σ = 0).
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
  create(p: StrategyParams, batch?: ColumnCache): Strategy {
    const levels = centredLevels(p.k!, 0);
    if (batch) {
      // The same moments column as the z-score of that lookback.
      const reached = reachedColumn(p.period!, batch, levels);
      let at = -1;
      return strategyOf((_close, direction) => signalCodeOf(reached[++at]!, direction));
    }
    const bands = new Bollinger(p.period!, p.k!);
    const compare = bands.compare.bind(bands);
    return strategyOf((close, direction) => {
      bands.push(close);
      return reversionSignalCode(compare, direction, levels);
    });
  },
};
