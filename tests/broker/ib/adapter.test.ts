import { afterEach, describe, expect, test } from 'bun:test';
import type { Bar } from '../../../src/domain/bar.ts';
import { BarAggregator } from '../../../src/market/aggregate.ts';
import { ibHarness, until } from './harness.ts';

let h: Awaited<ReturnType<typeof ibHarness>> | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('IB adapter against the fake gateway: market data', () => {
  test('when connected and subscribed, each simulated minute arrives as one bar equal to the venue bar', async () => {
    h = await ibHarness();
    await h.broker.connect();
    expect(h.events.connection).toEqual([{ type: 'connected' }]);
    await h.broker.subscribeBars(1);
    await until(() => h!.gw.barSubscriptions() === 1, 'the subscription at the gateway');
    const venue: Bar[] = [];
    for (let i = 0; i < 3; i++) venue.push(await h.gw.step());
    await until(() => h!.events.bar.length === 3, '3 bars');
    expect(h.events.bar).toEqual(venue);
  });

  test('5-minute bars are the 5-second bars aggregated on the clock', async () => {
    h = await ibHarness();
    await h.broker.connect();
    await h.broker.subscribeBars(5);
    await until(() => h!.gw.barSubscriptions() === 1, 'the subscription at the gateway');
    const agg = new BarAggregator({ periodMinutes: 5, sourceBarMs: 60_000 });
    const expected: Bar[] = [];
    for (let i = 0; i < 12; i++) expected.push(...agg.push(await h.gw.step()));
    await until(() => h!.events.bar.length === expected.length, `${expected.length} five-minute bars`);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(h.events.bar).toEqual(expected);
  });

  test('history returns the last closed bars of the continuous future, oldest first', async () => {
    h = await ibHarness();
    await h.broker.connect();
    const stepped = [await h.gw.step(), await h.gw.step()];
    const bars = await h.broker.history(1, 50);
    expect(bars.length).toBe(50);
    expect(bars.slice(-2)).toEqual(stepped);
    expect(bars.every((b, i) => i === 0 || b.time > bars[i - 1]!.time)).toBe(true);
  });
});

describe('IB adapter against the fake gateway: orders and account', () => {
  test('an entry fills with its commission; the bracket rests as an OCA pair; the books agree', async () => {
    h = await ibHarness();
    await h.broker.connect();
    await h.broker.placeOrder({ ref: 'E1', action: 'buy', type: 'market', qty: 1, reason: 'entry' });
    await until(() => h!.statuses('E1').includes('submitted'), 'E1 acknowledged');
    const bar = await h.gw.step();
    await until(() => h!.events.fill.length === 1, 'the entry fill');
    expect(h.events.fill[0]).toMatchObject({ orderRef: 'E1', action: 'buy', qty: 1, price: bar.open + 0.25, time: bar.time, commissionCents: 62 });
    await until(() => h!.statuses('E1').includes('filled'), 'E1 filled');
    expect(h.statuses('E1')).toEqual(['submitted', 'filled']);

    await h.broker.placeOrder({ ref: 'E1-S', action: 'sell', type: 'stop', qty: 1, price: bar.open - 50, ocaGroup: 'E1', parentRef: 'E1', reason: 'stop' });
    await h.broker.placeOrder({ ref: 'E1-T', action: 'sell', type: 'limit', qty: 1, price: bar.open + 50, ocaGroup: 'E1', parentRef: 'E1', reason: 'target' });
    await until(() => h!.statuses('E1-T').includes('submitted'), 'the bracket acknowledged');
    const open = await h.broker.openOrders();
    expect(open.map((o) => [o.ref, o.type, o.price, o.ocaGroup, o.status]).sort()).toEqual([
      ['E1-S', 'stop', bar.open - 50, 'E1', 'submitted'],
      ['E1-T', 'limit', bar.open + 50, 'E1', 'submitted'],
    ]);
    expect(await h.broker.positions()).toEqual([{ symbol: 'MES', qty: 1, avgPrice: bar.open + 0.25 }]);
    expect(await h.broker.executionsSince(bar.time)).toEqual(h.events.fill);
    expect(await h.broker.executionsSince(bar.time + 1)).toEqual([]);
    expect(await h.broker.accountPnl()).toEqual(h.gw.book.exchange.accountPnl());
  });

  test('a short position is negative; cancelling an order is reported once (202)', async () => {
    h = await ibHarness();
    await h.broker.connect();
    await h.broker.placeOrder({ ref: 'E2', action: 'sell', type: 'market', qty: 2 });
    await until(() => h!.statuses('E2').includes('submitted'), 'E2 acknowledged');
    const bar = await h.gw.step();
    await until(() => h!.events.fill.length === 1, 'the short entry');
    expect(await h.broker.positions()).toEqual([{ symbol: 'MES', qty: -2, avgPrice: bar.open - 0.25 }]);
    await h.broker.placeOrder({ ref: 'E2-S', action: 'buy', type: 'stop', qty: 2, price: bar.open + 100 });
    await until(() => h!.statuses('E2-S').includes('submitted'), 'stop acknowledged');
    await h.broker.cancelOrder('E2-S');
    await until(() => h!.statuses('E2-S').includes('cancelled'), 'stop cancelled');
    await h.gw.step();
    expect(h.statuses('E2-S')).toEqual(['submitted', 'cancelled']);
    expect(h.events.orderStatus.find((u) => u.ref === 'E2-S' && u.status === 'cancelled')?.message).toContain('202');
  });

  test('after a restart the new adapter finds its working orders by orderRef and can cancel them', async () => {
    h = await ibHarness();
    await h.broker.connect();
    await h.broker.placeOrder({ ref: 'R1', action: 'buy', type: 'limit', qty: 1, price: 4000 });
    await until(() => h!.statuses('R1').includes('submitted'), 'R1 working');
    await h.broker.disconnect();
    const again = h.make();
    await again.broker.connect();
    const open = await again.broker.openOrders();
    expect(open.map((o) => [o.ref, o.type, o.price, o.action, o.qty])).toEqual([['R1', 'limit', 4000, 'buy', 1]]);
    await again.broker.cancelOrder('R1');
    await until(() => again.events.orderStatus.some((u) => u.ref === 'R1' && u.status === 'cancelled'), 'R1 cancelled');
    expect(await again.broker.openOrders()).toEqual([]);
  });

  test('order ids continue from the larger of the persisted id and the gateway’s', async () => {
    h = await ibHarness({ storedNextId: 500 });
    await h.broker.connect();
    await h.broker.placeOrder({ ref: 'P1', action: 'buy', type: 'limit', qty: 1, price: 4000 });
    await until(() => h!.statuses('P1').includes('submitted'), 'P1 working');
    expect(h.events.orderStatus.find((u) => u.ref === 'P1')?.brokerId).toBe(500);
    expect(h.storedNextId()).toBe(501);
  });

  test('a refused placement in a closed session is a retryable 504; cancelAll cancels every working order', async () => {
    h = await ibHarness();
    await expect(h.broker.placeOrder({ ref: 'N1', action: 'buy', type: 'market', qty: 1 })).rejects.toMatchObject({ code: 504, retryable: true });
    await h.broker.connect();
    for (const ref of ['C1', 'C2']) await h.broker.placeOrder({ ref, action: 'buy', type: 'limit', qty: 1, price: 4000 });
    await until(() => h!.statuses('C2').includes('submitted'), 'C2 working');
    await h.broker.cancelAll();
    await until(() => h!.statuses('C1').includes('cancelled') && h!.statuses('C2').includes('cancelled'), 'both cancelled');
    expect(h.gw.book.workingOrders(null)).toEqual([]);
  });
});
