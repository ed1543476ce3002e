import { describe, expect, test } from 'bun:test';
import { createActor } from 'xstate';
import { CLEAR_BREAKER, circuitBreakerMachine, type BreakerContext, type BreakerEvent, type HaltReason } from '../../src/actors/circuit-breaker.machine.ts';
import { actionSpy } from './helpers.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Session start (17:00 Chicago) and a time inside that session. */
const SESSION = Date.UTC(2026, 0, 5, 23, 0);
const T0 = SESSION + 15.5 * 60 * MINUTE;
const NEXT_SESSION = SESSION + DAY;

function breaker(restore?: BreakerContext) {
  const spy = actionSpy(['onTripped', 'onCooldown', 'onCleared']);
  const actor = createActor(circuitBreakerMachine.provide({ actions: spy.actions }), { input: restore ? { restore } : {} }).start();
  return {
    spy,
    actor,
    send: (event: BreakerEvent) => actor.send(event),
    state: () => actor.getSnapshot().value,
    context: () => actor.getSnapshot().context,
  };
}

const trip = (reason: HaltReason, time = T0, sessionStart = SESSION, detail?: string): BreakerEvent => ({ type: 'BreakerTripped', reason, time, sessionStart, ...(detail ? { detail } : {}) });
const tick = (time: number, sessionStart = SESSION): BreakerEvent => ({ type: 'Tick', time, sessionStart });

describe('cooldown', () => {
  test('CooldownStarted moves closed → cooldown and reports the end time', () => {
    const b = breaker();
    expect(b.state()).toBe('closed');

    b.send({ type: 'CooldownStarted', until: T0 + 30 * MINUTE, time: T0 });

    expect(b.state()).toBe('cooldown');
    expect(b.context()).toMatchObject({ until: T0 + 30 * MINUTE, since: T0, reason: null });
    expect(b.spy.of('onCooldown')).toEqual([expect.objectContaining({ until: T0 + 30 * MINUTE, time: T0 })]);
  });

  test('a Tick before the end keeps the cooldown; the Tick at the end closes it', () => {
    const b = breaker();
    b.send({ type: 'CooldownStarted', until: T0 + 30 * MINUTE, time: T0 });

    b.send(tick(T0 + 30 * MINUTE - 1));
    expect(b.state()).toBe('cooldown');
    expect(b.spy.of('onCleared')).toEqual([]);
    b.send(tick(T0 + 30 * MINUTE));

    expect(b.state()).toBe('closed');
    expect(b.context()).toEqual(CLEAR_BREAKER);
    expect(b.spy.of('onCleared')).toEqual([{ time: T0 + 30 * MINUTE, cause: 'cooldown_end' }]);
  });

  test('the first Tick after the end closes it when no bar fell exactly on the end', () => {
    const b = breaker();
    b.send({ type: 'CooldownStarted', until: T0 + 30 * MINUTE, time: T0 });

    b.send(tick(T0 + 35 * MINUTE));

    expect(b.state()).toBe('closed');
  });

  test('a new CooldownStarted during a cooldown moves the end', () => {
    const b = breaker();
    b.send({ type: 'CooldownStarted', until: T0 + 30 * MINUTE, time: T0 });

    b.send({ type: 'CooldownStarted', until: T0 + 50 * MINUTE, time: T0 + 20 * MINUTE });
    b.send(tick(T0 + 30 * MINUTE));

    expect(b.state()).toBe('cooldown');
    expect(b.context().until).toBe(T0 + 50 * MINUTE);
  });
});

describe('tripping', () => {
  test('a trip from closed halts with its reason and reports it', () => {
    const b = breaker();

    b.send(trip('daily_loss', T0, SESSION, 'loss $512 ≥ limit $500'));

    expect(b.state()).toBe('halted');
    expect(b.context()).toEqual({ reason: 'daily_loss', detail: 'loss $512 ≥ limit $500', until: null, session: SESSION, since: T0 });
    expect(b.spy.of('onTripped')).toEqual([expect.objectContaining({ reason: 'daily_loss', time: T0, detail: 'loss $512 ≥ limit $500' })]);
  });

  test('a trip during a cooldown halts and drops the cooldown end', () => {
    const b = breaker();
    b.send({ type: 'CooldownStarted', until: T0 + 30 * MINUTE, time: T0 });

    b.send(trip('drawdown', T0 + MINUTE));
    b.send(tick(T0 + 31 * MINUTE));

    expect(b.state()).toBe('halted');
    expect(b.context()).toMatchObject({ reason: 'drawdown', until: null });
  });

  test('a second trip while halted updates the reason and is reported', () => {
    const b = breaker();
    b.send(trip('daily_loss', T0));

    b.send(trip('drawdown', T0 + MINUTE, SESSION, 'drawdown 12%'));

    expect(b.state()).toBe('halted');
    expect(b.context()).toMatchObject({ reason: 'drawdown', detail: 'drawdown 12%', since: T0 + MINUTE });
    expect(b.spy.of('onTripped').map((p) => (p as { reason: string }).reason)).toEqual(['daily_loss', 'drawdown']);
  });

  test('a manual halt on top of a daily-loss halt makes it need a reset', () => {
    const b = breaker();
    b.send(trip('daily_loss', T0));

    b.send(trip('manual', T0 + MINUTE));
    b.send(tick(NEXT_SESSION + MINUTE, NEXT_SESSION));

    expect(b.state()).toBe('halted');
    expect(b.context().reason).toBe('manual');
  });

  test('a daily-loss trip after a supervisor halt does not make that halt clear at the next session', () => {
    const b = breaker();
    b.send(trip('supervisor', T0, SESSION, 'position actor restarted 5 times in 60 s'));

    b.send(trip('daily_loss', T0 + MINUTE));
    b.send(tick(NEXT_SESSION + MINUTE, NEXT_SESSION));

    expect(b.state()).toBe('halted');
    expect(b.context()).toMatchObject({ reason: 'supervisor', detail: 'position actor restarted 5 times in 60 s' });
    // Not reported either: the service persists trips, and a restart restores the latest one.
    expect(b.spy.of('onTripped')).toHaveLength(1);
  });
});

describe('clearing a halt', () => {
  for (const reason of ['daily_loss', 'drawdown'] as const) {
    test(`a ${reason} halt holds for the rest of the session and clears on the first Tick of the next`, () => {
      const b = breaker();
      b.send(trip(reason, T0));

      b.send(tick(T0 + 60 * MINUTE));
      b.send(tick(NEXT_SESSION - 1, SESSION));
      expect(b.state()).toBe('halted');
      b.send(tick(NEXT_SESSION + MINUTE, NEXT_SESSION));

      expect(b.state()).toBe('closed');
      expect(b.context()).toEqual(CLEAR_BREAKER);
      expect(b.spy.of('onCleared')).toEqual([{ time: NEXT_SESSION + MINUTE, cause: 'session' }]);
    });
  }

  for (const reason of ['manual', 'supervisor'] as const) {
    test(`a ${reason} halt survives a new session and clears only on Reset`, () => {
      const b = breaker();
      b.send(trip(reason, T0));

      b.send(tick(NEXT_SESSION + MINUTE, NEXT_SESSION));
      b.send(tick(NEXT_SESSION + DAY, NEXT_SESSION + DAY));
      expect(b.state()).toBe('halted');
      b.send({ type: 'Reset', time: NEXT_SESSION + DAY + MINUTE, source: 'telegram:42' });

      expect(b.state()).toBe('closed');
      expect(b.spy.of('onCleared')).toEqual([{ time: NEXT_SESSION + DAY + MINUTE, cause: 'reset', source: 'telegram:42' }]);
    });
  }

  test('Reset ends a cooldown early', () => {
    const b = breaker();
    b.send({ type: 'CooldownStarted', until: T0 + 30 * MINUTE, time: T0 });

    b.send({ type: 'Reset', time: T0 + MINUTE, source: 'web' });

    expect(b.state()).toBe('closed');
    expect(b.context()).toEqual(CLEAR_BREAKER);
    expect(b.spy.of('onCleared')).toEqual([{ time: T0 + MINUTE, cause: 'reset', source: 'web' }]);
  });

  test('Reset while closed does nothing', () => {
    const b = breaker();

    b.send({ type: 'Reset', time: T0, source: 'web' });

    expect(b.state()).toBe('closed');
    expect(b.spy.calls).toEqual([]);
  });
});

describe('restoring persisted state', () => {
  test('boots into halted and keeps the halt until the next session', () => {
    const b = breaker({ reason: 'daily_loss', detail: 'loss $512', until: null, session: SESSION, since: T0 });

    expect(b.state()).toBe('halted');
    b.send(tick(T0 + MINUTE));
    expect(b.state()).toBe('halted');
    b.send(tick(NEXT_SESSION, NEXT_SESSION));
    expect(b.state()).toBe('closed');
  });

  test('boots into cooldown and ends it at the persisted time', () => {
    const b = breaker({ reason: null, detail: null, until: T0 + 30 * MINUTE, session: null, since: T0 });

    expect(b.state()).toBe('cooldown');
    b.send(tick(T0 + 29 * MINUTE));
    expect(b.state()).toBe('cooldown');
    b.send(tick(T0 + 30 * MINUTE));
    expect(b.state()).toBe('closed');
  });

  test('booting restores without reporting a new trip', () => {
    const b = breaker({ reason: 'manual', detail: null, until: null, session: SESSION, since: T0 });

    expect(b.state()).toBe('halted');
    expect(b.spy.calls).toEqual([]);
  });
});
