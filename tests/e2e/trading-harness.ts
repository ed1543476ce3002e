import { liveHarness } from '../../src/testing/live-harness.ts';

/** The live harness the browser tests look at: a volatile sim market and tight brackets, so a few hundred bars hold trades, exits and a position. */
export const tradingHarness = () =>
  liveHarness({
    warmup: 100,
    config: { sim: { seed: 11, regime: 'volatile' }, trading: { params: { lookback: 20, entry: 1.8, exit: 0.3 } }, risk: { stopLossPerContract: 25, takeProfitPerContract: 40, maxDrawdown: 100_000 } },
  });
