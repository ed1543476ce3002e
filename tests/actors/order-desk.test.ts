import { describe, expect, test } from 'bun:test';
import { SimulatedClock } from 'xstate';
import { OrderDesk } from '../../src/actors/order-desk.ts';
import type { Broker } from '../../src/broker/port.ts';
import type { Fill, OrderRequest } from '../../src/domain/trading.ts';
import type { StoredOrder } from '../../src/store/orders.ts';
import { T0 } from '../../src/testing/builders.ts';
import { flush, memoryLogger, useTempStore } from './helpers.ts';

const store = useTempStore();

/** A broker that records what it was asked, what the journal held at that moment, and can refuse. */
function recordingBroker() {
  const placed: Array<{ req: OrderRequest; journalled: StoredOrder | null }> = [];
  const cancelled: string[] = [];
  let refuse: Error | null = null;
  let throwNow: Error | null = null;
  const unused = () => Promise.reject(new Error('not used by the order desk'));
  const broker: Broker = {
    name: 'recording',
    connect: unused,
    disconnect: unused,
    subscribeBars: unused,
    history: unused,
    // Not `async`: an adapter may throw before it returns a promise (e.g. a closed socket).
    placeOrder: (req) => {
      placed.push({ req, journalled: store.repos.orders.byRef(req.ref) });
      if (throwNow) throw throwNow;
      return refuse ? Promise.reject(refuse) : Promise.resolve();
    },
    cancelOrder: (ref) => {
      if (throwNow) throw throwNow;
      cancelled.push(ref);
      return Promise.resolve();
    },
    cancelAll: async () => {},
    openOrders: unused,
    positions: unused,
    executionsSince: unused,
    accountPnl: unused,
    on: () => () => {},
  };
  return { broker, placed, cancelled, refuseWith: (e: Error) => void (refuse = e), throwWith: (e: Error) => void (throwNow = e) };
}

function desk() {
  const clock = new SimulatedClock();
  clock.set(T0);
  const venue = recordingBroker();
  const log = memoryLogger();
  const d = new OrderDesk(venue.broker, store.repos, clock, log);
  const refused: Array<{ ref: string; message: string }> = [];
  d.onRefused = (ref, message) => void refused.push({ ref, message });
  return { desk: d, venue, log, refused, clock };
}

const entry: OrderRequest = { ref: 'E1', action: 'buy', type: 'market', qty: 2, reason: 'entry' };
const fill = (execId: string, qty: number, price: number): Fill => ({ orderRef: 'E1', execId, action: 'buy', qty, price, time: T0, commissionCents: 62 * qty });

describe('placing', () => {
  test('when an order is placed, then it is journalled as pending before the broker sees it', async () => {
    const d = desk();

    d.desk.place(entry);
    await flush();

    expect(d.venue.placed).toHaveLength(1);
    expect(d.venue.placed[0]!.req).toEqual(entry);
    expect(d.venue.placed[0]!.journalled).toMatchObject({ ref: 'E1', status: 'pending', qty: 2, reason: 'entry', createdAt: T0 });
  });

  test('when a ref the journal already has is placed again, then the broker is not asked twice', async () => {
    const d = desk();
    d.desk.place(entry);

    d.desk.place({ ...entry, qty: 5 });
    await flush();

    expect(d.venue.placed).toHaveLength(1);
    expect(store.repos.orders.byRef('E1')?.qty).toBe(2);
    expect(d.log.lines.filter((l) => l.event === 'order.duplicate_ref')).toHaveLength(1);
  });

  test('when the broker refuses an order, then it is journalled rejected with the reason and onRefused is told', async () => {
    const d = desk();
    d.venue.refuseWith(new Error('placeOrder: not connected'));

    d.desk.place(entry);
    await flush();

    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'rejected', lastError: 'placeOrder: not connected' });
    expect(d.refused).toEqual([{ ref: 'E1', message: 'placeOrder: not connected' }]);
    expect(d.log.lines.some((l) => l.level === 'error' && l.event === 'order.refused')).toBe(true);
  });

  test('when the broker throws as it is called, then the order is still journalled rejected and onRefused is told', async () => {
    const d = desk();
    d.venue.throwWith(new Error('socket closed'));

    expect(() => d.desk.place(entry)).not.toThrow();
    await flush();

    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'rejected', lastError: 'socket closed' });
    expect(d.refused).toEqual([{ ref: 'E1', message: 'socket closed' }]);
  });

  test('when a refused ref is placed again, then it is still not re-sent (the journal keeps the first)', async () => {
    const d = desk();
    d.venue.refuseWith(new Error('invalid'));
    d.desk.place(entry);
    await flush();

    d.desk.place(entry);
    await flush();

    expect(d.venue.placed).toHaveLength(1);
  });
});

describe('fills', () => {
  test('when a fill arrives, then it is journalled once and the order shows filled with its average price', () => {
    const d = desk();
    d.desk.place(entry);

    const first = d.desk.recordFill(fill('x1', 2, 5000.25));
    const repeat = d.desk.recordFill(fill('x1', 2, 5000.25));

    expect(first).toBe(true);
    expect(repeat).toBe(false);
    expect(store.repos.fills.forOrder('E1')).toHaveLength(1);
    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'filled', filledQty: 2, avgFillPrice: 5000.25 });
  });

  test('when an order fills in parts, then it is partially filled and then filled at the quantity-weighted average', () => {
    const d = desk();
    d.desk.place(entry);

    d.desk.recordFill(fill('x1', 1, 5000));
    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'partially_filled', filledQty: 1, avgFillPrice: 5000 });
    d.desk.recordFill(fill('x2', 1, 5000.5));

    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'filled', filledQty: 2, avgFillPrice: 5000.25 });
  });

  test('when a repeated execution report arrives after the order filled, then nothing changes', () => {
    const d = desk();
    d.desk.place(entry);
    d.desk.recordFill(fill('x1', 2, 5000));
    const before = store.repos.orders.byRef('E1');
    d.clock.increment(60_000);

    expect(d.desk.recordFill(fill('x1', 2, 5000))).toBe(false);

    expect(store.repos.orders.byRef('E1')).toEqual(before);
  });
});

describe('statuses and cancels', () => {
  test('when the broker reports a status, then the journal takes it with the broker id and message', () => {
    const d = desk();
    d.desk.place(entry);

    d.desk.recordStatus({ ref: 'E1', status: 'rejected', filledQty: 0, avgFillPrice: null, brokerId: 7, message: 'margin', time: T0 });

    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'rejected', brokerId: 7, lastError: 'margin' });
    expect(d.log.lines.map((l) => l.event)).toContain('order.rejected');
  });

  test('when an order is cancelled, then the broker is asked to cancel that ref', async () => {
    const d = desk();

    d.desk.cancel('E1-S');
    await flush();

    expect(d.venue.cancelled).toEqual(['E1-S']);
  });

  test('when the broker throws as a cancel is sent, then it is logged and the caller carries on', async () => {
    const d = desk();
    d.venue.throwWith(new Error('socket closed'));

    expect(() => d.desk.cancel('E1-S')).not.toThrow();
    await flush();

    expect(d.log.lines).toContainEqual({ level: 'warn', event: 'order.cancel_failed', fields: { ref: 'E1-S', error: 'Error: socket closed' } });
  });
});
