import { describe, expect, test } from 'bun:test';
import { TradingEngine } from '../../src/engine/engine.ts';
import { settings, T0 } from '../../src/testing/builders.ts';

describe('closing part of a position', () => {
  test('books a trade for the part closed and keeps the rest open with its share of the entry commission', () => {
    const e = new TradingEngine(settings({ contracts: 2 }));
    e.openPosition('long', 2, 5000.25, T0);
    const part = e.closePosition(5010.25, T0 + 60_000, 'stop', 1);
    expect(part).toMatchObject({ qty: 1, commissionCents: 124, pnlCents: 10 * 500 - 124 });
    expect(e.state.position).toMatchObject({ qty: 1, entryPrice: 5000.25, entryCommissionCents: 62 });
    const rest = e.closePosition(5000.25, T0 + 120_000, 'flatten');
    expect(rest).toMatchObject({ qty: 1, pnlCents: -124 });
    expect(e.state.position).toBeNull();
    expect(e.state.realisedCents).toBe(10 * 500 - 124 - 124);
  });

  test('a quantity above the position closes the whole position', () => {
    const e = new TradingEngine(settings());
    e.openPosition('short', 1, 5000, T0);
    expect(e.closePosition(4999, T0 + 60_000, 'signal', 5).qty).toBe(1);
    expect(e.state.position).toBeNull();
  });
});
