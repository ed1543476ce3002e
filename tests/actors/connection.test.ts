import { describe, expect, test } from 'bun:test';
import { createActor, SimulatedClock } from 'xstate';
import { connectionMachine, type ConnectionInput, type SyncInput } from '../../src/actors/connection.machine.ts';
import { actionSpy, advance, controlledPromise, flush } from './helpers.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** A connection actor with hand-settled connect/sync and recorded side effects; random() = 0.5. */
function harness(overrides: Partial<ConnectionInput> = {}) {
  const clock = new SimulatedClock();
  const connect = controlledPromise<void>();
  const sync = controlledPromise<void, SyncInput>();
  const spy = actionSpy(['onReady', 'onLost', 'onDegraded', 'dropConnection']);
  const machine = connectionMachine.provide({ actors: { connect: connect.logic, sync: sync.logic }, actions: spy.actions });
  const input: ConnectionInput = {
    staleAfterMs: MINUTE,
    backoff: { initialMs: SECOND, maxMs: 8 * SECOND, jitter: 0.5 },
    random: () => 0.5,
    isMarketOpen: () => true,
    now: () => clock.now(),
    ...overrides,
  };
  const actor = createActor(machine, { clock, input }).start();
  const h = {
    clock,
    connect,
    sync,
    spy,
    actor,
    state: () => actor.getSnapshot().value,
    context: () => actor.getSnapshot().context,
    async toReady() {
      actor.send({ type: 'Connect' });
      connect.last().resolve();
      await flush();
      sync.last().resolve();
      await flush();
      expect(h.state()).toEqual({ ready: 'watching' });
    },
    async failConnect(message = 'ECONNREFUSED') {
      connect.last().reject(new Error(message));
      await flush();
    },
  };
  return h;
}

describe('connecting', () => {
  test('Connect goes connecting → syncing → ready and reports ready once', async () => {
    const h = harness();
    expect(h.state()).toBe('disconnected');

    h.actor.send({ type: 'Connect' });
    expect(h.state()).toBe('connecting');
    await advance(h.clock, 5 * SECOND);
    h.connect.last().resolve();
    await flush();
    expect(h.state()).toBe('syncing');
    expect(h.sync.last().input).toEqual({ reason: 'connect', resubscribe: false });
    await advance(h.clock, 2 * SECOND);
    h.sync.last().resolve();
    await flush();

    expect(h.state()).toEqual({ ready: 'watching' });
    expect(h.spy.of('onReady')).toEqual([{ reason: 'connect', attempts: 0 }]);
    expect(h.context()).toMatchObject({ attempt: 0, lastError: null, since: 7 * SECOND });
  });

  test('a failed connect backs off (jittered), retries, and the retry succeeds', async () => {
    const h = harness();
    h.actor.send({ type: 'Connect' });

    await h.failConnect('ECONNREFUSED 127.0.0.1:4002');
    expect(h.state()).toBe('backoff');
    expect(h.context()).toMatchObject({ attempt: 1, retryInMs: 750, lastError: 'connect failed: ECONNREFUSED 127.0.0.1:4002' });
    await advance(h.clock, 749);
    expect(h.connect.calls).toHaveLength(1);
    await advance(h.clock, 1);
    expect(h.state()).toBe('connecting');
    expect(h.connect.calls).toHaveLength(2);
    h.connect.last().resolve();
    await flush();
    h.sync.last().resolve();
    await flush();

    expect(h.state()).toEqual({ ready: 'watching' });
    expect(h.spy.of('onReady')).toEqual([{ reason: 'connect', attempts: 1 }]);
    expect(h.context().attempt).toBe(0);
    // Never connected, so nothing was lost: no "connection lost" alert for a failed attempt.
    expect(h.spy.of('onLost')).toEqual([]);
  });

  test('each failed attempt doubles the wait until the maximum: min(max, initial × 2^n) × (1 − jitter × random)', async () => {
    const h = harness();
    h.actor.send({ type: 'Connect' });
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      await h.failConnect();
      const wait = h.context().retryInMs!;
      waits.push(wait);
      await advance(h.clock, wait - 1);
      expect(h.state()).toBe('backoff');
      await advance(h.clock, 1);
      expect(h.state()).toBe('connecting');
    }

    expect(waits).toEqual([750, 1500, 3000, 6000, 6000, 6000]);
  });

  test('a connect that never answers times out and is retried', async () => {
    const h = harness({ stepTimeoutMs: 30 * SECOND });
    h.actor.send({ type: 'Connect' });

    await advance(h.clock, 30 * SECOND);

    expect(h.state()).toBe('backoff');
    expect(h.context().lastError).toBe('connect timed out');
    expect(h.spy.of('dropConnection')).toEqual([{ reason: 'connect timed out' }]);
  });
});

describe('losing the connection', () => {
  test('a disconnect from ready drops the socket, alerts, and the backoff starts again from the initial delay', async () => {
    const h = harness();
    h.actor.send({ type: 'Connect' });
    await h.failConnect();
    await advance(h.clock, 750);
    await h.failConnect();
    await advance(h.clock, 1500);
    h.connect.last().resolve();
    await flush();
    h.sync.last().resolve();
    await flush();
    expect(h.state()).toEqual({ ready: 'watching' });

    h.actor.send({ type: 'BrokerDisconnected', reason: '1100 connectivity lost' });

    expect(h.state()).toBe('backoff');
    expect(h.spy.names()).toEqual(['onReady', 'dropConnection', 'onLost']);
    expect(h.spy.of('onLost')).toEqual([{ reason: '1100 connectivity lost' }]);
    expect(h.context()).toMatchObject({ attempt: 1, retryInMs: 750 });
  });

  test('a failed sync counts as lost', async () => {
    const h = harness();
    h.actor.send({ type: 'Connect' });
    h.connect.last().resolve();
    await flush();

    h.sync.last().reject(new Error('positions request timed out'));
    await flush();

    expect(h.state()).toBe('backoff');
    expect(h.spy.of('onLost')).toEqual([{ reason: 'sync failed: positions request timed out' }]);
  });

  test('Disconnect stops the retries until the next Connect, which starts from attempt 0', async () => {
    const h = harness();
    h.actor.send({ type: 'Connect' });
    await h.failConnect();
    await advance(h.clock, 750);
    await h.failConnect();
    expect(h.context().attempt).toBe(2);

    h.actor.send({ type: 'Disconnect' });
    await advance(h.clock, 10 * MINUTE);

    expect(h.state()).toBe('disconnected');
    expect(h.connect.calls).toHaveLength(2);
    expect(h.spy.of('dropConnection')).toEqual([{ reason: 'disconnect requested' }]);
    h.actor.send({ type: 'Connect' });
    expect(h.state()).toBe('connecting');
    expect(h.context().attempt).toBe(0);
  });

  test('the adapter reconnecting on its own during the backoff goes straight to a resync with resubscribe', async () => {
    const h = harness();
    await h.toReady();
    h.actor.send({ type: 'BrokerDisconnected', reason: 'socket closed' });

    h.actor.send({ type: 'BrokerConnected' });

    expect(h.state()).toBe('syncing');
    expect(h.sync.last().input).toEqual({ reason: 'restored', resubscribe: true });
  });
});

describe('staleness watchdog', () => {
  test('no data for staleAfterMs while the market is open: the socket is dropped and reconnected', async () => {
    const h = harness();
    await h.toReady();
    await advance(h.clock, 40 * SECOND);
    h.actor.send({ type: 'DataReceived' });

    await advance(h.clock, MINUTE - 1);
    expect(h.state()).toEqual({ ready: 'watching' });
    await advance(h.clock, 1);

    expect(h.state()).toBe('backoff');
    expect(h.spy.of('dropConnection')).toEqual([{ reason: 'no market data for 60 s while the market is open' }]);
    expect(h.spy.of('onLost')).toHaveLength(1);
  });

  test('while the market is closed silence is normal; the watchdog re-arms and fires once it is open', async () => {
    const opensAt = 2.5 * MINUTE;
    const h = harness({ isMarketOpen: (now) => now >= opensAt });
    await h.toReady();

    await advance(h.clock, MINUTE);
    await advance(h.clock, MINUTE);
    expect(h.state()).toEqual({ ready: 'watching' });
    await advance(h.clock, MINUTE);

    expect(h.state()).toBe('backoff');
    expect(h.context().since).toBe(3 * MINUTE);
  });
});

describe('degraded and restored', () => {
  test('1101 (data lost) resyncs and resubscribes', async () => {
    const h = harness();
    await h.toReady();

    h.actor.send({ type: 'BrokerDegraded', reason: '1100 connectivity between IB and TWS lost' });
    expect(h.state()).toBe('degraded');
    expect(h.spy.of('onDegraded')).toEqual([{ reason: '1100 connectivity between IB and TWS lost' }]);
    h.actor.send({ type: 'BrokerRestored', dataLost: true });

    expect(h.state()).toBe('syncing');
    expect(h.sync.last().input).toEqual({ reason: 'restored', resubscribe: true });
    h.sync.last().resolve();
    await flush();
    expect(h.state()).toEqual({ ready: 'watching' });
    expect(h.context().degradedReason).toBeNull();
  });

  test('1102 (data maintained) resyncs without resubscribing', async () => {
    const h = harness();
    await h.toReady();
    h.actor.send({ type: 'BrokerDegraded', reason: '1100' });

    h.actor.send({ type: 'BrokerRestored', dataLost: false });

    expect(h.sync.last().input).toEqual({ reason: 'restored', resubscribe: false });
  });

  test('no watchdog while degraded: the venue already said data is impaired', async () => {
    const h = harness();
    await h.toReady();
    h.actor.send({ type: 'BrokerDegraded', reason: '2103 market data farm broken' });

    await advance(h.clock, 10 * MINUTE);

    expect(h.state()).toBe('degraded');
    expect(h.spy.of('dropConnection')).toEqual([]);
  });

  test('a degradation reported during the sync lands in degraded, not ready', async () => {
    const h = harness();
    h.actor.send({ type: 'Connect' });
    h.connect.last().resolve();
    await flush();

    h.actor.send({ type: 'BrokerDegraded', reason: '2103 market data farm broken' });
    h.sync.last().resolve();
    await flush();

    expect(h.state()).toBe('degraded');
    expect(h.spy.of('onReady')).toEqual([]);
  });

  test('a disconnect while degraded is lost', async () => {
    const h = harness();
    await h.toReady();
    h.actor.send({ type: 'BrokerDegraded', reason: '1100' });

    h.actor.send({ type: 'BrokerDisconnected', reason: 'socket closed' });

    expect(h.state()).toBe('backoff');
    expect(h.spy.of('onLost')).toEqual([{ reason: 'socket closed' }]);
  });
});

describe('ReconcileRequested', () => {
  test('from ready: syncs again without resubscribing, then back to ready', async () => {
    const h = harness();
    await h.toReady();

    h.actor.send({ type: 'ReconcileRequested' });
    expect(h.state()).toBe('syncing');
    expect(h.sync.last().input).toEqual({ reason: 'reconcile', resubscribe: false });
    h.sync.last().resolve();
    await flush();

    expect(h.state()).toEqual({ ready: 'watching' });
    expect(h.spy.of('onReady')).toEqual([
      { reason: 'connect', attempts: 0 },
      { reason: 'reconcile', attempts: 0 },
    ]);
  });

  test('from degraded: syncs again', async () => {
    const h = harness();
    await h.toReady();
    h.actor.send({ type: 'BrokerDegraded', reason: '2103' });

    h.actor.send({ type: 'ReconcileRequested' });

    expect(h.state()).toBe('syncing');
    expect(h.sync.calls).toHaveLength(2);
  });

  test('is ignored while disconnected', () => {
    const h = harness();

    h.actor.send({ type: 'ReconcileRequested' });

    expect(h.state()).toBe('disconnected');
    expect(h.sync.calls).toHaveLength(0);
  });
});
