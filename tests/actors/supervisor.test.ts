import { describe, expect, test } from 'bun:test';
import { createActor, setup, SimulatedClock, type AnyActorRef } from 'xstate';
import { supervisorMachine, type ChildSpec } from '../../src/actors/supervisor.machine.ts';
import { actionSpy, flush } from './helpers.ts';

const WINDOW_MS = 60_000;
const MAX_RESTARTS = 5;

/** A child that counts its starts and throws from an action when told `Crash`. */
function crashable() {
  const starts: unknown[] = [];
  const logic = setup({ types: { input: {} as { generation: number }, events: {} as { type: 'Crash' } | { type: 'Ping' } } }).createMachine({
    context: ({ input }) => ({ generation: input.generation }),
    entry: ({ context }) => void starts.push(context.generation),
    initial: 'up',
    states: { up: { on: { Ping: {} } } },
    on: {
      Crash: {
        actions: () => {
          throw new Error('boom');
        },
      },
    },
  });
  let generation = 0;
  const spec: ChildSpec = { logic, input: () => ({ generation: ++generation }) };
  return { spec, starts };
}

/** A supervisor over a crashable `worker` and a quiet `bystander`, on a simulated clock. */
function harness() {
  const clock = new SimulatedClock();
  const worker = crashable();
  const bystander = crashable();
  const spy = actionSpy(['onRestart', 'escalate']);
  const errors: unknown[] = [];
  const root = createActor(supervisorMachine.provide({ actions: spy.actions }), {
    clock,
    input: { children: { worker: worker.spec, bystander: bystander.spec }, maxRestarts: MAX_RESTARTS, windowMs: WINDOW_MS, now: () => clock.now() },
  });
  root.subscribe({ error: (e) => void errors.push(e) });
  root.start();
  return {
    clock,
    root,
    spy,
    errors,
    worker,
    bystander,
    get: (id: string): AnyActorRef | undefined => root.system.get(id),
    health: (id: string) => root.getSnapshot().context.health[id]!,
    /** Makes the worker throw and lets the supervisor react. */
    async crash(): Promise<void> {
      root.system.get('worker')!.send({ type: 'Crash' });
      await flush();
    },
  };
}

describe('spawning', () => {
  test('when started, then every child runs under its systemId with the input built for it', () => {
    const h = harness();

    expect(h.get('worker')?.getSnapshot().status).toBe('active');
    expect(h.get('bystander')?.getSnapshot().status).toBe('active');
    expect(h.worker.starts).toEqual([1]);
    expect(h.health('worker')).toEqual({ restarts: [], failed: false, lastError: null });
  });
});

describe('one-for-one restart', () => {
  test('when a child throws, then it is restarted: its entry runs again with fresh input', async () => {
    const h = harness();
    const before = h.get('worker');

    await h.crash();

    const after = h.get('worker');
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(after!.getSnapshot().status).toBe('active');
    expect(h.worker.starts).toEqual([1, 2]);
    expect(h.spy.of('onRestart')).toEqual([{ id: 'worker', error: 'boom', restarts: 1 }]);
    expect(h.health('worker')).toMatchObject({ failed: false, lastError: 'boom', restarts: [h.clock.now()] });
  });

  test('when one child fails, then its siblings keep running untouched', async () => {
    const h = harness();
    const sibling = h.get('bystander');

    await h.crash();

    expect(h.get('bystander')).toBe(sibling!);
    expect(h.bystander.starts).toEqual([1]);
  });

  test('when a restarted child receives an event by systemId, then the new instance gets it', async () => {
    const h = harness();
    await h.crash();

    await h.crash();

    expect(h.worker.starts).toEqual([1, 2, 3]);
    expect(h.health('worker').restarts).toHaveLength(2);
  });
});

describe('restart intensity', () => {
  test(`when a child fails a ${MAX_RESTARTS + 1}th time within the window, then the supervisor escalates and leaves it stopped`, async () => {
    const h = harness();

    for (let i = 0; i < MAX_RESTARTS; i++) {
      await h.crash();
      h.clock.increment(1_000);
    }
    expect(h.spy.of('escalate')).toEqual([]);
    expect(h.worker.starts).toHaveLength(MAX_RESTARTS + 1);
    await h.crash();

    expect(h.spy.of('escalate')).toEqual([{ id: 'worker', error: 'boom' }]);
    expect(h.spy.of('onRestart')).toHaveLength(MAX_RESTARTS);
    expect(h.get('worker')).toBeUndefined();
    expect(h.worker.starts).toHaveLength(MAX_RESTARTS + 1);
    expect(h.health('worker')).toMatchObject({ failed: true, lastError: 'boom' });
    expect(h.get('bystander')?.getSnapshot().status).toBe('active');
  });

  test('when the failures are spread wider than the window, then the child is always restarted', async () => {
    const h = harness();

    for (let i = 0; i < 4 * MAX_RESTARTS; i++) {
      await h.crash();
      h.clock.increment(WINDOW_MS / 4);
    }

    expect(h.spy.of('escalate')).toEqual([]);
    expect(h.spy.of('onRestart')).toHaveLength(4 * MAX_RESTARTS);
    expect(h.health('worker').failed).toBe(false);
    expect(h.health('worker').restarts.length).toBeLessThan(MAX_RESTARTS);
    expect(h.get('worker')?.getSnapshot().status).toBe('active');
  });

  test('when a child fails as it starts, then it is restarted until the limit and escalated, not looped on forever', async () => {
    const clock = new SimulatedClock();
    let starts = 0;
    const broken = setup({}).createMachine({
      entry: () => {
        starts++;
        throw new Error('bad input');
      },
    });
    const spy = actionSpy(['onRestart', 'escalate']);
    const root = createActor(supervisorMachine.provide({ actions: spy.actions }), {
      clock,
      input: { children: { broken: { logic: broken } }, maxRestarts: MAX_RESTARTS, windowMs: WINDOW_MS, now: () => clock.now() },
    });
    root.subscribe({ error: () => {} });

    root.start();
    await flush();

    expect(starts).toBe(MAX_RESTARTS + 1);
    expect(spy.of('escalate')).toEqual([{ id: 'broken', error: 'bad input' }]);
    expect(root.getSnapshot().context.health.broken!.failed).toBe(true);
  });

  test('when the window has passed since a burst of failures, then the count starts again', async () => {
    const h = harness();
    for (let i = 0; i < MAX_RESTARTS; i++) await h.crash();

    h.clock.increment(WINDOW_MS);
    await h.crash();

    expect(h.spy.of('escalate')).toEqual([]);
    expect(h.health('worker').restarts).toEqual([h.clock.now()]);
  });
});

describe('the root', () => {
  test('when children fail, restart and escalate, then the root itself never errors', async () => {
    const h = harness();

    for (let i = 0; i <= MAX_RESTARTS; i++) await h.crash();
    h.get('bystander')!.send({ type: 'Crash' });
    await flush();

    expect(h.errors).toEqual([]);
    expect(h.root.getSnapshot().status).toBe('active');
    expect(h.root.getSnapshot().value).toBe('running');
  });

  test('when shut down, then it stops and its children with it', async () => {
    const h = harness();
    const worker = h.get('worker')!;

    h.root.send({ type: 'Shutdown' });

    expect(h.root.getSnapshot().status).toBe('done');
    expect(worker.getSnapshot().status).toBe('stopped');
    expect(h.errors).toEqual([]);
  });
});
