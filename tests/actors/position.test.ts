import { describe, expect, test } from 'bun:test';
import { createActor, SimulatedClock } from 'xstate';
import type { AppliedFill } from '../../src/actors/order-desk.ts';
import { positionMachine, type OpenRefs, type PositionEvent } from '../../src/actors/position.machine.ts';
import type { FillEffect } from '../../src/actors/trading-core.ts';
import type { ExitReason, OrderAction, OrderStatus, Side } from '../../src/domain/trading.ts';
import { actionSpy, advance, controlledPromise } from './helpers.ts';

const ACK_TIMEOUT = 5000;
const T0 = Date.parse('2026-01-06T14:30:00Z');

/** What the engine did with a fill, as the order desk reports it. */
const effects = {
  opened: (side: Side, qty: number, price: number): FillEffect => ({
    kind: 'opened',
    position: { side, qty, entryPrice: price, entryTime: T0, stop: side === 'long' ? price - 40 : price + 40, target: side === 'long' ? price + 60 : price - 60, entryCommissionCents: 62 * qty },
  }),
  /** `qty` closed for `reason`; `rest` contracts of a long @ 5000.25 still open. */
  closed: (qty: number, reason: ExitReason, price: number, rest = 0): FillEffect => ({
    kind: 'closed',
    trade: { side: 'long', qty, entryTime: T0, entryPrice: 5000.25, exitTime: T0, exitPrice: price, exitReason: reason, commissionCents: 124 * qty, pnlCents: 0 },
    rest: rest === 0 ? null : { side: 'long', qty: rest, entryPrice: 5000.25, entryTime: T0, stop: 4960.25, target: 5060.25, entryCommissionCents: 62 * rest },
  }),
  unmatched: (why: string): FillEffect => ({ kind: 'unmatched', why }),
};

/**
 * A position actor with recorded side effects and a hand-settled flatten, started 'reconciling'
 * (as booted), 'flat', or 'long' 1 through entry E1 (the calls on the way forgotten).
 */
function harness(start: 'reconciling' | 'flat' | 'long' = 'flat') {
  const clock = new SimulatedClock();
  const spy = actionSpy(['placeEntry', 'openedPosition', 'placeExit', 'cancelOrders', 'closedPosition', 'alert', 'requestReconcile']);
  const flatten = controlledPromise<string, { ref: string }>();
  const machine = positionMachine.provide({ actions: spy.actions, actors: { flatten: flatten.logic } });
  const actor = createActor(machine, { clock, input: { ackTimeoutMs: ACK_TIMEOUT } }).start();
  const h = {
    clock,
    spy,
    flatten,
    send: (event: PositionEvent) => actor.send(event),
    state: () => actor.getSnapshot().value,
    context: () => actor.getSnapshot().context,
    /** One order's fills, applied by the desk with `effect`. */
    filled(orderRef: string, action: OrderAction, price: number, effect: FillEffect, qty = 1): AppliedFill {
      const applied: AppliedFill = { fill: { orderRef, execId: `exec-${orderRef}`, action, qty, price, time: T0, commissionCents: 62 * qty }, effect };
      actor.send({ type: 'OrderFilled', ...applied });
      return applied;
    },
    update: (ref: string, status: OrderStatus, message?: string) => actor.send({ type: 'OrderUpdated', update: { ref, status, filledQty: 0, avgFillPrice: null, time: T0, message } }),
    enterLong: () => actor.send({ type: 'Enter', side: 'long', qty: 1, ref: 'E1', reference: 5000 }),
    flat: () => actor.send({ type: 'Reconciled', position: null }),
  };
  if (start !== 'reconciling') h.flat();
  if (start === 'long') {
    h.enterLong();
    h.update('E1', 'submitted');
    h.filled('E1', 'buy', 5000.25, effects.opened('long', 1, 5000.25));
    expect(h.state()).toEqual({ open: 'long' });
    spy.clear();
  }
  return h;
}

describe('reconciling', () => {
  test('when booted, then it waits reconciling and goes flat when the broker shows no position', () => {
    const h = harness('reconciling');
    expect(h.state()).toBe('reconciling');

    h.flat();

    expect(h.state()).toBe('flat');
  });

  test('when a reconcile finds a position, then it opens with the refs of its orders', () => {
    const h = harness('reconciling');
    const position: OpenRefs = { side: 'short', qty: 2, entryRef: 'E7', stopRef: 'E7-S', targetRef: 'E7-T' };

    h.send({ type: 'Reconciled', position });

    expect(h.state()).toEqual({ open: 'short' });
    expect(h.context()).toMatchObject({ ...position, exitRef: null, bracketFilling: false });
  });

  test('when a reconcile finds a market exit still working, then the position is exiting through it', () => {
    const h = harness('reconciling');

    h.send({ type: 'Reconciled', position: { side: 'long', qty: 1, entryRef: 'E7', stopRef: 'E7-S', targetRef: null, exitRef: 'X9', exitReason: 'max_hold' } });

    expect(h.state()).toBe('exiting');
    expect(h.context()).toMatchObject({ exitRef: 'X9', exitReason: 'max_hold', stopRef: 'E7-S' });
  });
});

describe('entering', () => {
  test('when Enter arrives, then the bracket is placed from the decision’s close; the ack moves it to working; the applied fill opens the position', () => {
    const h = harness();

    h.enterLong();
    expect(h.state()).toEqual({ entering: 'awaitingAck' });
    expect(h.spy.of('placeEntry')).toEqual([{ ref: 'E1', side: 'long', qty: 1, reference: 5000 }]);
    h.update('E1', 'submitted');
    expect(h.state()).toEqual({ entering: 'working' });
    const entry = h.filled('E1', 'buy', 5000.25, effects.opened('long', 1, 5000.25));

    expect(h.state()).toEqual({ open: 'long' });
    expect(h.context()).toMatchObject({ side: 'long', qty: 1, entryRef: 'E1', stopRef: 'E1-S', targetRef: 'E1-T' });
    expect(h.spy.of('openedPosition')).toEqual([{ fill: entry.fill, stopRef: 'E1-S', targetRef: 'E1-T' }]);
  });

  test('when the engine could not apply the entry fill, then the position does not open: alert and reconcile', () => {
    const h = harness();
    h.enterLong();

    h.filled('E1', 'buy', 5000.25, effects.unmatched('entry E1 filled 1 while short 1 is open'));

    expect(h.state()).toEqual({ entering: 'awaitingAck' });
    expect(h.spy.of('openedPosition')).toEqual([]);
    expect(h.spy.of('alert')).toEqual([{ message: 'unexpected fill of E1: entry E1 filled 1 while short 1 is open; reconciling' }]);
    expect(h.spy.of('requestReconcile')).toHaveLength(1);
  });

  test.each([
    ['rejected by the broker', (h: ReturnType<typeof harness>) => h.update('E1', 'rejected', 'insufficient margin'), 'entry rejected: insufficient margin'],
    ['refused before sending', (h: ReturnType<typeof harness>) => h.send({ type: 'OrderRefused', ref: 'E1', message: 'not connected' }), 'entry refused: not connected'],
  ])('when an entry is %s, then it goes back to flat and alerts', (_, refuse, message) => {
    const h = harness();
    h.enterLong();

    refuse(h);

    expect(h.state()).toBe('flat');
    expect(h.spy.of('alert')).toEqual([{ message }]);
    expect(h.context().entryRef).toBeNull();
  });

  test('when no ack comes within the time-out, then the entry is cancelled, the operator alerted and a reconcile asked for', async () => {
    const h = harness();
    h.enterLong();

    await advance(h.clock, ACK_TIMEOUT - 1);
    expect(h.state()).toEqual({ entering: 'awaitingAck' });
    await advance(h.clock, 1);

    expect(h.state()).toBe('reconciling');
    expect(h.spy.names()).toEqual(['placeEntry', 'cancelOrders', 'alert', 'requestReconcile']);
    expect(h.spy.of('cancelOrders')).toEqual([{ refs: ['E1'] }]);
  });

  test('when the entry is acknowledged, then it may work as long as it takes', async () => {
    const h = harness();
    h.enterLong();
    h.update('E1', 'submitted');

    await advance(h.clock, 10 * ACK_TIMEOUT);

    expect(h.state()).toEqual({ entering: 'working' });
    expect(h.spy.of('requestReconcile')).toEqual([]);
  });
});

describe('open', () => {
  test.each([['E1-S', 4998.25, 'stop'], ['E1-T', 5003.25, 'target']] as const)('when the bracket order %s fills and closes the position, then it is flat and the close reported', (ref, price, reason) => {
    const h = harness('long');

    const exit = h.filled(ref, 'sell', price, effects.closed(1, reason, price));

    expect(h.state()).toBe('flat');
    expect(h.spy.of('closedPosition')).toEqual([expect.objectContaining(exit)]);
  });

  test('when Exit arrives, then a market exit is placed in the bracket’s OCA group and nothing is cancelled; its fill closes the position', () => {
    const h = harness('long');

    h.send({ type: 'Exit', reason: 'max_hold', ref: 'X1' });
    expect(h.state()).toBe('exiting');
    expect(h.spy.of('placeExit')).toEqual([{ ref: 'X1', side: 'long', qty: 1, reason: 'max_hold', ocaGroup: 'E1' }]);
    // The stop stays until the exit fills: the venue cancels it then (OCA).
    expect(h.spy.of('cancelOrders')).toEqual([]);
    const exit = h.filled('X1', 'sell', 5001, effects.closed(1, 'max_hold', 5001));

    expect(h.state()).toBe('flat');
    expect(h.spy.of('closedPosition')).toEqual([expect.objectContaining(exit)]);
  });

  test('when the stop fills before the market exit, then the position is closed by the stop and the exit is left to the venue’s OCA cancel', () => {
    const h = harness('long');
    h.send({ type: 'Exit', reason: 'signal', ref: 'X1' });
    h.spy.clear();

    const stop = h.filled('E1-S', 'sell', 4998.25, effects.closed(1, 'stop', 4998.25));

    expect(h.state()).toBe('flat');
    expect(h.spy.of('closedPosition')).toEqual([expect.objectContaining(stop)]);
    expect(h.spy.of('cancelOrders')).toEqual([]);
  });

  test('when the exit is refused before it is sent, then the position stays open with its stop, and a later Exit is placed again', () => {
    const h = harness('long');
    h.send({ type: 'Exit', reason: 'signal', ref: 'X1' });

    h.send({ type: 'OrderRefused', ref: 'X1', message: 'the journal could not record it' });

    expect(h.state()).toEqual({ open: 'long' });
    expect(h.context()).toMatchObject({ stopRef: 'E1-S', targetRef: 'E1-T', exitRef: null, exitReason: null });
    expect(h.spy.of('alert')).toEqual([{ message: 'exit refused: the journal could not record it; the position keeps its stop' }]);
    h.send({ type: 'Exit', reason: 'signal', ref: 'X2' });
    expect(h.spy.of('placeExit').map((p) => (p as { ref: string }).ref)).toEqual(['X1', 'X2']);
  });

  test('when the broker rejects the exit, then the position stays open with its stop and a reconcile is asked for', () => {
    const h = harness('long');
    h.send({ type: 'Exit', reason: 'signal', ref: 'X1' });

    h.update('X1', 'rejected', 'no liquidity');

    expect(h.state()).toEqual({ open: 'long' });
    expect(h.context()).toMatchObject({ stopRef: 'E1-S', exitRef: null });
    expect(h.spy.of('requestReconcile')).toHaveLength(1);
  });

  test('when the broker rejects the exit, then the alert names the exit that did not fill', () => {
    const h = harness('long');
    h.send({ type: 'Exit', reason: 'signal', ref: 'X1' });

    h.update('X1', 'rejected', 'no liquidity');

    expect(h.spy.of('alert')).toEqual([{ message: 'exit X1 did not fill; the position keeps its stop' }]);
  });

  test('when the stop has part-filled, then an Exit is not placed: it would race the stop for the same contracts', () => {
    const h = harness('long');

    h.update('E1-S', 'partially_filled');
    h.send({ type: 'Exit', reason: 'signal', ref: 'X1' });

    expect(h.state()).toEqual({ open: 'long' });
    expect(h.spy.of('placeExit')).toEqual([]);
  });

  test('when a fill arrives that the engine could not explain, then the position stays and a reconcile is asked for', () => {
    const h = harness('long');

    h.filled('MANUAL-1', 'sell', 5000, effects.unmatched('MANUAL-1 sell 1 filled against a long position'));

    expect(h.state()).toEqual({ open: 'long' });
    expect(h.spy.of('closedPosition')).toEqual([]);
    expect(h.spy.of('requestReconcile')).toHaveLength(1);
  });
});

describe('flatten', () => {
  test('when Flatten arrives while open, then the flatten runs with its ref, fills on the way are reported, and it ends reconciling', async () => {
    const h = harness('long');

    h.send({ type: 'Flatten', ref: 'F1' });
    expect(h.state()).toBe('flattening');
    expect(h.flatten.last().input).toEqual({ ref: 'F1' });
    const exit = h.filled('F1', 'sell', 4999.5, effects.closed(1, 'flatten', 4999.5));
    expect(h.spy.of('closedPosition')).toEqual([expect.objectContaining(exit)]);
    await h.flatten.resolve('flat: closed 1 contract(s); 0 order(s) cancelled');

    expect(h.state()).toBe('reconciling');
    expect(h.spy.of('alert')).toEqual([{ message: 'flatten: flat: closed 1 contract(s); 0 order(s) cancelled' }]);
    expect(h.spy.of('requestReconcile')).toHaveLength(1);
  });

  test('when the flatten fails, then the operator is told and a reconcile is asked for', async () => {
    const h = harness('long');
    h.send({ type: 'Flatten', ref: 'F1' });

    await h.flatten.reject(new Error('the broker still shows a position 30 s after the closing order F1'));

    expect(h.state()).toBe('reconciling');
    expect(h.spy.of('alert')).toEqual([{ message: 'flatten failed: Error: the broker still shows a position 30 s after the closing order F1' }]);
    expect(h.spy.of('requestReconcile')).toHaveLength(1);
  });

  test('when Flatten arrives while flat, then the flatten still runs (it cancels strays and confirms with the broker) and no exit is placed', async () => {
    const h = harness();

    h.send({ type: 'Flatten', ref: 'F1' });
    await h.flatten.resolve('flat: no position at the broker; 0 order(s) cancelled');

    expect(h.flatten.calls).toHaveLength(1);
    expect(h.spy.of('placeExit')).toEqual([]);
    expect(h.state()).toBe('reconciling');
  });

  test('when a second Flatten arrives while flattening, then the first flatten goes on alone under its own ref', async () => {
    const h = harness('long');
    h.send({ type: 'Flatten', ref: 'F1' });

    h.send({ type: 'Flatten', ref: 'F2' });

    expect(h.flatten.calls).toHaveLength(1);
    expect(h.context().exitRef).toBe('F1');
    expect(h.state()).toBe('flattening');
  });

  test('when a reconcile result arrives during a flatten, then the flatten is not abandoned', () => {
    const h = harness('long');
    h.send({ type: 'Flatten', ref: 'F1' });

    h.send({ type: 'Reconciled', position: null });

    expect(h.state()).toBe('flattening');
    expect(h.flatten.last().signal.aborted).toBe(false);
  });

  test('when the entry fills during a flatten, then no bracket is moved for it: the flatten closes what the broker holds', () => {
    const h = harness();
    h.enterLong();
    h.send({ type: 'Flatten', ref: 'F1' });

    h.filled('E1', 'buy', 5000.25, effects.opened('long', 1, 5000.25));

    expect(h.state()).toBe('flattening');
    expect(h.spy.of('openedPosition')).toEqual([]);
  });
});
