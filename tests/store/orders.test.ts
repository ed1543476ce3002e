import { describe, expect, test } from 'bun:test';
import { orderRequest, T0 } from './builders.ts';
import { useTempStore } from './temp-store.ts';

const t = useTempStore();

describe('inserting an order', () => {
  test('reads back by ref with every field, pending and unfilled', () => {
    const stop = orderRequest({ ref: 'qs-7-stop', action: 'sell', type: 'stop', price: 4995.75, ocaGroup: 'oca-7', parentRef: 'qs-7-entry', reason: 'stop' });

    expect(t.repos.orders.insert(stop, T0)).toBe(true);
    t.reopen();

    expect(t.repos.orders.byRef('qs-7-stop')).toEqual({
      ...stop,
      status: 'pending',
      filledQty: 0,
      avgFillPrice: null,
      appliedQty: 0,
      createdAt: T0,
      updatedAt: T0,
      lastError: null,
    });
  });

  test('a market order without optional fields reads back without them', () => {
    t.repos.orders.insert({ ref: 'bare', action: 'buy', type: 'market', qty: 2 }, T0);
    const order = t.repos.orders.byRef('bare')!;
    expect(Object.keys(order)).not.toContain('price');
    expect(Object.keys(order)).not.toContain('brokerId');
    expect(order.qty).toBe(2);
  });

  test('is idempotent on ref: a repeat returns false and keeps the first', () => {
    t.repos.orders.insert(orderRequest({ qty: 1 }), T0);

    const again = t.repos.orders.insert(orderRequest({ qty: 3 }), T0 + 1000);

    expect(again).toBe(false);
    expect(t.repos.orders.byRef('qs-1-entry')).toMatchObject({ qty: 1, createdAt: T0 });
    expect(t.store.db.query('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 1 });
  });

  test('can start with a broker id and status, as an order found at the broker on boot', () => {
    t.repos.orders.insert(orderRequest({ ref: 'found' }), T0, { status: 'submitted', brokerId: 41 });
    expect(t.repos.orders.byBrokerId(41)).toMatchObject({ ref: 'found', status: 'submitted', brokerId: 41 });
  });

  test('a stop without a price or a zero quantity is refused', () => {
    expect(() => t.repos.orders.insert(orderRequest({ ref: 'a', type: 'stop' }), T0)).toThrow('CHECK constraint failed');
    expect(() => t.repos.orders.insert(orderRequest({ ref: 'b', qty: 0 }), T0)).toThrow('CHECK constraint failed');
    expect(t.repos.orders.recent(10)).toEqual([]);
  });
});

describe('updating status', () => {
  test('records the broker id, fill progress and error, and bumps updated_at', () => {
    t.repos.orders.insert(orderRequest({ qty: 2 }), T0);

    t.repos.orders.updateStatus('qs-1-entry', { status: 'submitted', at: T0 + 10, brokerId: 77 });
    const partial = t.repos.orders.updateStatus('qs-1-entry', { status: 'partially_filled', at: T0 + 20, filledQty: 1, avgFillPrice: 5000.25 });

    expect(partial).toMatchObject({ status: 'partially_filled', brokerId: 77, filledQty: 1, avgFillPrice: 5000.25, createdAt: T0, updatedAt: T0 + 20 });
    expect(t.repos.orders.byBrokerId(77)?.ref).toBe('qs-1-entry');
  });

  test('an unknown ref returns null', () => {
    expect(t.repos.orders.updateStatus('nope', { status: 'filled', at: T0 })).toBeNull();
  });

  test('a late "submitted" after "filled" does not reopen the order', () => {
    t.repos.orders.insert(orderRequest(), T0);
    t.repos.orders.updateStatus('qs-1-entry', { status: 'filled', at: T0 + 10, filledQty: 1, avgFillPrice: 5000.5 });

    const late = t.repos.orders.updateStatus('qs-1-entry', { status: 'submitted', at: T0 + 20, filledQty: 0 });

    expect(late).toMatchObject({ status: 'filled', filledQty: 1, updatedAt: T0 + 10 });
    expect(t.repos.orders.open()).toEqual([]);
  });

  test('a fill reported after a cancel wins: the broker filled it', () => {
    t.repos.orders.insert(orderRequest(), T0);
    t.repos.orders.updateStatus('qs-1-entry', { status: 'cancelled', at: T0 + 10 });

    expect(t.repos.orders.updateStatus('qs-1-entry', { status: 'filled', at: T0 + 20, filledQty: 1 })?.status).toBe('filled');
  });

  test('a rejection keeps its error text', () => {
    t.repos.orders.insert(orderRequest(), T0);
    t.repos.orders.updateStatus('qs-1-entry', { status: 'rejected', at: T0 + 1, lastError: '201: order rejected - margin' });
    t.reopen();
    expect(t.repos.orders.byRef('qs-1-entry')).toMatchObject({ status: 'rejected', lastError: '201: order rejected - margin' });
  });
});

describe('listing orders', () => {
  test('open() lists only non-terminal orders, oldest first', () => {
    for (const ref of ['a', 'b', 'c', 'd']) t.repos.orders.insert(orderRequest({ ref, qty: 2 }), T0);
    t.repos.orders.updateStatus('a', { status: 'filled', at: T0, filledQty: 2 });
    t.repos.orders.updateStatus('c', { status: 'partially_filled', at: T0, filledQty: 1 });
    t.repos.orders.updateStatus('d', { status: 'cancelled', at: T0 });

    expect(t.repos.orders.open().map((o) => o.ref)).toEqual(['b', 'c']);
  });

  test('recent(limit) is newest first', () => {
    for (const ref of ['a', 'b', 'c']) t.repos.orders.insert(orderRequest({ ref }), T0);
    expect(t.repos.orders.recent(2).map((o) => o.ref)).toEqual(['c', 'b']);
  });

  test('byBrokerId finds the newest order when IB reused an id', () => {
    t.repos.orders.insert(orderRequest({ ref: 'old' }), T0, { brokerId: 5 });
    t.repos.orders.insert(orderRequest({ ref: 'new' }), T0 + 1, { brokerId: 5 });
    expect(t.repos.orders.byBrokerId(5)?.ref).toBe('new');
    expect(t.repos.orders.byBrokerId(6)).toBeNull();
  });
});
