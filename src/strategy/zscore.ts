import * as v from 'valibot';
import { centredLevels, reversionSignalCode, signalCodeOf } from './thresholds.ts';
import { strategyOf, type ColumnCache, type Strategy, type StrategyDefinition, type StrategyParams } from './types.ts';
import { reachedColumn, zComparer } from './z-compare.ts';

/**
 * Z-Score mean reversion. z of the close against the last `lookback` closes (see indicators):
 * flat and z ≤ −entry → long; z ≥ +entry → short; a long exits when z ≥ −exit; a short when z ≤ +exit.
 * Each test is decided exactly on the tick grid (`tick-moments.ts`): a z exactly on a level
 * reaches it, in the batch and the live path alike, whatever bars follow.
 */
const schema = v.strictObject({
  lookback: v.optional(v.pipe(v.number(), v.integer('lookback must be a whole number of bars'), v.minValue(2), v.maxValue(10_000)), 20),
  entry: v.optional(v.pipe(v.number(), v.gtValue(0, 'entry must be above 0')), 2.0),
  exit: v.optional(v.pipe(v.number(), v.minValue(0)), 0.5),
});

export const zscoreStrategy: StrategyDefinition = {
  name: 'zscore',
  description: 'Z-Score mean reversion (lookback, entry σ, exit σ)',
  schema,
  defaults: { lookback: 20, entry: 2.0, exit: 0.5 },
  defaultGrid: {
    lookback: [10, 20, 30, 40, 50],
    entry: [1.5, 2, 2.5, 3, 3.5],
    exit: [0, 0.25, 0.5, 0.75, 1],
  },
  check(p) {
    return p.exit! >= p.entry! ? [{ param: 'exit', message: `exit (${p.exit}) must be below entry (${p.entry}), or a position would exit on the bar it enters` }] : [];
  },
  warmupBars: (p) => p.lookback!,
  create(p: StrategyParams, batch?: ColumnCache): Strategy {
    const levels = centredLevels(p.entry!, p.exit!);
    if (batch) {
      const reached = reachedColumn(p.lookback!, batch, levels);
      let at = -1;
      return strategyOf((_close, direction) => signalCodeOf(reached[++at]!, direction));
    }
    const compare = zComparer(p.lookback!);
    return strategyOf((close, direction) => reversionSignalCode(compare(close), direction, levels));
  },
};
