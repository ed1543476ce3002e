import { describe, expect, test } from 'bun:test';
import type { BarSeries } from '../../src/domain/bar.ts';
import { simulateBars } from '../../src/market/simulator.ts';
import { getStrategy, resolveParams } from '../../src/strategy/registry.ts';
import { ColumnCache, type PositionState, type Signal, type Strategy } from '../../src/strategy/types.ts';

const series = simulateBars({ days: 2, seed: 3, regime: 'volatile' });

/** Signals over the whole series, the position following the signals as the engine would. */
function signals(strategy: Strategy, s: BarSeries): Signal[] {
  let position: PositionState = 'flat';
  const out: Signal[] = [];
  for (let i = 0; i < s.length; i++) {
    const sig = strategy.onBar(s.close[i]!, position);
    out.push(sig);
    if (sig === 'enter_long') position = 'long';
    else if (sig === 'enter_short') position = 'short';
    else if (sig === 'exit') position = 'flat';
  }
  return out;
}

const CASES: Array<[string, Record<string, number>]> = [
  ['zscore', {}],
  ['zscore', { lookback: 5, entry: 1.2, exit: 0 }],
  ['zscore', { lookback: 50, entry: 2.5, exit: 1 }],
  ['bollinger', {}],
  ['bollinger', { period: 5, k: 1 }],
  ['rsi', {}],
  ['rsi', { period: 5, oversold: 25, overbought: 75, exitLevel: 50 }],
];

describe('batch (ColumnCache) and incremental instances advise the same', () => {
  for (const [name, raw] of CASES) {
    test(`${name} ${JSON.stringify(raw)}: the same signal at every one of ${series.length} simulated bars`, () => {
      const def = getStrategy(name);
      const params = resolveParams(def, raw);
      const batch = signals(def.create(params, new ColumnCache(series)), series);
      const incremental = signals(def.create(params), series);
      const firstDiff = batch.findIndex((s, i) => s !== incremental[i]);
      expect(firstDiff).toBe(-1);
      expect(batch.length).toBe(series.length);
      // The comparison means something only if the series makes the strategy trade.
      expect(batch.filter((s) => s === 'enter_long').length).toBeGreaterThan(3);
      expect(batch.filter((s) => s === 'enter_short').length).toBeGreaterThan(3);
      expect(batch.filter((s) => s === 'exit').length).toBeGreaterThan(3);
    });
  }

  test('batch instances of one lookback share its precomputed columns (moments and their z), bollinger too', () => {
    const cache = new ColumnCache(series);
    const computed: string[] = [];
    const spy = new ColumnCache(series);
    spy.get = (key, compute) => cache.get(key, () => (computed.push(key), compute()));
    const z = getStrategy('zscore');
    const bb = getStrategy('bollinger');
    z.create(resolveParams(z, { lookback: 20, entry: 2 }), spy);
    z.create(resolveParams(z, { lookback: 20, entry: 3 }), spy);
    z.create(resolveParams(z, { lookback: 30 }), spy);
    bb.create(resolveParams(bb, { period: 20, k: 1.5 }), spy);
    expect(computed).toEqual(['moments:20', 'moments-z:20', 'moments:30', 'moments-z:30']);
  });
});
