import { describe, expect, test } from 'bun:test';
import { createActor } from 'xstate';
import { CLEAR_BREAKER, circuitBreakerMachine, type BreakerEvent, type BreakerInput } from '../../src/actors/circuit-breaker.machine.ts';
import { nextSessionStart } from '../../src/domain/session.ts';
import { TradingEngine } from '../../src/engine/engine.ts';
import type { Halt, HaltReason, RiskChange } from '../../src/engine/risk-state.ts';
import type { EngineSettings } from '../../src/engine/settings.ts';
import { settings, T0 } from '../../src/testing/builders.ts';
import { actionSpy } from './helpers.ts';

const MINUTE = 60_000;
/** The CME session T0 lies in (it opened 2026-01-05 23:00 UTC) and the next one. */
const SESSION = Date.UTC(2026, 0, 5, 23, 0);
const NEXT_SESSION = nextSessionStart(T0);

/** A breaker with recorded side effects, booted from the engine's restored state when given. */
function breaker(restore?: BreakerInput['restore']) {
  const spy = actionSpy(['onTripped', 'onCooldown', 'onCleared', 'requestReset']);
  const actor = createActor(circuitBreakerMachine.provide({ actions: spy.actions }), { input: restore ? { restore } : {} }).start();
  return {
    spy,
    send: (event: BreakerEvent) => actor.send(event),
    state: () => actor.getSnapshot().value,
    context: () => actor.getSnapshot().context,
  };
}

const halt = (reason: HaltReason, since = T0, detail = `${reason} detail`): Halt => ({ reason, since, session: SESSION, detail });
const halted = (reason: HaltReason, since = T0, detail?: string): RiskChange => ({ type: 'Halted', halt: halt(reason, since, detail) });
const cleared = (reason: HaltReason, time: number, cause: 'session' | 'reset' | 'store_ok'): RiskChange => ({ type: 'HaltCleared', reason, time, cause });
const cooling = (until: number, time = T0): RiskChange => ({ type: 'CooldownStarted', until, time });
const cooled = (time: number): RiskChange => ({ type: 'CooldownEnded', time });

describe('projecting a cooldown', () => {
  test('when a CooldownStarted arrives while closed, then the breaker is in cooldown until that time and reports it', () => {
    const b = breaker();
    expect(b.state()).toBe('closed');

    b.send(cooling(T0 + 30 * MINUTE));

    expect(b.state()).toBe('cooldown');
    expect(b.context()).toEqual({ ...CLEAR_BREAKER, until: T0 + 30 * MINUTE });
    expect(b.spy.of('onCooldown')).toEqual([expect.objectContaining({ until: T0 + 30 * MINUTE, time: T0 })]);
  });

  test('when the engine announces CooldownEnded, then the breaker closes and reports the end', () => {
    const b = breaker();
    b.send(cooling(T0 + 30 * MINUTE));

    b.send(cooled(T0 + 31 * MINUTE));

    expect(b.state()).toBe('closed');
    expect(b.context()).toEqual(CLEAR_BREAKER);
    expect(b.spy.of('onCleared')).toEqual([{ time: T0 + 31 * MINUTE, cause: 'cooldown_end', reason: null }]);
  });

  test('when no CooldownEnded arrives, then the breaker stays in cooldown past its end: it keeps no clock of its own', () => {
    const b = breaker();
    b.send(cooling(T0 + 30 * MINUTE));

    b.send({ type: 'SessionStarted', sessionStart: NEXT_SESSION, time: NEXT_SESSION });

    expect(b.state()).toBe('cooldown');
    expect(b.spy.of('onCleared')).toEqual([]);
  });

  test('when a new CooldownStarted arrives during a cooldown, then the end moves', () => {
    const b = breaker();
    b.send(cooling(T0 + 30 * MINUTE));

    b.send(cooling(T0 + 50 * MINUTE, T0 + 20 * MINUTE));

    expect(b.state()).toBe('cooldown');
    expect(b.context().until).toBe(T0 + 50 * MINUTE);
  });
});

describe('projecting a halt', () => {
  test('when Halted arrives while closed, then the breaker is halted with the reason, detail, time and session, and reports it', () => {
    const b = breaker();

    b.send(halted('daily_loss', T0, 'loss $512 ≥ limit $500'));

    expect(b.state()).toBe('halted');
    expect(b.context()).toEqual({ reason: 'daily_loss', detail: 'loss $512 ≥ limit $500', until: null, session: SESSION, since: T0 });
    expect(b.spy.of('onTripped')).toEqual([expect.objectContaining({ halt: halt('daily_loss', T0, 'loss $512 ≥ limit $500') })]);
  });

  test('when a second Halted arrives while halted, then the breaker shows the new halt and reports it', () => {
    const b = breaker();
    b.send(halted('daily_loss'));

    b.send(halted('drawdown', T0 + MINUTE, 'drawdown 12%'));

    expect(b.state()).toBe('halted');
    expect(b.context()).toMatchObject({ reason: 'drawdown', detail: 'drawdown 12%', since: T0 + MINUTE });
    expect(b.spy.of('onTripped').map((p) => (p as { halt: Halt }).halt.reason)).toEqual(['daily_loss', 'drawdown']);
  });

  test('when HaltCleared arrives, then the breaker closes and reports the cause and the reason it was halted for', () => {
    const b = breaker();
    b.send(halted('daily_loss'));

    b.send(cleared('daily_loss', NEXT_SESSION + MINUTE, 'session'));

    expect(b.state()).toBe('closed');
    expect(b.context()).toEqual(CLEAR_BREAKER);
    expect(b.spy.of('onCleared')).toEqual([{ time: NEXT_SESSION + MINUTE, cause: 'session', reason: 'daily_loss' }]);
  });

  test('when a halt begins during a cooldown and clears before it ends, then the breaker returns to the cooldown', () => {
    const b = breaker();
    b.send(cooling(T0 + 30 * MINUTE));

    b.send(halted('store', T0 + MINUTE));
    expect(b.state()).toBe('halted');
    b.send(cleared('store', T0 + 2 * MINUTE, 'store_ok'));

    expect(b.state()).toBe('cooldown');
    expect(b.context()).toEqual({ ...CLEAR_BREAKER, until: T0 + 30 * MINUTE });
  });

  test('when the cooldown ends while halted, then the breaker stays halted and closes when the halt clears', () => {
    const b = breaker();
    b.send(cooling(T0 + 30 * MINUTE));
    b.send(halted('drawdown', T0 + MINUTE));

    b.send(cooled(T0 + 30 * MINUTE));
    expect(b.state()).toBe('halted');
    expect(b.context().until).toBeNull();
    b.send(cleared('drawdown', T0 + 40 * MINUTE, 'reset'));

    expect(b.state()).toBe('closed');
    expect(b.spy.of('onCleared')).toEqual([{ time: T0 + 40 * MINUTE, cause: 'reset', reason: 'drawdown' }]);
  });

  test('when a HaltCleared arrives while not halted, then nothing happens', () => {
    const b = breaker();

    b.send(cleared('manual', T0, 'reset'));

    expect(b.state()).toBe('closed');
    expect(b.spy.calls).toEqual([]);
  });
});

describe('an operator reset', () => {
  test('when Reset arrives, then the engine is asked to reset and the breaker waits for its answer', () => {
    const b = breaker();
    b.send(halted('manual'));

    b.send({ type: 'Reset', time: T0 + MINUTE, source: 'telegram:42' });

    expect(b.spy.of('requestReset')).toEqual([expect.objectContaining({ time: T0 + MINUTE, source: 'telegram:42' })]);
    expect(b.state()).toBe('halted');
    expect(b.spy.of('onCleared')).toEqual([]);
  });

  test('when Reset arrives while closed, then it is still forwarded and nothing is reported', () => {
    const b = breaker();

    b.send({ type: 'Reset', time: T0, source: 'web' });

    expect(b.state()).toBe('closed');
    expect(b.spy.names()).toEqual(['requestReset']);
  });
});

describe('booting from the engine’s restored state', () => {
  test('when the engine restored a halt, then the breaker boots halted with it, reporting nothing', () => {
    const b = breaker({ halt: halt('manual', T0, 'operator'), pauseUntil: 0 });

    expect(b.state()).toBe('halted');
    expect(b.context()).toEqual({ reason: 'manual', detail: 'operator', until: null, session: SESSION, since: T0 });
    expect(b.spy.calls).toEqual([]);
  });

  test('when the engine restored a loss-streak pause, then the breaker boots into cooldown until it ends', () => {
    const b = breaker({ halt: null, pauseUntil: T0 + 30 * MINUTE });

    expect(b.state()).toBe('cooldown');
    expect(b.context().until).toBe(T0 + 30 * MINUTE);
    b.send(cooled(T0 + 30 * MINUTE));
    expect(b.state()).toBe('closed');
  });

  test('when the engine restored both, then the breaker boots halted and a cleared halt leaves the cooldown', () => {
    const b = breaker({ halt: halt('daily_loss'), pauseUntil: T0 + 30 * MINUTE });

    expect(b.state()).toBe('halted');
    b.send(cleared('daily_loss', T0 + MINUTE, 'reset'));

    expect(b.state()).toBe('cooldown');
  });

  test('when the engine restored nothing, then the breaker boots closed', () => {
    expect(breaker({ halt: null, pauseUntil: 0 }).state()).toBe('closed');
  });
});

/**
 * The breaker wired to a real engine as the service wires it: every drained change is sent, and
 * Reset is forwarded to the engine. What the breaker shows is then what the engine enforces.
 */
function projected(overrides: Partial<EngineSettings> = {}) {
  const engine = new TradingEngine(settings(overrides));
  const spy = actionSpy(['onTripped', 'onCooldown', 'onCleared']);
  let pump = () => {};
  const actor = createActor(
    circuitBreakerMachine.provide({
      actions: {
        ...spy.actions,
        requestReset: (_, p) => {
          engine.reset(p.time);
          queueMicrotask(() => pump());
        },
      },
    }),
    { input: {} },
  ).start();
  pump = () => {
    for (const c of engine.drainChanges()) actor.send(c);
  };
  return { engine, spy, pump, send: (e: BreakerEvent) => actor.send(e), state: () => actor.getSnapshot().value, context: () => actor.getSnapshot().context };
}

describe('the breaker shows what the engine enforces', () => {
  test('when a manual halt follows a daily-loss halt, then the next session does not close the breaker', () => {
    const p = projected();
    p.engine.beginBar(T0);
    p.engine.trip('daily_loss', T0, 'loss');
    p.engine.trip('manual', T0 + MINUTE, 'operator');
    p.pump();

    p.engine.beginBar(NEXT_SESSION + MINUTE);
    p.pump();

    expect(p.state()).toBe('halted');
    expect(p.context().reason).toBe('manual');
    expect(p.engine.entryBlock(NEXT_SESSION + MINUTE)).toBe('manual');
  });

  test('when a daily-loss halt reaches the next session, then the engine clears it and the breaker closes', () => {
    const p = projected();
    p.engine.beginBar(T0);
    p.engine.trip('daily_loss', T0, 'loss');
    p.pump();
    expect(p.state()).toBe('halted');

    p.engine.beginBar(NEXT_SESSION + MINUTE);
    p.pump();

    expect(p.state()).toBe('closed');
    expect(p.engine.entryBlock(NEXT_SESSION + MINUTE)).toBeNull();
    expect(p.spy.of('onCleared')).toEqual([{ time: NEXT_SESSION + MINUTE, cause: 'session', reason: 'daily_loss' }]);
  });

  test('when the operator resets a supervisor halt, then the engine clears it and the breaker closes on its announcement', async () => {
    const p = projected();
    p.engine.trip('supervisor', T0, 'position actor restarted 5 times in 60 s');
    p.pump();

    p.send({ type: 'Reset', time: T0 + MINUTE, source: 'web' });
    await Promise.resolve();

    expect(p.engine.state.halt).toBeNull();
    expect(p.state()).toBe('closed');
    expect(p.spy.of('onCleared')).toEqual([{ time: T0 + MINUTE, cause: 'reset', reason: 'supervisor' }]);
  });
});
