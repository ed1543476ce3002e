import { describe, expect, test } from 'bun:test';
import { T0 } from './builders.ts';
import { useTempStore } from './temp-store.ts';

const t = useTempStore();
const SECOND = 1000;

function enqueue(n: number, at = T0): number[] {
  return Array.from({ length: n }, (_, i) => t.repos.outbox.enqueue({ kind: 'order_filled', text: `message ${i}` }, at));
}

describe('enqueueing', () => {
  test('a message is due at once and reads back with its payload', () => {
    const id = t.repos.outbox.enqueue({ kind: 'breaker_tripped', text: 'Halted: daily loss', payload: { lossCents: -51_000 }, silent: true }, T0);

    expect(t.repos.outbox.due(T0, 10)).toEqual([
      { id, kind: 'breaker_tripped', text: 'Halted: daily loss', payload: { lossCents: -51_000 }, silent: true, createdAt: T0, attempts: 0, nextAttemptAt: T0, lastError: null },
    ]);
    expect(t.repos.outbox.pendingCount()).toBe(1);
  });

  test('a payload JSON cannot hold is refused', () => {
    expect(() => t.repos.outbox.enqueue({ kind: 'x', text: 'x', payload: { n: Number.NaN } }, T0)).toThrow('cannot store NaN');
    expect(t.repos.outbox.pendingCount()).toBe(0);
  });
});

describe('delivery order', () => {
  test('due returns messages in the order they were enqueued, up to the limit', () => {
    const ids = enqueue(5);
    expect(t.repos.outbox.due(T0, 3).map((m) => m.id)).toEqual(ids.slice(0, 3));
  });

  test('a failed message holds back the ones behind it until its retry time', () => {
    const [first, second, third] = enqueue(3);

    t.repos.outbox.markFailed(first!, T0, 'ETIMEDOUT', T0 + 30 * SECOND);

    expect(t.repos.outbox.due(T0 + 29 * SECOND, 10)).toEqual([]);
    const retried = t.repos.outbox.due(T0 + 30 * SECOND, 10);
    expect(retried.map((m) => m.id)).toEqual([first!, second!, third!]);
    expect(retried[0]).toMatchObject({ attempts: 1, lastError: 'ETIMEDOUT', nextAttemptAt: T0 + 30 * SECOND });
  });

  test('delivered messages are skipped and the rest keep their order', () => {
    const [first, second, third] = enqueue(3);
    expect(t.repos.outbox.markDelivered(first!, T0 + 1)).toBe(true);
    expect(t.repos.outbox.due(T0 + 1, 10).map((m) => m.id)).toEqual([second!, third!]);
    expect(t.repos.outbox.pendingCount()).toBe(2);
  });

  test('an abandoned message stops holding back the others', () => {
    const [first, second] = enqueue(2);
    t.repos.outbox.markFailed(first!, T0, '400: message is too long', T0 + 60 * SECOND);

    expect(t.repos.outbox.abandon(first!, T0 + 1, '400: message is too long')).toBe(true);

    expect(t.repos.outbox.due(T0 + 1, 10).map((m) => m.id)).toEqual([second!]);
    expect(t.repos.outbox.pendingCount()).toBe(1);
  });

  test('a retry scheduled in the past is refused', () => {
    const [id] = enqueue(1);
    expect(() => t.repos.outbox.markFailed(id!, T0, 'x', T0 - 1)).toThrow('cannot be scheduled in the past');
  });
});

describe('exactly once across restarts', () => {
  test('a delivered message is never due again, after a restart or a late failure report', () => {
    const [first, second] = enqueue(2);
    t.repos.outbox.markDelivered(first!, T0 + 1);
    t.reopen();

    expect(t.repos.outbox.due(T0 + 10 * SECOND, 10).map((m) => m.id)).toEqual([second!]);
    expect(t.repos.outbox.markFailed(first!, T0 + 2, 'late', T0 + 3)).toBe(false);
    expect(t.repos.outbox.markDelivered(first!, T0 + 3)).toBe(false);
    expect(t.repos.outbox.due(T0 + 10 * SECOND, 10).map((m) => m.id)).toEqual([second!]);
  });

  test('an undelivered message is still due after a restart, with its retry schedule', () => {
    const [id] = enqueue(1);
    t.repos.outbox.markFailed(id!, T0, 'ECONNRESET', T0 + 5 * SECOND);
    t.reopen();

    expect(t.repos.outbox.due(T0 + 4 * SECOND, 10)).toEqual([]);
    expect(t.repos.outbox.due(T0 + 5 * SECOND, 10)).toMatchObject([{ id: id!, attempts: 1 }]);
  });

  test('ids are not reused after delivered messages are pruned', () => {
    const [first, second] = enqueue(2);
    t.repos.outbox.markDelivered(first!, T0);
    t.repos.outbox.markDelivered(second!, T0);

    expect(t.repos.outbox.pruneDelivered(T0 + 1)).toBe(2);
    const [next] = enqueue(1);

    expect(next).toBeGreaterThan(second!);
  });
});
