import { describe, expect, test } from 'bun:test';
import { createActor, SimulatedClock } from 'xstate';
import { strategyMachine, type StrategyEvent } from '../../src/actors/strategy.machine.ts';
import type { Bar } from '../../src/domain/bar.ts';
import { bar, T0 } from '../../src/testing/builders.ts';
import { actionSpy, advance, controlledPromise } from './helpers.ts';

const MINUTE = 60_000;
const RETRY_MS = 5_000;
const barAt = (i: number, close = 5000 + i * 0.25): Bar => bar({ time: T0 + i * MINUTE, close });

/** A strategy actor with recorded actions and a history load the test settles by hand. */
function harness(opts: { startPaused?: boolean } = {}) {
  const clock = new SimulatedClock();
  const spy = actionSpy(['runBar', 'warmBars', 'setPaused']);
  const loadHistory = controlledPromise<number>();
  const machine = strategyMachine.provide({ actions: spy.actions, actors: { loadHistory: loadHistory.logic } });
  const actor = createActor(machine, { clock, input: { startPaused: opts.startPaused ?? false } }).start();
  return {
    clock,
    spy,
    loadHistory,
    send: (event: StrategyEvent) => actor.send(event),
    closeBar: (b: Bar) => actor.send({ type: 'BarClosed', bar: b }),
    state: () => actor.getSnapshot().value,
    context: () => actor.getSnapshot().context,
  };
}

/** A harness already past its warm-up, with the calls on the way forgotten. */
async function ready(opts: { startPaused?: boolean } = {}) {
  const h = harness(opts);
  await h.loadHistory.resolve(500);
  h.spy.clear();
  return h;
}

describe('warm-up', () => {
  test('when started, then it is warming up and has asked for history', () => {
    const h = harness();

    expect(h.state()).toEqual({ warmingUp: 'loading' });
    expect(h.loadHistory.calls).toHaveLength(1);
  });

  test('when the history loads, then it is ready', async () => {
    const h = harness();

    await h.loadHistory.resolve(500);

    expect(h.state()).toBe('ready');
    expect(h.context().warmupError).toBeNull();
  });

  test('when bars close during the warm-up, then they are buffered, not run, and fed in order after the history', async () => {
    const h = harness();
    const live = [barAt(1), barAt(2), barAt(3)];

    for (const b of live) h.closeBar(b);
    expect(h.spy.of('runBar')).toEqual([]);
    expect(h.spy.of('warmBars')).toEqual([]);
    expect(h.context().pending).toEqual(live);
    await h.loadHistory.resolve(500);

    expect(h.spy.of('warmBars')).toEqual([{ bars: live }]);
    expect(h.spy.of('runBar')).toEqual([]);
    expect(h.context().pending).toEqual([]);
    expect(h.state()).toBe('ready');
  });

  test('when no bar closed during the warm-up, then warmBars gets an empty list', async () => {
    const h = harness();

    await h.loadHistory.resolve(500);

    expect(h.spy.of('warmBars')).toEqual([{ bars: [] }]);
  });

  test('when the history fails, then it retries after the delay and becomes ready', async () => {
    const h = harness();

    await h.loadHistory.reject(new Error('history: not connected'));
    expect(h.state()).toEqual({ warmingUp: 'retrying' });
    expect(h.context().warmupError).toContain('not connected');
    await advance(h.clock, RETRY_MS - 1);
    expect(h.loadHistory.calls).toHaveLength(1);
    await advance(h.clock, 1);
    expect(h.loadHistory.calls).toHaveLength(2);
    await h.loadHistory.resolve(500);

    expect(h.state()).toBe('ready');
    expect(h.context().warmupError).toBeNull();
  });

  test('when bars close while a failed load waits to retry, then they are kept for after the warm-up', async () => {
    const h = harness();
    await h.loadHistory.reject(new Error('timeout'));

    h.closeBar(barAt(1));
    await advance(h.clock, RETRY_MS);
    h.closeBar(barAt(2));
    await h.loadHistory.resolve(500);

    expect(h.spy.of('warmBars')).toEqual([{ bars: [barAt(1), barAt(2)] }]);
  });

  test('when started paused, then it goes to paused after the warm-up', async () => {
    const h = harness({ startPaused: true });

    await h.loadHistory.resolve(500);

    expect(h.state()).toBe('paused');
  });

  test('when paused during the warm-up, then it reports the pause and ends the warm-up paused', async () => {
    const h = harness();

    h.send({ type: 'Pause', source: 'web' });
    await h.loadHistory.resolve(500);

    expect(h.spy.of('setPaused')).toEqual([{ paused: true, source: 'web' }]);
    expect(h.state()).toBe('paused');
  });
});

describe('pause and resume', () => {
  test('when paused while ready, then it is paused and tells the core with the source', async () => {
    const h = await ready();

    h.send({ type: 'Pause', source: 'telegram' });

    expect(h.state()).toBe('paused');
    expect(h.spy.of('setPaused')).toEqual([{ paused: true, source: 'telegram' }]);
  });

  test('when resumed while paused, then it is ready and tells the core with the source', async () => {
    const h = await ready({ startPaused: true });

    h.send({ type: 'Resume', source: 'web' });

    expect(h.state()).toBe('ready');
    expect(h.spy.of('setPaused')).toEqual([{ paused: false, source: 'web' }]);
  });

  test('when paused twice, then the second pause changes nothing', async () => {
    const h = await ready();

    h.send({ type: 'Pause', source: 'web' });
    h.send({ type: 'Pause', source: 'telegram' });

    expect(h.state()).toBe('paused');
    expect(h.spy.of('setPaused')).toHaveLength(1);
  });

  test('when resumed while ready, then nothing happens', async () => {
    const h = await ready();

    h.send({ type: 'Resume', source: 'web' });

    expect(h.state()).toBe('ready');
    expect(h.spy.of('setPaused')).toEqual([]);
  });
});

describe('bars after the warm-up', () => {
  test('when bars close while ready, then each one runs, in order', async () => {
    const h = await ready();

    h.closeBar(barAt(1));
    h.closeBar(barAt(2));

    expect(h.spy.of('runBar')).toEqual([{ bar: barAt(1) }, { bar: barAt(2) }]);
    expect(h.context()).toMatchObject({ bars: 2, lastBarTime: barAt(2).time });
  });

  test('when bars close while paused, then they still run (exits and risk checks keep working)', async () => {
    const h = await ready({ startPaused: true });

    h.closeBar(barAt(1));
    h.send({ type: 'Resume', source: 'web' });
    h.closeBar(barAt(2));
    h.send({ type: 'Pause', source: 'web' });
    h.closeBar(barAt(3));

    expect(h.spy.of('runBar')).toEqual([{ bar: barAt(1) }, { bar: barAt(2) }, { bar: barAt(3) }]);
    expect(h.spy.names()).toEqual(['runBar', 'setPaused', 'runBar', 'setPaused', 'runBar']);
  });
});
