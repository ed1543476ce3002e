import { Api, GrammyError } from 'grammy';
import { ChannelError, type ChannelMessage, type NotifierChannel } from '../app/ports.ts';
import type { AlertKind } from '../config/schema.ts';
import { b, esc, escClip, isoToNewYork, nyTime } from './format.ts';
import { errorText } from './redact.ts';

export interface TelegramChannelOptions {
  readonly token: string;
  readonly apiRoot: string;
  /** Every alert goes to each of these chats. */
  readonly chatIds: readonly number[];
  /** A send that takes longer counts as a network failure (retried by the outbox). */
  readonly timeoutMs: number;
  readonly redact: (text: string) => string;
  /** The clock the sending time is stamped from (New York time, with the date). */
  readonly now?: () => number;
}

const LABEL: Record<AlertKind, string> = {
  fills: '🟢 Fill',
  trades: '💵 Trade closed',
  breaker: '🛑 Circuit breaker',
  connection: '🔌 Connection',
  escalation: '🚨 Escalation',
  dailySummary: '📊 Daily summary',
};

/**
 * Alerts from the notifier's outbox to Telegram. Retries belong to the outbox (durable, ordered,
 * with backoff and Telegram's retry_after), so this channel makes one attempt per chat, has its
 * own API client without the auto-retry the bot's replies use, and says through ChannelError
 * whether a failure is worth retrying.
 */
export function telegramChannel(o: TelegramChannelOptions): NotifierChannel {
  const api = new Api(o.token, { apiRoot: o.apiRoot, timeoutSeconds: o.timeoutMs / 1000 });
  // The outbox hands out one message at a time, in order, so only the message being retried can
  // have reached some chats already: remember those, and a retry does not repeat it there.
  let current: { id: number; reached: Set<number> } | null = null;
  return {
    name: 'telegram',
    async send(m: ChannelMessage): Promise<void> {
      if (current?.id !== m.id) current = { id: m.id, reached: new Set() };
      const stamp = o.now ? ` · ${nyTime(o.now())}` : '';
      const text = `${b(LABEL[m.kind] ?? m.kind)}${esc(stamp)}\n${escClip(isoToNewYork(m.text), 3800)}`;
      let refused: ChannelError | null = null;
      for (const chat of o.chatIds) {
        if (current.reached.has(chat)) continue;
        try {
          await api.sendMessage(chat, text, { parse_mode: 'HTML', disable_notification: m.silent, link_preview_options: { is_disabled: true } });
          current.reached.add(chat);
        } catch (e) {
          const error = toChannelError(e, o.redact);
          if (error.retryable) throw error;
          // One chat refusing for good (bot removed from a group) must not keep the others from their alert.
          refused ??= error;
        }
      }
      if (refused) throw refused;
    },
  };
}

function toChannelError(e: unknown, redact: (text: string) => string): ChannelError {
  if (e instanceof GrammyError) return ChannelError.fromHttp('telegram', e.error_code, redact(e.description), e.parameters.retry_after);
  // Not the original error as the cause: it may carry the request URL, and with it the token.
  return ChannelError.network('telegram', new Error(redact(errorText(e))));
}
