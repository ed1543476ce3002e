import { describe, expect, test } from 'bun:test';
import { fill, T0 } from './builders.ts';
import { useTempStore } from './temp-store.ts';

const t = useTempStore();

describe('inserting a fill', () => {
  test('reads back exactly after a restart', () => {
    const f = fill({ action: 'sell', qty: 2, price: 4999.75, commissionCents: 124 });

    expect(t.repos.fills.insert(f)).toBe(true);
    t.reopen();

    expect(t.repos.fills.byExecId(f.execId)).toEqual({ id: 1, ...f });
  });

  test('a repeated execution report returns false and is not counted twice', () => {
    const f = fill();
    t.repos.fills.insert(f);

    const repeated = t.repos.fills.insert({ ...f, price: 5010, time: T0 + 99_000 });

    expect(repeated).toBe(false);
    expect(t.repos.fills.forOrder(f.orderRef)).toEqual([{ id: 1, ...f }]);
  });

  test('a fraction of a cent is refused, not rounded', () => {
    expect(() => t.repos.fills.insert(fill({ commissionCents: 61.5 }))).toThrow();
    expect(t.repos.fills.lastTime()).toBeNull();
  });

  test('a fill for an order never recorded is still kept', () => {
    expect(t.repos.fills.insert(fill({ orderRef: '' }))).toBe(true);
    expect(t.repos.fills.forOrder('')).toHaveLength(1);
  });
});

describe('the commission report', () => {
  test('corrects the commission of a stored fill', () => {
    t.repos.fills.insert(fill({ execId: 'e1', commissionCents: 0 }));
    expect(t.repos.fills.setCommission('e1', 62)).toBe(true);
    expect(t.repos.fills.byExecId('e1')?.commissionCents).toBe(62);
  });

  test('for an unknown execution returns false', () => {
    expect(t.repos.fills.setCommission('missing', 62)).toBe(false);
  });
});

describe('querying fills', () => {
  test('since(time) includes that time, in time order; forOrder keeps arrival order; lastTime is the newest', () => {
    t.repos.fills.insert(fill({ execId: 'c', orderRef: 'x', time: T0 + 3000 }));
    t.repos.fills.insert(fill({ execId: 'a', orderRef: 'y', time: T0 + 1000 }));
    t.repos.fills.insert(fill({ execId: 'b', orderRef: 'x', time: T0 + 2000 }));

    expect(t.repos.fills.since(T0 + 2000).map((f) => f.execId)).toEqual(['b', 'c']);
    expect(t.repos.fills.forOrder('x').map((f) => f.execId)).toEqual(['c', 'b']);
    expect(t.repos.fills.lastTime()).toBe(T0 + 3000);
  });
});
