import { describe, expect, test } from 'bun:test';
import { createActor, SimulatedClock } from 'xstate';
import { connectionMachine, type ConnectionInput, type ConnectionMachineEvent, type SyncInput } from '../../src/actors/connection.machine.ts';
import { actionSpy, advance, controlledPromise } from './helpers.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * Hand-settled connect / sync and recorded side effects. Backoff 1 s doubling to 8 s, jitter 0.5
 * with random() = 0.5, so every wait is 0.75 × the un-jittered one.
 */
function harness(overrides: Partial<ConnectionInput> = {}) {
  const clock = new SimulatedClock();
  const connect = controlledPromise<void>();
  const sync = controlledPromise<void, SyncInput>();
  const spy = actionSpy(['onReady', 'onLost', 'onDegraded', 'dropConnection']);
  const machine = connectionMachine.provide({ actors: { connect: connect.logic, sync: sync.logic }, actions: spy.actions });
  const backoff = { initialMs: SECOND, maxMs: 8 * SECOND, jitter: 0.5 };
  const input: ConnectionInput = { staleAfterMs: MINUTE, backoff, random: () => 0.5, isMarketOpen: () => true, now: () => clock.now(), ...overrides };
  const actor = createActor(machine, { clock, input }).start();
  return {
    clock,
    connect,
    sync,
    spy,
    send: (event: ConnectionMachineEvent) => actor.send(event),
    state: () => actor.getSnapshot().value,
    context: () => actor.getSnapshot().context,
  };
}

async function readyHarness(overrides: Partial<ConnectionInput> = {}) {
  const h = harness(overrides);
  h.send({ type: 'Connect' });
  await h.connect.resolve();
  await h.sync.resolve();
  expect(h.state()).toEqual({ ready: 'watching' });
  return h;
}

describe('connecting', () => {
  test('Connect goes connecting → syncing → ready and reports ready once', async () => {
    const h = harness();
    expect(h.state()).toBe('disconnected');

    h.send({ type: 'Connect' });
    expect(h.state()).toBe('connecting');
    await advance(h.clock, 5 * SECOND);
    await h.connect.resolve();
    expect(h.state()).toBe('syncing');
    expect(h.sync.last().input).toEqual({ reason: 'connect', resubscribe: false });
    await advance(h.clock, 2 * SECOND);
    await h.sync.resolve();

    expect(h.state()).toEqual({ ready: 'watching' });
    expect(h.spy.of('onReady')).toEqual([{ reason: 'connect', attempts: 0 }]);
    expect(h.context()).toMatchObject({ attempt: 0, lastError: null, since: 7 * SECOND });
  });

  test('a failed connect backs off (jittered) and is retried; once ready, the next loss backs off from the start again', async () => {
    const h = harness();
    h.send({ type: 'Connect' });

    await h.connect.reject(new Error('ECONNREFUSED 127.0.0.1:4002'));
    expect(h.state()).toBe('backoff');
    expect(h.context()).toMatchObject({ attempt: 1, retryInMs: 750, lastError: 'connect failed: ECONNREFUSED 127.0.0.1:4002' });
    await advance(h.clock, 749);
    expect(h.connect.calls).toHaveLength(1);
    await advance(h.clock, 1);
    expect(h.connect.calls).toHaveLength(2);
    await h.connect.resolve();
    await h.sync.resolve();

    expect(h.spy.of('onReady')).toEqual([{ reason: 'connect', attempts: 1 }]);
    // Never connected, so nothing was lost: no "connection lost" alert for a failed attempt.
    expect(h.spy.of('onLost')).toEqual([]);

    h.send({ type: 'BrokerDisconnected', reason: '1100 connectivity lost' });

    expect(h.state()).toBe('backoff');
    expect(h.spy.names()).toEqual(['onReady', 'dropConnection', 'onLost']);
    expect(h.spy.of('onLost')).toEqual([{ reason: '1100 connectivity lost' }]);
    expect(h.context()).toMatchObject({ attempt: 1, retryInMs: 750 });
  });

  test('each failed attempt doubles the wait up to the maximum: min(max, initial × 2^n) × (1 − jitter × random)', async () => {
    const h = harness();
    h.send({ type: 'Connect' });
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      await h.connect.reject(new Error('ECONNREFUSED'));
      waits.push(h.context().retryInMs!);
      await advance(h.clock, waits[i]! - 1);
      expect(h.state()).toBe('backoff');
      await advance(h.clock, 1);
      expect(h.state()).toBe('connecting');
    }

    expect(waits).toEqual([750, 1500, 3000, 6000, 6000, 6000]);
  });

  test('a connect that never answers times out, drops the socket and is retried', async () => {
    const h = harness({ stepTimeoutMs: 30 * SECOND });
    h.send({ type: 'Connect' });

    await advance(h.clock, 30 * SECOND);

    expect(h.state()).toBe('backoff');
    expect(h.context().lastError).toBe('connect timed out');
    expect(h.spy.of('dropConnection')).toEqual([{ reason: 'connect timed out' }]);
  });
});

describe('losing the connection', () => {
  test('a failed sync counts as lost', async () => {
    const h = harness();
    h.send({ type: 'Connect' });
    await h.connect.resolve();

    await h.sync.reject(new Error('positions request timed out'));

    expect(h.state()).toBe('backoff');
    expect(h.spy.of('onLost')).toEqual([{ reason: 'sync failed: positions request timed out' }]);
  });

  test('Disconnect stops the retries until the next Connect, which starts from attempt 0', async () => {
    const h = harness();
    h.send({ type: 'Connect' });
    await h.connect.reject(new Error('ECONNREFUSED'));

    h.send({ type: 'Disconnect' });
    await advance(h.clock, 10 * MINUTE);

    expect(h.state()).toBe('disconnected');
    expect(h.connect.calls).toHaveLength(1);
    expect(h.spy.of('dropConnection')).toEqual([{ reason: 'disconnect requested' }]);
    h.send({ type: 'Connect' });
    expect(h.state()).toBe('connecting');
    expect(h.context().attempt).toBe(0);
  });

  test('the adapter reconnecting on its own during the backoff skips the wait and resyncs with resubscribe', async () => {
    const h = await readyHarness();
    h.send({ type: 'BrokerDisconnected', reason: 'socket closed' });

    h.send({ type: 'BrokerConnected' });

    expect(h.state()).toBe('syncing');
    expect(h.sync.last().input).toEqual({ reason: 'restored', resubscribe: true });
  });
});

describe('staleness watchdog', () => {
  test('no data for staleAfterMs while the market is open: the socket is dropped and reconnected', async () => {
    const h = await readyHarness();
    await advance(h.clock, 40 * SECOND);
    h.send({ type: 'DataReceived' });

    await advance(h.clock, MINUTE - 1);
    expect(h.state()).toEqual({ ready: 'watching' });
    await advance(h.clock, 1);

    expect(h.state()).toBe('backoff');
    expect(h.spy.of('dropConnection')).toEqual([{ reason: 'no market data for 60 s while the market is open' }]);
    expect(h.spy.of('onLost')).toHaveLength(1);
  });

  test('while the market is closed silence is normal; the watchdog re-arms and fires once it is open', async () => {
    const h = await readyHarness({ isMarketOpen: (now) => now >= 2.5 * MINUTE });

    await advance(h.clock, MINUTE);
    await advance(h.clock, MINUTE);
    expect(h.state()).toEqual({ ready: 'watching' });
    await advance(h.clock, MINUTE);

    expect(h.state()).toBe('backoff');
    expect(h.context().since).toBe(3 * MINUTE);
  });
});

describe('degraded and restored', () => {
  test.each([[true, '1101: data lost, resync and resubscribe'], [false, '1102: data kept, resync only']])('restored with dataLost=%p (%s), then ready again', async (dataLost) => {
    const h = await readyHarness();

    h.send({ type: 'BrokerDegraded', reason: '1100 connectivity between IB and TWS lost' });
    expect(h.state()).toBe('degraded');
    expect(h.spy.of('onDegraded')).toEqual([{ reason: '1100 connectivity between IB and TWS lost' }]);
    h.send({ type: 'BrokerRestored', dataLost });
    expect(h.state()).toBe('syncing');
    expect(h.sync.last().input).toEqual({ reason: 'restored', resubscribe: dataLost });
    await h.sync.resolve();

    expect(h.state()).toEqual({ ready: 'watching' });
    expect(h.context().degradedReason).toBeNull();
  });

  test('no watchdog while degraded: the venue already said data is impaired; a disconnect is still lost', async () => {
    const h = await readyHarness();
    h.send({ type: 'BrokerDegraded', reason: '2103 market data farm broken' });

    await advance(h.clock, 10 * MINUTE);
    expect(h.state()).toBe('degraded');
    expect(h.spy.of('dropConnection')).toEqual([]);
    h.send({ type: 'BrokerDisconnected', reason: 'socket closed' });

    expect(h.state()).toBe('backoff');
    expect(h.spy.of('onLost')).toEqual([{ reason: 'socket closed' }]);
  });

  test('a degradation reported during the sync lands in degraded, not ready', async () => {
    const h = harness();
    h.send({ type: 'Connect' });
    await h.connect.resolve();

    h.send({ type: 'BrokerDegraded', reason: '2103 market data farm broken' });
    await h.sync.resolve();

    expect(h.state()).toBe('degraded');
    expect(h.spy.of('onReady')).toEqual([]);
  });
});

describe('ReconcileRequested', () => {
  test('from ready: syncs again without resubscribing, then back to ready', async () => {
    const h = await readyHarness();

    h.send({ type: 'ReconcileRequested' });
    expect(h.sync.last().input).toEqual({ reason: 'reconcile', resubscribe: false });
    await h.sync.resolve();

    expect(h.state()).toEqual({ ready: 'watching' });
    expect(h.spy.of('onReady')).toEqual([{ reason: 'connect', attempts: 0 }, { reason: 'reconcile', attempts: 0 }]);
  });

  test('from degraded: syncs again; while disconnected: ignored', async () => {
    const h = await readyHarness();
    h.send({ type: 'BrokerDegraded', reason: '2103' });

    h.send({ type: 'ReconcileRequested' });
    expect(h.state()).toBe('syncing');
    h.send({ type: 'Disconnect' });
    h.send({ type: 'ReconcileRequested' });

    expect(h.state()).toBe('disconnected');
    expect(h.sync.calls).toHaveLength(2);
  });
});
