import { describe, expect, test } from 'bun:test';
import { backtest, fill, orderRequest, T0 } from './builders.ts';
import { useTempStore } from './temp-store.ts';

const t = useTempStore();

describe('the repositories bundle', () => {
  test('a transaction that throws leaves nothing of any repository behind', () => {
    expect(() =>
      t.repos.transaction(() => {
        t.repos.orders.insert(orderRequest(), T0);
        t.repos.fills.insert(fill());
        t.repos.outbox.enqueue({ kind: 'order_filled', text: 'Bought 1 MES @ 5000.25' }, T0);
        throw new Error('broker rejected');
      }),
    ).toThrow('broker rejected');

    expect(t.repos.orders.byRef('qs-1-entry')).toBeNull();
    expect(t.repos.fills.lastTime()).toBeNull();
    expect(t.repos.outbox.pendingCount()).toBe(0);
  });

  test('a transaction commits every repository together and returns its value', () => {
    const id = t.repos.transaction(() => {
      t.repos.orders.insert(orderRequest(), T0);
      t.repos.fills.insert(fill());
      return t.repos.outbox.enqueue({ kind: 'order_filled', text: 'Bought 1 MES @ 5000.25' }, T0);
    });
    t.reopen();

    expect(t.repos.orders.byRef('qs-1-entry')).not.toBeNull();
    expect(t.repos.fills.forOrder('qs-1-entry')).toHaveLength(1);
    expect(t.repos.outbox.due(T0, 10).map((m) => m.id)).toEqual([id]);
  });

  test('a nested transaction rolls back alone when the outer one catches its error', () => {
    t.repos.transaction(() => {
      t.repos.orders.insert(orderRequest({ ref: 'kept' }), T0);
      try {
        t.repos.transaction(() => {
          t.repos.orders.insert(orderRequest({ ref: 'dropped' }), T0);
          throw new Error('inner');
        });
      } catch {
        // the outer transaction carries on
      }
    });

    expect(t.repos.orders.recent(10).map((o) => o.ref)).toEqual(['kept']);
  });

  test('research runs are saved and read through the same bundle', () => {
    const id = t.repos.runs.saveBacktest({ result: backtest(), settings: {}, dataSource: 'x', createdAt: T0 });
    expect(t.repos.runs.getRun(id)?.tradeCount).toBe(2);
  });
});
