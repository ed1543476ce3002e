import { describe, expect, test } from 'bun:test';
import { createActor, SimulatedClock } from 'xstate';
import { flattenThroughBroker } from '../../src/actors/flatten.ts';
import type { AppliedFill, OrderDesk } from '../../src/actors/order-desk.ts';
import { positionMachine } from '../../src/actors/position.machine.ts';
import type { Broker, BrokerPosition } from '../../src/broker/port.ts';
import type { Order, OrderRequest } from '../../src/domain/trading.ts';
import { actionSpy, controlledPromise, flush, memoryLogger } from './helpers.ts';
import type { FillEffect } from '../../src/actors/trading-core.ts';

const T0 = Date.parse('2026-01-06T14:30:00Z');

/** What the engine did with a fill, as the order desk reports it (a long bought at 5000.25). */
const effects = {
  opened: (side: 'long', qty: number, price: number): FillEffect => ({ kind: 'opened', position: { side, qty, entryPrice: price, entryTime: T0, stop: price - 40, target: price + 60, entryCommissionCents: 62 * qty } }),
  closed: (qty: number, reason: 'stop' | 'target' | 'signal', price: number, rest = 0): FillEffect => ({
    kind: 'closed',
    trade: { side: 'long', qty, entryTime: T0, entryPrice: 5000.25, exitTime: T0, exitPrice: price, exitReason: reason, commissionCents: 124 * qty, pnlCents: 0 },
    rest: rest === 0 ? null : { side: 'long', qty: rest, entryPrice: 5000.25, entryTime: T0, stop: 4960.25, target: 5060.25, entryCommissionCents: 62 * rest },
  }),
};

/** A position actor holding long 2 through entry E1 (bracket E1-S / E1-T), effects recorded. */
function longTwo() {
  const spy = actionSpy(['placeEntry', 'openedPosition', 'placeExit', 'cancelOrders', 'closedPosition', 'alert', 'requestReconcile']);
  const flatten = controlledPromise<string, { ref: string }>();
  const actor = createActor(positionMachine.provide({ actions: spy.actions, actors: { flatten: flatten.logic } }), {
    clock: new SimulatedClock(),
    input: { ackTimeoutMs: 5000 },
  }).start();
  const filled = (orderRef: string, qty: number, price: number, effect: AppliedFill['effect']) =>
    actor.send({ type: 'OrderFilled', fill: { orderRef, execId: `x-${orderRef}-${qty}`, action: orderRef === 'E1' ? 'buy' : 'sell', qty, price, time: T0, commissionCents: 62 * qty }, effect });
  actor.send({ type: 'Reconciled', position: null });
  actor.send({ type: 'Enter', side: 'long', qty: 2, ref: 'E1', reference: 5000 });
  filled('E1', 2, 5000.25, effects.opened('long', 2, 5000.25));
  spy.clear();
  return { actor, spy, flatten, filled, state: () => actor.getSnapshot().value, context: () => actor.getSnapshot().context };
}

describe('part of a position closed by a bracket leg that ended part-filled', () => {
  test('when open: the part closed is reported, the rest stays open with its stop and the operator is told', () => {
    const h = longTwo();

    h.filled('E1-T', 1, 5060.25, effects.closed(1, 'target', 5060.25, 1));

    expect(h.state()).toEqual({ open: 'long' });
    expect(h.context()).toMatchObject({ qty: 1, stopRef: 'E1-S', bracketFilling: false });
    expect(h.spy.of('closedPosition')).toEqual([expect.objectContaining({ fill: expect.objectContaining({ orderRef: 'E1-T', qty: 1 }) })]);
    expect(h.spy.of('alert')).toEqual([{ message: 'part of the position closed by E1-T; 1 contract(s) remain open' }]);
  });

  test('when open after a part-fill of the stop, then the next Exit is placed for the rest only', () => {
    const h = longTwo();
    h.actor.send({ type: 'OrderUpdated', update: { ref: 'E1-S', status: 'partially_filled', filledQty: 1, avgFillPrice: 4960, time: T0 } });
    h.filled('E1-S', 1, 4960, effects.closed(1, 'stop', 4960, 1));

    h.actor.send({ type: 'Exit', reason: 'signal', ref: 'X1' });

    expect(h.spy.of('placeExit')).toEqual([{ ref: 'X1', side: 'long', qty: 1, reason: 'signal', ocaGroup: 'E1' }]);
  });

  test('when exiting: a part closed by the exit keeps the position exiting with the rest', () => {
    const h = longTwo();
    h.actor.send({ type: 'Exit', reason: 'signal', ref: 'X1' });

    h.filled('X1', 1, 5001, effects.closed(1, 'signal', 5001, 1));

    expect(h.state()).toBe('exiting');
    expect(h.context().qty).toBe(1);
    h.filled('X1', 1, 5001.25, effects.closed(1, 'signal', 5001.25));
    expect(h.state()).toBe('flat');
  });
});

/** A broker holding `qty` (signed) with these working orders; what the flatten does to it is recorded. */
function venue(qty: number, orders: Order[], opts: { closeFills?: boolean } = {}) {
  let held = qty;
  let timeUp = () => {};
  const working = [...orders];
  const placed: OrderRequest[] = [];
  const cancelled: string[] = [];
  let cancelledAll = 0;
  let journalFails = false;
  const positions = async (): Promise<BrokerPosition[]> => (held === 0 ? [] : [{ symbol: 'MES', qty: held, avgPrice: 5000 }]);
  const broker = { openOrders: async () => [...working], positions, on: () => () => {} } as unknown as Broker;
  const desk = {
    cancel: (ref: string) => {
      cancelled.push(ref);
      working.splice(working.findIndex((o) => o.ref === ref), 1);
    },
    place: (req: OrderRequest) => {
      if (journalFails) return false;
      placed.push(req);
      if (opts.closeFills === false) return true;
      // The close fills at once; the venue's OCA group takes the stop and target with it.
      held = 0;
      for (let i = working.length - 1; i >= 0; i--) if (working[i]!.ocaGroup === req.ocaGroup) working.splice(i, 1);
      return true;
    },
    cancelAll: async () => {
      cancelledAll++;
      working.length = 0;
    },
  } as unknown as OrderDesk;
  // The time-out comes only when the test says so.
  const deps = { broker, desk, log: memoryLogger(), sleep: () => new Promise<void>((resolve) => void (timeUp = resolve)), timeoutMs: 1_000 };
  return { deps, timeUp: () => timeUp(), placed, cancelled, cancelledAll: () => cancelledAll, failJournal: () => void (journalFails = true), held: () => held };
}

const working = (ref: string, type: Order['type'], action: Order['action'], qty: number, extra: Partial<Order> = {}): Order => ({ ref, action, type, qty, status: 'submitted', filledQty: 0, avgFillPrice: null, ...extra });

describe('the flatten closes what the broker holds', () => {
  test('when the stop part-filled before the flatten, then the flatten sells only the rest, in the stop’s OCA group', async () => {
    const v = venue(1, [working('E1-S', 'stop', 'sell', 2, { price: 4960, ocaGroup: 'E1', filledQty: 1, status: 'partially_filled' }), working('E1-T', 'limit', 'sell', 2, { price: 5060, ocaGroup: 'E1' })]);

    const summary = await flattenThroughBroker(v.deps, 'F1');

    expect(v.placed).toEqual([{ ref: 'F1', action: 'sell', type: 'market', qty: 1, reason: 'flatten', ocaGroup: 'E1' }]);
    expect(v.held()).toBe(0);
    expect(summary).toBe('flat: closed 1 contract(s); 0 order(s) cancelled');
  });

  test('when the stop filled completely before the flatten, then nothing is sold (selling again would open a short) and strays are cancelled', async () => {
    const v = venue(0, [working('E1-T', 'limit', 'sell', 2, { price: 5060, ocaGroup: 'E1' })]);

    const summary = await flattenThroughBroker(v.deps, 'F1');

    expect(v.placed).toEqual([]);
    expect(v.cancelledAll()).toBe(1);
    expect(summary).toBe('flat: no position at the broker; 1 order(s) cancelled');
  });

  test('when an entry is still working, then it is withdrawn before anything is closed', async () => {
    const v = venue(-1, [working('E5', 'market', 'buy', 1, { reason: 'entry' }), working('E3-S', 'stop', 'buy', 1, { price: 5040, ocaGroup: 'E3' })]);

    await flattenThroughBroker(v.deps, 'F1');

    expect(v.cancelled).toEqual(['E5']);
    expect(v.placed).toEqual([expect.objectContaining({ ref: 'F1', action: 'buy', qty: 1, ocaGroup: 'E3' })]);
  });

  test('when the journal cannot record the close, then nothing is cancelled and the stop keeps protecting the position', async () => {
    const v = venue(2, [working('E1-S', 'stop', 'sell', 2, { price: 4960, ocaGroup: 'E1' })]);
    v.failJournal();

    const run = flattenThroughBroker(v.deps, 'F1');

    await expect(run).rejects.toThrow('nothing was cancelled, the stop stays at the venue');
    expect(v.cancelledAll()).toBe(0);
    expect(v.cancelled).toEqual([]);
  });

  test('when the broker still shows the position at the time-out, then the flatten fails and the leftover orders stay', async () => {
    const v = venue(1, [working('E1-S', 'stop', 'sell', 1, { price: 4960, ocaGroup: 'E1' })], { closeFills: false });

    const run = flattenThroughBroker(v.deps, 'F1');
    await flush();
    v.timeUp();

    await expect(run).rejects.toThrow('the broker still shows a position 1 s after the closing order F1');
    expect(v.placed).toHaveLength(1);
    expect(v.cancelledAll()).toBe(0);
  });
});
