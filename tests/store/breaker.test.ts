import { describe, expect, test } from 'bun:test';
import { T0 } from './builders.ts';
import { useTempStore } from './temp-store.ts';

const t = useTempStore();
const HOUR = 3_600_000;

describe('breaker events', () => {
  test('latest() after a restart is the last appended, so a halt survives', () => {
    t.repos.breaker.append({ time: T0, kind: 'cooldown', reason: 'consecutive_losses', detail: '3 losses in a row', until: T0 + HOUR / 2 });
    t.repos.breaker.append({ time: T0 + HOUR, kind: 'trip', reason: 'daily_loss', detail: 'session P&L -$510.00 ≤ -$500.00', until: T0 + 8 * HOUR });
    t.reopen();

    expect(t.repos.breaker.latest()).toEqual({
      id: 2,
      time: T0 + HOUR,
      kind: 'trip',
      reason: 'daily_loss',
      detail: 'session P&L -$510.00 ≤ -$500.00',
      until: T0 + 8 * HOUR,
    });
  });

  test('recent is newest first; detail and until default to null', () => {
    t.repos.breaker.append({ time: T0, kind: 'trip', reason: 'manual' });
    t.repos.breaker.append({ time: T0 + 1, kind: 'reset', reason: null });
    t.repos.breaker.append({ time: T0 + 2, kind: 'trip', reason: 'supervisor' });

    const recent = t.repos.breaker.recent(2);

    expect(recent.map((e) => e.reason)).toEqual(['supervisor', null]);
    expect(recent[1]).toMatchObject({ kind: 'reset', detail: null, until: null });
  });

  test('no events: latest is null', () => {
    expect(t.repos.breaker.latest()).toBeNull();
  });

  test('an unknown kind or reason is refused', () => {
    const bad = { time: T0, kind: 'tripped', reason: null } as unknown as Parameters<typeof t.repos.breaker.append>[0];
    expect(() => t.repos.breaker.append(bad)).toThrow('CHECK constraint failed');
    const badReason = { time: T0, kind: 'trip', reason: 'bored' } as unknown as Parameters<typeof t.repos.breaker.append>[0];
    expect(() => t.repos.breaker.append(badReason)).toThrow('CHECK constraint failed');
    expect(t.repos.breaker.recent(10)).toEqual([]);
  });
});
