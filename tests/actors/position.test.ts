import { describe, expect, test } from 'bun:test';
import { createActor, SimulatedClock } from 'xstate';
import { positionMachine, type OpenRefs, type PositionEvent } from '../../src/actors/position.machine.ts';
import type { Fill, OrderAction, OrderStatus } from '../../src/domain/trading.ts';
import { actionSpy, advance, controlledPromise } from './helpers.ts';

const ACK_TIMEOUT = 5000;
const T0 = Date.parse('2026-01-06T14:30:00Z');

/**
 * A position actor with recorded side effects and hand-settled cancelAll / confirmFlat, started
 * 'reconciling' (as booted), 'flat', or 'long' 1 through entry E1 (the calls on the way forgotten).
 */
function harness(start: 'reconciling' | 'flat' | 'long' = 'flat') {
  const clock = new SimulatedClock();
  const spy = actionSpy(['placeEntry', 'openedPosition', 'placeExit', 'cancelOrders', 'adoptEntry', 'closedPosition', 'alert', 'requestReconcile']);
  const cancelAll = controlledPromise<void>();
  const confirmFlat = controlledPromise<boolean>();
  const machine = positionMachine.provide({ actions: spy.actions, actors: { cancelAll: cancelAll.logic, confirmFlat: confirmFlat.logic } });
  const actor = createActor(machine, { clock, input: { ackTimeoutMs: ACK_TIMEOUT } }).start();
  const h = {
    clock,
    spy,
    cancelAll,
    confirmFlat,
    send: (event: PositionEvent) => actor.send(event),
    state: () => actor.getSnapshot().value,
    context: () => actor.getSnapshot().context,
    fill(orderRef: string, action: OrderAction, price: number): Fill {
      const fill: Fill = { orderRef, execId: `exec-${orderRef}`, action, qty: 1, price, time: T0, commissionCents: 62 };
      actor.send({ type: 'OrderFilled', fill });
      return fill;
    },
    update: (ref: string, status: OrderStatus, message?: string) => actor.send({ type: 'OrderUpdated', update: { ref, status, filledQty: 0, avgFillPrice: null, time: T0, message } }),
    enterLong: () => actor.send({ type: 'Enter', side: 'long', qty: 1, ref: 'E1' }),
    flat: () => actor.send({ type: 'Reconciled', position: null }),
  };
  if (start !== 'reconciling') h.flat();
  if (start === 'long') {
    h.enterLong();
    h.update('E1', 'submitted');
    h.fill('E1', 'buy', 5000.25);
    expect(h.state()).toEqual({ open: 'long' });
    spy.clear();
  }
  return h;
}

describe('reconciling', () => {
  test('boots reconciling and goes flat when the broker shows no position', () => {
    const h = harness('reconciling');
    expect(h.state()).toBe('reconciling');

    h.flat();

    expect(h.state()).toBe('flat');
  });

  test('a reconciled position opens with its refs and something to close', () => {
    const h = harness('reconciling');
    const position: OpenRefs = { side: 'short', qty: 2, entryRef: 'E7', stopRef: 'E7-S', targetRef: 'E7-T' };

    h.send({ type: 'Reconciled', position });

    expect(h.state()).toEqual({ open: 'short' });
    expect(h.context()).toMatchObject({ ...position, holding: true });
  });
});

describe('entering', () => {
  test('Enter places the entry; the ack moves it to working; the fill opens the position with its bracket', () => {
    const h = harness();

    h.enterLong();
    expect(h.state()).toEqual({ entering: 'awaitingAck' });
    expect(h.spy.of('placeEntry')).toEqual([{ ref: 'E1', side: 'long', qty: 1 }]);
    h.update('E1', 'submitted');
    expect(h.state()).toEqual({ entering: 'working' });
    const entry = h.fill('E1', 'buy', 5000.25);

    expect(h.state()).toEqual({ open: 'long' });
    expect(h.spy.of('openedPosition')).toEqual([{ fill: entry, side: 'long', entryRef: 'E1', stopRef: 'E1-S', targetRef: 'E1-T' }]);
  });

  test.each([
    ['rejected by the broker', (h: ReturnType<typeof harness>) => h.update('E1', 'rejected', 'insufficient margin'), 'entry rejected: insufficient margin'],
    ['refused before sending', (h: ReturnType<typeof harness>) => h.send({ type: 'OrderRefused', ref: 'E1', message: 'not connected' }), 'entry refused: not connected'],
  ])('an entry %s goes back to flat and alerts', (_, refuse, message) => {
    const h = harness();
    h.enterLong();

    refuse(h);

    expect(h.state()).toBe('flat');
    expect(h.spy.of('alert')).toEqual([{ message }]);
    expect(h.context().entryRef).toBeNull();
  });

  test('no ack within the time-out: cancel the entry, alert and reconcile', async () => {
    const h = harness();
    h.enterLong();

    await advance(h.clock, ACK_TIMEOUT - 1);
    expect(h.state()).toEqual({ entering: 'awaitingAck' });
    await advance(h.clock, 1);

    expect(h.state()).toBe('reconciling');
    expect(h.spy.names()).toEqual(['placeEntry', 'cancelOrders', 'alert', 'requestReconcile']);
    expect(h.spy.of('cancelOrders')).toEqual([{ refs: ['E1'] }]);
  });

  test('once acknowledged the entry may work as long as it takes', async () => {
    const h = harness();
    h.enterLong();
    h.update('E1', 'submitted');

    await advance(h.clock, 10 * ACK_TIMEOUT);

    expect(h.state()).toEqual({ entering: 'working' });
    expect(h.spy.of('requestReconcile')).toEqual([]);
  });
});

describe('open', () => {
  test.each([['E1-S', 4998.25, 'stop'], ['E1-T', 5003.25, 'target']])('the bracket order %s filling closes the position with reason %s', (ref, price, reason) => {
    const h = harness('long');

    const exit = h.fill(ref, 'sell', price);

    expect(h.state()).toBe('flat');
    expect(h.spy.of('closedPosition')).toEqual([{ fill: exit, reason, entryRef: 'E1' }]);
  });

  test('Exit cancels the bracket, places the exit, and its fill closes with the exit reason', () => {
    const h = harness('long');

    h.send({ type: 'Exit', reason: 'max_hold', ref: 'X1' });
    expect(h.state()).toBe('exiting');
    expect(h.spy.of('cancelOrders')).toEqual([{ refs: ['E1-S', 'E1-T'] }]);
    expect(h.spy.of('placeExit')).toEqual([{ ref: 'X1', side: 'long', qty: 1, reason: 'max_hold' }]);
    const exit = h.fill('X1', 'sell', 5001);

    expect(h.state()).toBe('flat');
    expect(h.spy.of('closedPosition')).toEqual([{ fill: exit, reason: 'max_hold', entryRef: 'E1' }]);
  });

  test('a bracket fill that beats the cancel closes the position and withdraws the market exit', () => {
    const h = harness('long');
    h.send({ type: 'Exit', reason: 'signal', ref: 'X1' });
    h.spy.clear();

    const stop = h.fill('E1-S', 'sell', 4998.25);

    expect(h.state()).toBe('flat');
    expect(h.spy.of('cancelOrders')).toEqual([{ refs: ['X1'] }]);
    expect(h.spy.of('closedPosition')).toEqual([{ fill: stop, reason: 'stop', entryRef: 'E1' }]);
  });

});

describe('flatten', () => {
  test.each<[boolean, 'flat' | 'reconciling', string, number]>([
    [true, 'flat', 'flatten complete: the broker shows no position', 0],
    [false, 'reconciling', 'flatten: the broker still shows a position; reconciling', 1],
  ])('while open: cancel everything, close at market, and the broker confirming flat=%p → %s', async (confirmedFlat, end, message, reconciles) => {
    const h = harness('long');

    h.send({ type: 'Flatten', ref: 'F1' });
    expect(h.state()).toEqual({ flattening: 'cancelling' });
    await h.cancelAll.resolve();
    expect(h.state()).toEqual({ flattening: 'closing' });
    expect(h.spy.of('placeExit')).toEqual([{ ref: 'F1', side: 'long', qty: 1, reason: 'flatten' }]);
    const exit = h.fill('F1', 'sell', 4999.5);
    expect(h.state()).toEqual({ flattening: 'confirming' });
    expect(h.spy.of('closedPosition')).toEqual([{ fill: exit, reason: 'flatten', entryRef: 'E1' }]);
    await h.confirmFlat.resolve(confirmedFlat);

    expect(h.state()).toBe(end);
    expect(h.spy.of('alert')).toEqual([{ message }]);
    expect(h.spy.of('requestReconcile')).toHaveLength(reconciles);
  });

  test('while flat: cancels, confirms, and places no order', async () => {
    const h = harness();

    h.send({ type: 'Flatten', ref: 'F1' });
    await h.cancelAll.resolve();
    expect(h.state()).toEqual({ flattening: 'confirming' });
    await h.confirmFlat.resolve(true);

    expect(h.state()).toBe('flat');
    expect(h.spy.of('placeExit')).toEqual([]);
  });

  test('an entry that fills during the flatten is adopted and closed too', async () => {
    const h = harness();
    h.enterLong();
    h.send({ type: 'Flatten', ref: 'F1' });

    const entry = h.fill('E1', 'buy', 5000.25);
    expect(h.spy.of('adoptEntry')).toEqual([{ fill: entry, side: 'long' }]);
    await h.cancelAll.resolve();
    expect(h.spy.of('placeExit')).toEqual([{ ref: 'F1', side: 'long', qty: 1, reason: 'flatten' }]);
    h.fill('F1', 'sell', 5000);
    await h.confirmFlat.resolve(true);

    expect(h.state()).toBe('flat');
    expect(h.spy.of('openedPosition')).toEqual([]);
    expect(h.spy.of('closedPosition')).toHaveLength(1);
  });

  test('a failing cancel-all still confirms with the broker, and alerts', async () => {
    const h = harness();
    h.send({ type: 'Flatten', ref: 'F1' });

    await h.cancelAll.reject(new Error('not connected'));

    expect(h.state()).toEqual({ flattening: 'confirming' });
    expect(h.spy.of('alert')).toEqual([{ message: 'flatten: cancelling orders failed: Error: not connected' }]);
  });

  test('a second Flatten while closing keeps waiting for the first flatten order', async () => {
    const h = harness('long');
    h.send({ type: 'Flatten', ref: 'F1' });
    await h.cancelAll.resolve();

    h.send({ type: 'Flatten', ref: 'F2' });
    h.fill('F1', 'sell', 4999.5);

    expect(h.state()).toEqual({ flattening: 'confirming' });
    expect(h.spy.of('closedPosition')).toHaveLength(1);
    expect(h.cancelAll.calls).toHaveLength(1);
  });

  test('a stop that fills before the cancel reaches it closes the position: no flatten order is sent', async () => {
    const h = harness('long');
    h.send({ type: 'Flatten', ref: 'F1' });

    const stop = h.fill('E1-S', 'sell', 4998.25);
    await h.cancelAll.resolve();

    expect(h.state()).toEqual({ flattening: 'confirming' });
    expect(h.spy.of('closedPosition')).toEqual([{ fill: stop, reason: 'stop', entryRef: 'E1' }]);
    // Selling again here would open a short the operator never asked for.
    expect(h.spy.of('placeExit')).toEqual([]);
  });
});
