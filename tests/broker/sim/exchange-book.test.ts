import { describe, expect, test } from 'bun:test';
import { SimExchange } from '../../../src/broker/sim/exchange.ts';
import { parseVenueState } from '../../../src/broker/sim/venue-state.ts';
import { MINUTE } from '../../../src/domain/session.ts';
import { T0 } from '../../../src/testing/builders.ts';
import { exchange, FILL_SETTINGS, fills, limit, market, ohlc, runBar, statuses, stop } from './builders.ts';

const flat = (minute: number, price: number) => ohlc(minute, price, price, price, price);

describe('SimExchange order book', () => {
  test('a ref is idempotent: placing it again returns the existing order, emits nothing and never fills twice', () => {
    const ex = exchange();
    const first = ex.place(market('entry-7', 'buy'));
    const again = ex.place(market('entry-7', 'sell', 3));
    expect(statuses(first.events)).toEqual([['entry-7', 'submitted']]);
    expect(again.events).toEqual([]);
    expect(again.order).toMatchObject({ ref: 'entry-7', action: 'buy', qty: 1, status: 'submitted' });
    expect(fills(runBar(ex, flat(0, 5000)))).toHaveLength(1);
    ex.place(market('entry-7', 'buy'));
    expect(fills(runBar(ex, flat(1, 5000)))).toEqual([]);
    expect(ex.positions()).toEqual([{ symbol: 'MES', qty: 1, avgPrice: 5000.25 }]);
  });

  test('bad orders are rejected with a message naming the problem, never thrown', () => {
    const ex = exchange();
    const cases = [
      [market('q0', 'buy', 0), /qty must be a whole number of contracts ≥ 1, got 0/],
      [market('q-half', 'buy', 1.5), /got 1.5/],
      [stop('off-grid', 'sell', 4999.1), /stop price .* 0.25 tick grid, got 4999.1/],
      [{ ref: 'no-price', action: 'sell', type: 'limit', qty: 1 } as const, /limit price .* got undefined/],
      [stop('orphan', 'sell', 4990, { parentRef: 'nobody' }), /parentRef 'nobody' is not a known order/],
    ] as const;
    for (const [req, message] of cases) {
      const { order, events } = ex.place(req);
      expect(order.status).toBe('rejected');
      expect(events).toHaveLength(1);
      const e = events[0]!;
      expect(e.type === 'orderStatus' && e.payload.status === 'rejected' && message.test(e.payload.message ?? '')).toBe(true);
    }
    expect(ex.openOrders()).toEqual([]);
  });

  test('cancel: a working order is cancelled; an unknown or finished ref is an error event, not a throw', () => {
    const ex = exchange();
    ex.place(limit('lmt', 'buy', 4990));
    ex.place(market('mkt', 'buy'));
    runBar(ex, flat(0, 5000));
    expect(statuses(ex.cancel('lmt'))).toEqual([['lmt', 'cancelled']]);
    expect(ex.cancel('nope')).toEqual([{ type: 'error', payload: { code: 10147, ref: 'nope', retryable: false, message: "cancel: no order with ref 'nope'" } }]);
    expect(ex.cancel('mkt')[0]).toMatchObject({ type: 'error', payload: { code: 10148, message: "cancel: order 'mkt' is already filled" } });
  });

  test('cancelAll cancels every working order, waiting children included', () => {
    const ex = exchange();
    ex.place(limit('parent', 'buy', 4990));
    ex.place(stop('child', 'sell', 4980, { parentRef: 'parent' }));
    ex.place(limit('other', 'sell', 5010));
    expect(statuses(ex.cancelAll())).toEqual([['parent', 'cancelled'], ['child', 'cancelled'], ['other', 'cancelled']]);
    expect(ex.openOrders()).toEqual([]);
  });

  test('a child is inactive until its parent fills, then works from the next phase on', () => {
    const ex = exchange();
    runBar(ex, flat(0, 5000));
    ex.place(limit('entry', 'buy', 4995));
    const child = ex.place(stop('stop', 'sell', 4990, { parentRef: 'entry' }));
    expect(child.order.status).toBe('pending');
    // The bar reaches the child's stop but not the parent's limit: nothing happens.
    expect(fills(runBar(ex, ohlc(1, 5000, 5001, 4996, 5000)))).toEqual([]);
    // The parent fills in rangePhase; a child released there starts with the next bar.
    const b2 = runBar(ex, ohlc(2, 4996, 4996, 4988, 4990));
    expect(fills(b2).map((f) => [f.orderRef, f.price])).toEqual([['entry', 4995]]);
    expect(statuses(b2)).toEqual([['entry', 'filled'], ['stop', 'submitted']]);
    expect(fills(runBar(ex, ohlc(3, 4990, 4991, 4985, 4986))).map((f) => [f.orderRef, f.price, f.time])).toEqual([['stop', 4989.75, T0 + 3 * MINUTE]]);
  });

  test('a market child waits for its parent and fills at the open after the parent filled', () => {
    const ex = exchange();
    ex.place(limit('entry', 'buy', 4995));
    ex.place(market('exit', 'sell', 1, { parentRef: 'entry' }));
    expect(fills(runBar(ex, ohlc(0, 5000, 5001, 4999, 5000)))).toEqual([]);
    expect(fills(runBar(ex, ohlc(1, 4996, 4996, 4994, 4995))).map((f) => f.orderRef)).toEqual(['entry']);
    expect(fills(runBar(ex, ohlc(2, 4998, 4999, 4997, 4998))).map((f) => [f.orderRef, f.price])).toEqual([['exit', 4997.75]]);
  });

  test('a child whose parent is cancelled is cancelled with it; a child of a cancelled parent is rejected', () => {
    const ex = exchange();
    ex.place(limit('entry', 'buy', 4995));
    ex.place(stop('stop', 'sell', 4990, { parentRef: 'entry' }));
    expect(statuses(ex.cancel('entry'))).toEqual([['entry', 'cancelled'], ['stop', 'cancelled']]);
    expect(ex.place(limit('late-child', 'sell', 5010, { parentRef: 'entry' })).order.status).toBe('rejected');
  });

  test('OCA: when one order of a group fills the others are cancelled, other groups are untouched', () => {
    const ex = exchange();
    ex.place(limit('a', 'sell', 5005, { ocaGroup: 'g' }));
    ex.place(limit('b', 'sell', 5020, { ocaGroup: 'g' }));
    ex.place(limit('c', 'sell', 5030, { ocaGroup: 'h' }));
    const events = runBar(ex, ohlc(0, 5000, 5006, 4999, 5004));
    expect(statuses(events)).toEqual([['a', 'filled'], ['b', 'cancelled']]);
    const cancelled = events.find((e) => e.type === 'orderStatus' && e.payload.ref === 'b');
    expect(cancelled?.type === 'orderStatus' && cancelled.payload.message).toBe("OCA group 'g': 'a' filled");
    expect(ex.openOrders().map((o) => o.ref)).toEqual(['c']);
  });
});

describe('SimExchange account', () => {
  test('P&L is integer cents: realised net of both commissions, unrealised net of the entry commission', () => {
    const ex = exchange();
    ex.place(market('e', 'buy'));
    runBar(ex, ohlc(0, 5000, 5010, 5000, 5010));
    // (5010 − 5000.25) = 39 ticks × 125 − 62.
    expect(ex.accountPnl()).toEqual({ realisedCents: 0, unrealisedCents: 4813 });
    expect(ex.accountPnl(4999.75)).toEqual({ realisedCents: 0, unrealisedCents: -2 * 125 - 62 });
    ex.place(market('x', 'sell'));
    runBar(ex, flat(1, 5010));
    expect(ex.accountPnl()).toEqual({ realisedCents: 38 * 125 - 124, unrealisedCents: 0 });
    expect(Number.isInteger(ex.accountPnl().realisedCents)).toBe(true);
  });

  test('positions are FIFO lots: average price over lots, a larger opposite fill reverses the position', () => {
    const ex = exchange();
    ex.place(market('a', 'buy'));
    runBar(ex, flat(0, 5000));
    ex.place(market('b', 'buy'));
    runBar(ex, flat(1, 5001));
    expect(ex.positions()).toEqual([{ symbol: 'MES', qty: 2, avgPrice: 5000.75 }]);
    ex.place(market('c', 'sell', 3));
    runBar(ex, flat(2, 5002));
    // Closes 5000.25 and 5001.25 at 5001.75: 6 + 2 ticks, minus 2 × (62 + 62); then short 1 at 5001.75.
    expect(ex.positions()).toEqual([{ symbol: 'MES', qty: -1, avgPrice: 5001.75 }]);
    expect(ex.accountPnl(5001.75)).toEqual({ realisedCents: 8 * 125 - 248, unrealisedCents: -62 });
  });

  test('executionsSince returns fills at or after a time, oldest first, with unique exec ids', () => {
    const ex = exchange();
    for (let m = 0; m < 3; m++) {
      ex.place(market(`o${m}`, m % 2 === 0 ? 'buy' : 'sell'));
      runBar(ex, flat(m, 5000));
    }
    expect(ex.executionsSince(T0 + MINUTE).map((f) => [f.orderRef, f.execId, f.time])).toEqual([
      ['o1', 'sim-2', T0 + MINUTE],
      ['o2', 'sim-3', T0 + 2 * MINUTE],
    ]);
  });

  test('snapshot → JSON → restore mid-position with a resting bracket continues exactly like the original', () => {
    const ex = exchange();
    ex.place(market('entry', 'buy'));
    ex.openPhase(flat(0, 5000));
    ex.place(stop('stop', 'sell', 4990, { ocaGroup: 'b', parentRef: 'entry' }));
    ex.place(limit('target', 'sell', 5015, { ocaGroup: 'b', parentRef: 'entry' }));
    ex.rangePhase(flat(0, 5000));
    ex.closePhase(flat(0, 5000));
    const restored = SimExchange.restore(parseVenueState(JSON.parse(JSON.stringify(ex.snapshot()))), FILL_SETTINGS);
    expect(restored.snapshot()).toEqual(ex.snapshot());
    expect(restored.openOrders()).toEqual(ex.openOrders());
    expect(restored.positions()).toEqual([{ symbol: 'MES', qty: 1, avgPrice: 5000.25 }]);
    expect(restored.accountPnl()).toEqual(ex.accountPnl());
    // A new order gets a fresh broker id and the next exec id on both.
    const later = [ohlc(1, 5001, 5004, 5000, 5003), ohlc(2, 5003, 5016, 5002, 5012)];
    for (const b of later) {
      ex.place(limit(`probe-${b.time}`, 'buy', 4900));
      restored.place(limit(`probe-${b.time}`, 'buy', 4900));
      expect(runBar(restored, b)).toEqual(runBar(ex, b));
    }
    expect(restored.executionsSince(0).map((f) => [f.orderRef, f.execId, f.price])).toEqual([
      ['entry', 'sim-1', 5000.25],
      ['target', 'sim-2', 5015],
    ]);
    expect(restored.accountPnl()).toEqual({ realisedCents: 59 * 125 - 124, unrealisedCents: 0 });
  });

  test('a stored state that does not fit the schema is refused with the field and the fix', () => {
    const state = { ...exchange().snapshot(), realisedCents: 'lots' };
    expect(() => parseVenueState(state)).toThrow(/invalid at 'realisedCents'.*Delete the saved sim venue state/);
    expect(() => parseVenueState({ ...exchange().snapshot(), version: 2 })).toThrow(/'version'/);
  });

  test('when nobody persists the venue, discardChanges forgets the orders and executions a delta would carry', () => {
    const ex = exchange();
    ex.place(market('e-1', 'buy'));
    runBar(ex, flat(0, 5000));
    ex.discardChanges();
    ex.place(market('x-1', 'sell'));
    runBar(ex, flat(1, 5000));
    const d = ex.delta();
    expect(d.orders.map((o) => o.ref)).toEqual(['x-1']);
    expect(d.executions.map((f) => f.orderRef)).toEqual(['x-1']);
  });
});
