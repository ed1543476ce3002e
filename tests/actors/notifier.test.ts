import { describe, expect, spyOn, test } from 'bun:test';
import { createActor, SimulatedClock, type Actor } from 'xstate';
import { Alerts, type AlertSettings } from '../../src/actors/alerts.ts';
import { notifierMachine } from '../../src/actors/notifier.machine.ts';
import { ChannelError, type ChannelMessage, type NotifierChannel } from '../../src/actors/notifier-port.ts';
import type { Repositories } from '../../src/store/repositories.ts';
import { advance, flush, memoryLogger, useTempStore } from './helpers.ts';

const t = useTempStore();
const SECOND = 1000;

interface Attempt extends ChannelMessage {
  readonly at: number;
  readonly ok: boolean;
}

/** A channel that fails with the scripted errors first (one per send), then accepts everything. */
function scriptedChannel(clock: SimulatedClock, failures: Error[] = []): NotifierChannel & { attempts: Attempt[]; delivered: () => Attempt[] } {
  const attempts: Attempt[] = [];
  return {
    name: 'telegram',
    attempts,
    delivered: () => attempts.filter((a) => a.ok),
    send: async (message) => {
      const failure = failures.shift();
      attempts.push({ ...message, at: clock.now(), ok: failure === undefined });
      if (failure) throw failure;
    },
  };
}

function startNotifier(repos: Repositories, clock: SimulatedClock, channel: NotifierChannel, settings: AlertSettings = {}) {
  const logger = memoryLogger();
  let actor: Actor<typeof notifierMachine> | null = null;
  const alerts = new Alerts({ outbox: repos.outbox, settings, now: () => clock.now(), poke: () => actor?.send({ type: 'OutboxChanged' }), logger });
  actor = createActor(notifierMachine, { clock, input: { outbox: repos.outbox, channels: [channel], now: () => clock.now(), logger } });
  actor.start();
  return { actor, alerts, logger };
}

const texts = (attempts: Attempt[]) => attempts.map((a) => a.text);
const times = (attempts: Attempt[]) => attempts.map((a) => a.at);

describe('delivery', () => {
  test('alerts go out in the order they were raised, one per second', async () => {
    const clock = new SimulatedClock();
    const channel = scriptedChannel(clock);
    const { alerts } = startNotifier(t.repos, clock, channel);

    alerts.alert('fills', 'entered long 1 MES @ 5000.25');
    alerts.alert('trades', 'stopped out: -$12.50');
    alerts.alert('breaker', 'cooldown 30 min');
    await flush();
    expect(texts(channel.delivered())).toEqual(['entered long 1 MES @ 5000.25']);

    await advance(clock, SECOND - 1);
    expect(channel.delivered()).toHaveLength(1);
    await advance(clock, 1);
    await advance(clock, SECOND);

    expect(texts(channel.delivered())).toEqual(['entered long 1 MES @ 5000.25', 'stopped out: -$12.50', 'cooldown 30 min']);
    expect(times(channel.delivered())).toEqual([0, SECOND, 2 * SECOND]);
    expect(t.repos.outbox.pendingCount()).toBe(0);
  });

  test('after a quiet spell an alert goes out at once, not on the next poll', async () => {
    const clock = new SimulatedClock();
    const channel = scriptedChannel(clock);
    const { alerts } = startNotifier(t.repos, clock, channel);
    await advance(clock, 2 * SECOND + 300);

    alerts.alert('connection', 'connection lost');
    await flush();

    expect(times(channel.delivered())).toEqual([2 * SECOND + 300]);
  });

  test('a row written without a wake-up is picked up by the poll within 5 s', async () => {
    const clock = new SimulatedClock();
    const channel = scriptedChannel(clock);
    startNotifier(t.repos, clock, channel);
    await flush();

    t.repos.outbox.enqueue({ kind: 'trades', text: 'written by another process' }, clock.now());
    await advance(clock, 5 * SECOND - 1);
    expect(channel.attempts).toHaveLength(0);
    await advance(clock, 1);

    expect(times(channel.delivered())).toEqual([5 * SECOND]);
  });

  test("a kind set to 'off' is not queued; 'silent' goes out without sound", async () => {
    const clock = new SimulatedClock();
    const channel = scriptedChannel(clock);
    const { alerts } = startNotifier(t.repos, clock, channel, { fills: 'off', trades: 'silent' });

    expect(alerts.alert('fills', 'filled 1 @ 5000.25')).toBeNull();
    alerts.alert('trades', 'target hit: +$25.00');
    alerts.alert('breaker', 'halted: daily loss');
    await flush();
    await advance(clock, SECOND);

    expect(channel.attempts.map((a) => [a.kind, a.silent])).toEqual([['trades', true], ['breaker', false]]);
    expect(t.repos.outbox.pendingCount()).toBe(0);
  });
});

describe('failures', () => {
  test('a failing channel is retried after 1 s, then 2 s, and the messages behind it wait', async () => {
    const clock = new SimulatedClock();
    // Anything but a ChannelError (here fetch's own TypeError) counts as retryable.
    const channel = scriptedChannel(clock, [new TypeError('fetch failed'), ChannelError.fromHttp('telegram', 502, 'Bad Gateway')]);
    const { alerts } = startNotifier(t.repos, clock, channel);

    alerts.alert('fills', 'first');
    alerts.alert('fills', 'second');
    await flush();
    await advance(clock, SECOND - 1);
    expect(times(channel.attempts)).toEqual([0]);
    await advance(clock, 1);
    expect(times(channel.attempts)).toEqual([0, SECOND]);
    await advance(clock, 2 * SECOND - 1);
    expect(channel.attempts).toHaveLength(2);
    await advance(clock, 1);
    await advance(clock, SECOND);

    expect(channel.attempts.map((a) => [a.text, a.at, a.ok])).toEqual([
      ['first', 0, false],
      ['first', SECOND, false],
      ['first', 3 * SECOND, true],
      ['second', 4 * SECOND, true],
    ]);
  });

  test('the backoff stops doubling at 5 minutes', async () => {
    const clock = new SimulatedClock();
    const id = t.repos.outbox.enqueue({ kind: 'connection', text: 'still down' }, 0);
    // Nine earlier failed attempts: the tenth would wait 2^9 s = 512 s without the cap.
    for (let i = 0; i < 9; i++) t.repos.outbox.markFailed(id, 0, 'ETIMEDOUT', 0);
    const channel = scriptedChannel(clock, [ChannelError.network('telegram', new Error('ETIMEDOUT'))]);
    startNotifier(t.repos, clock, channel);
    await flush();

    for (let i = 0; i < 59; i++) await advance(clock, 5 * SECOND);
    await advance(clock, 5 * SECOND - 1);
    expect(channel.attempts).toHaveLength(1);
    await advance(clock, 1);

    expect(channel.attempts.map((a) => [a.at, a.ok])).toEqual([[0, false], [300 * SECOND, true]]);
  });

  test("a 429 waits for the channel's retry_after rather than the 1 s backoff", async () => {
    const clock = new SimulatedClock();
    const channel = scriptedChannel(clock, [ChannelError.fromHttp('telegram', 429, 'Too Many Requests', 30)]);
    const { alerts, logger } = startNotifier(t.repos, clock, channel);

    alerts.alert('trades', 'target hit');
    await flush();
    await advance(clock, 30 * SECOND - 1);
    expect(channel.attempts).toHaveLength(1);
    await advance(clock, 1);

    expect(channel.attempts.map((a) => [a.at, a.ok])).toEqual([[0, false], [30 * SECOND, true]]);
    expect(logger.lines.find((l) => l.event === 'alert_deferred')?.fields?.retryAt).toBe(30 * SECOND);
  });

  test('a message the channel refuses for good is abandoned, logged, and the next one delivered', async () => {
    const clock = new SimulatedClock();
    const channel = scriptedChannel(clock, [ChannelError.fromHttp('telegram', 400, 'Bad Request: message is too long')]);
    const { alerts, logger } = startNotifier(t.repos, clock, channel);

    alerts.alert('dailySummary', 'x'.repeat(5000));
    alerts.alert('breaker', 'halted: drawdown');
    await flush();
    await advance(clock, SECOND);

    expect(channel.attempts.map((a) => [a.kind, a.at, a.ok])).toEqual([['dailySummary', 0, false], ['breaker', SECOND, true]]);
    expect(t.repos.outbox.pendingCount()).toBe(0);
    const abandoned = logger.lines.find((l) => l.event === 'alert_abandoned');
    expect(abandoned?.level).toBe('error');
    expect(String(abandoned?.fields?.error)).toContain('message is too long');
  });

  test('a store error is logged and the poll tries again', async () => {
    const clock = new SimulatedClock();
    const channel = scriptedChannel(clock);
    t.repos.outbox.enqueue({ kind: 'breaker', text: 'halted' }, 0);
    spyOn(t.repos.outbox, 'due').mockImplementationOnce(() => {
      throw new Error('database is locked');
    });
    const { logger } = startNotifier(t.repos, clock, channel);
    await flush();
    expect(logger.lines.map((l) => [l.event, l.fields?.error])).toEqual([['notifier_step_failed', 'database is locked']]);

    await advance(clock, 5 * SECOND);

    expect(times(channel.delivered())).toEqual([5 * SECOND]);
  });
});

describe('restart', () => {
  test('a new notifier on the same store delivers what was pending, and nothing twice', async () => {
    const clock = new SimulatedClock();
    const before = scriptedChannel(clock);
    const first = startNotifier(t.repos, clock, before);
    ['one', 'two', 'three', 'four'].forEach((text) => first.alerts.alert('fills', text));
    await flush();
    await advance(clock, SECOND);
    first.actor.stop();
    expect(texts(before.delivered())).toEqual(['one', 'two']);

    t.reopen();
    const after = scriptedChannel(clock);
    startNotifier(t.repos, clock, after);
    await flush();
    await advance(clock, SECOND);
    await advance(clock, 5 * SECOND);

    expect(texts(after.attempts)).toEqual(['three', 'four']);
    expect(t.repos.outbox.pendingCount()).toBe(0);
  });
});

describe('Alerts never breaks the caller', () => {
  test('a store failure is logged and swallowed', () => {
    const logger = memoryLogger();
    const enqueue = () => {
      throw new Error('database is locked');
    };
    const alerts = new Alerts({ outbox: { enqueue }, settings: {}, now: () => 0, poke: () => {}, logger });

    expect(alerts.alert('escalation', 'supervisor gave up on position')).toBeNull();
    expect(logger.lines.map((l) => [l.level, l.event, l.fields?.error])).toEqual([['error', 'alert_not_queued', 'database is locked']]);
  });

  test('a failing wake-up is logged; the alert stays queued for the poll', async () => {
    const logger = memoryLogger();
    const alerts = new Alerts({ outbox: t.repos.outbox, settings: {}, now: () => 0, poke: () => { throw new Error('no notifier'); }, logger });

    expect(alerts.alert('breaker', 'halted')).toBeNumber();
    await flush();

    expect(t.repos.outbox.pendingCount()).toBe(1);
    expect(logger.lines.map((l) => l.event)).toEqual(['notifier_not_woken']);
  });
});
