import { describe, expect, test } from 'bun:test';
import { createActor, SimulatedClock } from 'xstate';
import { positionMachine } from '../../src/actors/position.machine.ts';
import type { Fill } from '../../src/domain/trading.ts';
import { actionSpy, controlledPromise } from './helpers.ts';

const T0 = Date.parse('2026-01-06T14:30:00Z');

/** A position actor holding long 2 through entry E1 (bracket E1-S / E1-T), effects recorded. */
function longTwo() {
  const spy = actionSpy(['placeEntry', 'openedPosition', 'placeExit', 'cancelOrders', 'adoptEntry', 'closedPosition', 'alert', 'requestReconcile']);
  const cancelAll = controlledPromise<void>();
  const confirmFlat = controlledPromise<boolean>();
  const actor = createActor(positionMachine.provide({ actions: spy.actions, actors: { cancelAll: cancelAll.logic, confirmFlat: confirmFlat.logic } }), {
    clock: new SimulatedClock(),
    input: { ackTimeoutMs: 5000 },
  }).start();
  const fill = (orderRef: string, qty: number, price: number): Fill => ({ orderRef, execId: `x-${orderRef}-${qty}`, action: orderRef === 'E1' ? 'buy' : 'sell', qty, price, time: T0, commissionCents: 62 * qty });
  actor.send({ type: 'Reconciled', position: null });
  actor.send({ type: 'Enter', side: 'long', qty: 2, ref: 'E1' });
  actor.send({ type: 'OrderFilled', fill: fill('E1', 2, 5000.25) });
  spy.clear();
  return { actor, spy, cancelAll, fill, context: () => actor.getSnapshot().context };
}

describe('part of a position closed by a bracket leg that ended part-filled', () => {
  test('in a flatten: the part the stop filled is closed, and the flatten sells only the rest', async () => {
    const h = longTwo();
    h.actor.send({ type: 'Flatten', ref: 'F1' });
    // The cancel stopped the stop after one contract: that one arrives as the stop's fill.
    h.actor.send({ type: 'OrderFilled', fill: h.fill('E1-S', 1, 4960) });
    expect(h.spy.of('closedPosition')).toEqual([expect.objectContaining({ reason: 'stop', fill: expect.objectContaining({ qty: 1 }) })]);
    expect(h.context()).toMatchObject({ qty: 1, holding: true });

    await h.cancelAll.resolve();

    expect(h.spy.of('placeExit')).toEqual([{ ref: 'F1', side: 'long', qty: 1, reason: 'flatten' }]);
    expect(h.actor.getSnapshot().value).toEqual({ flattening: 'closing' });
  });

  test('in a flatten: a stop that filled completely leaves nothing to sell', async () => {
    const h = longTwo();
    h.actor.send({ type: 'Flatten', ref: 'F1' });
    h.actor.send({ type: 'OrderFilled', fill: h.fill('E1-S', 2, 4960) });
    await h.cancelAll.resolve();
    expect(h.spy.of('placeExit')).toEqual([]);
    expect(h.context().holding).toBe(false);
  });

  test('while open: a part-filled leg cancelled outside the bot closes its part; the rest stays open and the operator is told', () => {
    const h = longTwo();
    h.actor.send({ type: 'OrderFilled', fill: h.fill('E1-T', 1, 5060.25) });
    expect(h.actor.getSnapshot().value).toEqual({ open: 'long' });
    expect(h.context().qty).toBe(1);
    expect(h.spy.of('closedPosition')).toEqual([expect.objectContaining({ reason: 'target', fill: expect.objectContaining({ qty: 1 }) })]);
    expect(h.spy.of('alert')).toEqual([{ message: 'part of the position closed by its bracket; 1 contract(s) remain open' }]);
  });
});
