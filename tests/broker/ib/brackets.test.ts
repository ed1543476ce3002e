import { afterEach, describe, expect, test } from 'bun:test';
import type { Bracket } from '../../../src/broker/port.ts';
import { TESTED_VERSIONS } from '../../../src/broker/ib-sim/versions.ts';
import { ibHarness, until } from './harness.ts';

/**
 * Risk 1 and the bracket design, against the fake gateway at each tested server version: the
 * adapter sends IB's bracket (entry and stop transmit=false, target transmit=true, children with
 * parentId in one OCA group), moves a stop in place, and an exit joins the OCA group.
 */

let h: Awaited<ReturnType<typeof ibHarness>> | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function bracketAt(price: number, ref = 'B1', qty = 2): Bracket {
  return {
    entry: { ref, action: 'buy', type: 'market', qty, reason: 'entry' },
    stop: { ref: `${ref}-S`, action: 'sell', type: 'stop', qty, price: price - 25, ocaGroup: ref, parentRef: ref, reason: 'stop' },
    target: { ref: `${ref}-T`, action: 'sell', type: 'limit', qty, price: price + 50, ocaGroup: ref, parentRef: ref, reason: 'target' },
  };
}

describe.each(TESTED_VERSIONS)('brackets at server version %i', (v) => {
  async function start(commissionDelayMs = 0) {
    h = await ibHarness({ gateway: { minVersion: v, maxVersion: v, commissionDelayMs }, broker: { commissionWaitMs: 4_000 } });
    await h.broker.connect();
    expect(h.broker.negotiatedVersion).toBe(v);
    const last = await h.gw.step();
    return { h, price: last.close };
  }

  test('risk 1: the stop is working at IB the moment the entry fills, however late the fill event comes', async () => {
    const { h, price } = await start(1_500);
    await h.broker.placeBracket(bracketAt(price));
    await until(() => h.gw.book.workingOrders(1).length === 3, 'the bracket at the gateway');
    const [entry, stop, target] = h.gw.book.workingOrders(1);
    // IB's bracket: nothing is transmitted until the last child, so the entry never works alone.
    expect(h.gw.book.received.map((r) => [r.orderRef, r.transmit, r.parentId === 0 ? 0 : 'entry', r.ocaGroup])).toEqual([['B1', false, 0, ''], ['B1-S', false, 'entry', 'B1'], ['B1-T', true, 'entry', 'B1']]);
    expect([entry!.orderRef, entry!.status, stop!.orderRef, stop!.status, stop!.parentId, target!.status, target!.parentId]).toEqual(['B1', 'Submitted', 'B1-S', 'PreSubmitted', entry!.orderId, 'PreSubmitted', entry!.orderId]);
    expect([stop!.ocaGroup, stop!.ocaType, target!.ocaGroup]).toEqual(['B1', 2, 'B1']);
    await h.gw.step();
    // The entry filled at the open; its commission report (hence our fill event) is 1.5 s away.
    expect(h.gw.book.exchange.positions()[0]?.qty).toBe(2);
    expect(h.events.fill).toEqual([]);
    expect(h.gw.book.workingOrders(1).map((o) => [o.orderRef, o.status])).toEqual([['B1-S', 'Submitted'], ['B1-T', 'Submitted']]);
    await until(() => h.events.fill.length === 1, 'the entry fill', 4_000);
    expect(h.events.fill[0]).toMatchObject({ orderRef: 'B1', qty: 2 });
  });

  test('modifyOrder moves the stop in place: same order id and permId at IB, no cancel', async () => {
    const { h, price } = await start();
    await h.broker.placeBracket(bracketAt(price));
    await h.gw.step();
    await until(() => h.statuses('B1-S').includes('submitted'), 'the stop working');
    const before = h.gw.book.workingOrders(1).find((o) => o.orderRef === 'B1-S')!;
    await h.broker.modifyOrder('B1-S', price - 10);
    await until(() => h.gw.book.workingOrders(1).find((o) => o.orderRef === 'B1-S')?.auxPrice === price - 10, 'the moved stop');
    const after = h.gw.book.workingOrders(1).find((o) => o.orderRef === 'B1-S')!;
    expect([after.orderId, after.permId]).toEqual([before.orderId, before.permId]);
    expect(h.statuses('B1-S')).not.toContain('cancelled');
    await expect(h.broker.modifyOrder('B1', price)).rejects.toThrow(/already filled|only stop and limit/);
  });

  test('an exit that joins the OCA group closes the position and IB cancels both legs', async () => {
    const { h, price } = await start();
    await h.broker.placeBracket(bracketAt(price));
    await h.gw.step();
    await until(() => h.statuses('B1-T').includes('submitted'), 'the legs working');
    await h.broker.placeOrder({ ref: 'B1-X', action: 'sell', type: 'market', qty: 2, ocaGroup: 'B1', reason: 'signal' });
    await until(() => h.gw.book.workingOrders(1).some((o) => o.orderRef === 'B1-X'), 'the exit at the gateway');
    await h.gw.step();
    await until(() => h.statuses('B1-S').includes('cancelled') && h.statuses('B1-T').includes('cancelled'), 'both legs cancelled');
    expect(h.gw.book.exchange.positions()).toEqual([]);
    expect(h.gw.book.workingOrders(1)).toEqual([]);
    await until(() => h.events.fill.length === 2, 'entry and exit fills');
  });

  test('a bracket ref already placed is not placed twice', async () => {
    const { h, price } = await start();
    await h.broker.placeBracket(bracketAt(price));
    await h.broker.placeBracket(bracketAt(price));
    await until(() => h.gw.book.workingOrders(1).length === 3, 'the bracket');
    await Bun.sleep(150);
    expect(h.gw.book.workingOrders(1).length).toBe(3);
  });
});
