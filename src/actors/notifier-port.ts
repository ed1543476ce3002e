import type { AlertKind } from '../config/schema.ts';
import type { Logger } from '../domain/log.ts';

/**
 * Where alerts go (Telegram, the log). The notifier actor hands each outbox message to every
 * channel; a channel says through `ChannelError` whether a failure is worth retrying.
 */

export interface ChannelMessage {
  /** The outbox id: stable across retries, so a channel can recognise a message it sent before. */
  readonly id: number;
  readonly kind: AlertKind;
  readonly text: string;
  /** Deliver without a notification sound. */
  readonly silent: boolean;
}

export interface NotifierChannel {
  readonly name: string;
  /** Resolves once the channel accepted the message; rejects (preferably with a ChannelError) otherwise. */
  send(message: ChannelMessage): Promise<void>;
}

/**
 * A failed send, saying what recovery it needs: `retryable` (network down, 5xx, 429 rate limit)
 * means "try again later"; not retryable (400 malformed, 403 bot blocked) means retrying cannot
 * help, so the message is abandoned and the error logged for the operator.
 * Anything else a channel throws counts as retryable: an unknown error is more likely a network
 * fault than a bad message, and giving up on an alert is the costlier mistake.
 */
export class ChannelError extends Error {
  override readonly name = 'ChannelError';
  readonly retryable: boolean;
  /** The channel's own "retry after" (Telegram's `parameters.retry_after`, in ms). */
  readonly retryAfterMs?: number;

  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  /** Classifies an HTTP answer: 429 → retry after `retryAfterSec`; other 4xx → give up; 5xx → retry. */
  static fromHttp(channel: string, status: number, description: string, retryAfterSec?: number): ChannelError {
    const message = `${channel}: HTTP ${status} ${description}`;
    if (status === 429) return new ChannelError(message, { retryable: true, ...(retryAfterSec === undefined ? {} : { retryAfterMs: retryAfterSec * 1000 }) });
    return new ChannelError(message, { retryable: !(status >= 400 && status < 500) });
  }

  /** The request never got an answer (DNS, refused, reset, timed out). */
  static network(channel: string, cause: unknown): ChannelError {
    return new ChannelError(`${channel}: network error: ${cause instanceof Error ? cause.message : String(cause)}`, { retryable: true, cause });
  }
}

/** A channel that writes each alert to the log: always available, so no alert goes unseen. */
export function logChannel(logger: Logger): NotifierChannel {
  return {
    name: 'log',
    send: async (m) => {
      logger.info('alert', { kind: m.kind, text: m.text, id: m.id, silent: m.silent });
    },
  };
}
