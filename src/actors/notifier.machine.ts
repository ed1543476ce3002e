import { assign, fromPromise, setup } from 'xstate';
import type { AlertKind } from '../config/schema.ts';
import type { Logger } from '../domain/log.ts';
import type { OutboxRepository } from '../store/outbox.ts';
import { backoffDelay, type BackoffPolicy } from './backoff.ts';
import { ChannelError, type NotifierChannel } from './notifier-port.ts';

/**
 * Delivers the SQLite outbox to the channels: idle ⇄ sending, one message per step.
 * - Order is kept: a message that failed and waits for its retry holds back those behind it
 *   (`OutboxRepository.due` stops there), so "stopped out" never arrives before "entered".
 * - Retryable failures back off 1 s, 2 s, 4 s … up to 5 min, or longer when the channel asks
 *   (Telegram's 429 retry_after); a failure retrying cannot fix abandons the message (logged).
 * - Rate limited: at least `minIntervalMs` between two sends (Telegram allows ~1 message/s a chat).
 * - Woken by `OutboxChanged` (sent by `Alerts`) and by a poll, so nothing waits forever on a
 *   lost wake-up, a retry coming due or a row written by another process.
 * The send step is the invoked `deliverNext` actor; its default works on the outbox and channels
 * from the input, and a test or the service may `.provide()` another.
 * Delivery is at least once: a crash between a send and `markDelivered` sends that message again,
 * and a retry goes to every channel, including one that had accepted it.
 */

export type NotifierEvent = { type: 'OutboxChanged' };

export interface DeliveryDeps {
  readonly outbox: Pick<OutboxRepository, 'due' | 'markDelivered' | 'markFailed' | 'abandon'>;
  readonly channels: readonly NotifierChannel[];
  readonly now: () => number;
  readonly logger: Logger;
  readonly retry: BackoffPolicy;
}

export interface NotifierInput extends Omit<DeliveryDeps, 'retry'> {
  readonly retry?: BackoffPolicy;
  /** Minimum time between two sends. Default 1000. */
  readonly minIntervalMs?: number;
  /** Longest idle time without looking at the outbox. Default 5000. */
  readonly pollMs?: number;
}

export type DeliveryOutcome =
  | { readonly kind: 'empty' }
  | { readonly kind: 'delivered'; readonly id: number }
  | { readonly kind: 'abandoned'; readonly id: number; readonly error: string }
  | { readonly kind: 'deferred'; readonly id: number; readonly error: string; readonly retryAt: number };

export interface NotifierContext {
  readonly deps: DeliveryDeps;
  readonly minIntervalMs: number;
  readonly pollMs: number;
  /** When the message holding the queue may be tried again (null: nothing is held). */
  retryAt: number | null;
  /** An OutboxChanged came while a step was running: look again before going idle. */
  poked: boolean;
  delivered: number;
  lastError: string | null;
}

export const DEFAULT_RETRY: BackoffPolicy = { initialMs: 1000, maxMs: 5 * 60_000 };

/** Sends the first due message through every channel and records the outcome in the outbox. */
export async function deliverNext({ outbox, channels, now, logger, retry }: DeliveryDeps): Promise<DeliveryOutcome> {
  const [message] = outbox.due(now(), 1);
  if (!message) return { kind: 'empty' };
  const failures: { channel: string; error: unknown }[] = [];
  for (const channel of channels) {
    try {
      await channel.send({ id: message.id, kind: message.kind as AlertKind, text: message.text, silent: message.silent });
    } catch (error) {
      failures.push({ channel: channel.name, error });
    }
  }
  const at = now();
  if (failures.length === 0) {
    outbox.markDelivered(message.id, at);
    return { kind: 'delivered', id: message.id };
  }
  const error = failures.map((f) => `${f.channel}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ');
  const retryable = failures.map((f) => f.error).filter((e) => !(e instanceof ChannelError) || e.retryable);
  if (retryable.length === 0) {
    outbox.abandon(message.id, at, error);
    logger.error('alert_abandoned', { id: message.id, kind: message.kind, error });
    return { kind: 'abandoned', id: message.id, error };
  }
  // The channel's own retry-after is a floor: sending earlier would only be refused again.
  const asked = Math.max(0, ...retryable.map((e) => (e instanceof ChannelError ? (e.retryAfterMs ?? 0) : 0)));
  const retryAt = at + Math.max(backoffDelay(message.attempts, retry), asked);
  outbox.markFailed(message.id, at, error, retryAt);
  logger.warn('alert_deferred', { id: message.id, kind: message.kind, attempt: message.attempts + 1, retryAt, error });
  return { kind: 'deferred', id: message.id, error, retryAt };
}

export const notifierMachine = setup({
  types: { context: {} as NotifierContext, events: {} as NotifierEvent, input: {} as NotifierInput },
  actors: {
    deliverNext: fromPromise<DeliveryOutcome, DeliveryDeps>(({ input }) => deliverNext(input)),
  },
  delays: {
    minInterval: ({ context }) => context.minIntervalMs,
    // Wake for a retry coming due, without waiting for a whole poll period.
    nextPoll: ({ context }) => {
      const wait = context.retryAt === null ? Infinity : context.retryAt - context.deps.now();
      return wait > 0 ? Math.min(context.pollMs, wait) : context.pollMs;
    },
  },
  actions: {
    logStepFailed: ({ context }, p: { error: unknown }) =>
      context.deps.logger.error('notifier_step_failed', { error: p.error instanceof Error ? p.error.message : String(p.error) }),
  },
  guards: {
    outcomeIs: (_, p: { outcome: DeliveryOutcome; kind: DeliveryOutcome['kind'] }) => p.outcome.kind === p.kind,
  },
}).createMachine({
  id: 'notifier',
  context: ({ input }) => ({
    deps: { outbox: input.outbox, channels: input.channels, now: input.now, logger: input.logger, retry: input.retry ?? DEFAULT_RETRY },
    minIntervalMs: input.minIntervalMs ?? 1000,
    pollMs: input.pollMs ?? 5000,
    retryAt: null,
    poked: false,
    delivered: 0,
    lastError: null,
  }),
  initial: 'sending',
  states: {
    idle: {
      after: { nextPoll: 'sending' },
      on: { OutboxChanged: 'sending' },
    },
    sending: {
      entry: assign({ poked: false }),
      invoke: {
        src: 'deliverNext',
        input: ({ context }) => context.deps,
        onDone: [
          { guard: ({ context, event }) => event.output.kind === 'empty' && context.poked, target: 'sending', reenter: true },
          { guard: { type: 'outcomeIs', params: ({ event }) => ({ outcome: event.output, kind: 'empty' }) }, target: 'idle' },
          {
            guard: { type: 'outcomeIs', params: ({ event }) => ({ outcome: event.output, kind: 'deferred' }) },
            target: 'idle',
            actions: assign(({ event }) => {
              const o = event.output as Extract<DeliveryOutcome, { kind: 'deferred' }>;
              return { retryAt: o.retryAt, lastError: o.error };
            }),
          },
          // Delivered or abandoned: either way a request went out, so the rate limit applies.
          {
            target: 'spacing',
            actions: assign(({ context, event }) =>
              event.output.kind === 'delivered' ? { retryAt: null, delivered: context.delivered + 1 } : { retryAt: null, lastError: (event.output as { error: string }).error },
            ),
          },
        ],
        // The store failed (disk full, locked): log it and let the poll try again.
        onError: { target: 'idle', actions: { type: 'logStepFailed', params: ({ event }) => ({ error: event.error }) } },
      },
      on: { OutboxChanged: { actions: assign({ poked: true }) } },
    },
    spacing: {
      after: { minInterval: 'sending' },
    },
  },
});
