import type { NotifierChannel } from '../app/ports.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../domain/log.ts';
import { MINUTE } from '../domain/session.ts';
import type { TelegramApp } from './app-port.ts';
import { createBot } from './bot.ts';
import { telegramChannel } from './channel.ts';
import { COMMANDS } from './commands/help.ts';
import { dailySummaryText, sessionCloseWatch } from './daily-summary.ts';
import { errorText, redactingLogger, redactor } from './redact.ts';

export interface TelegramTuning {
  /** How long one getUpdates waits for news on the server. */
  readonly pollTimeoutSeconds: number;
  /** An alert send slower than this is retried by the outbox. */
  readonly sendTimeoutMs: number;
  /** How often to look whether a session close has passed. */
  readonly summaryCheckMs: number;
  /** Wait before polling again after it failed for good (bad token, another instance polling). */
  readonly restartDelayMs: number;
  /** The longest stop() waits for polling and for a flatten started from Telegram. */
  readonly stopTimeoutMs: number;
  readonly confirmTtlMs: number;
}

const DEFAULTS: TelegramTuning = { pollTimeoutSeconds: 25, sendTimeoutMs: 10_000, summaryCheckMs: 10_000, restartDelayMs: 30_000, stopTimeoutMs: 35_000, confirmTtlMs: 60_000 };

export interface StartTelegramOptions {
  readonly app: TelegramApp;
  readonly config: Config;
  readonly token: string;
  readonly log: Logger;
  /** The service clock: flatten confirmations expire by it, and /ping measures with it. */
  readonly now: () => number;
  /** Queues an alert in the notifier's outbox (the daily summary goes out like every other alert). */
  readonly notify: (kind: 'dailySummary', text: string) => void;
  readonly tuning?: Partial<TelegramTuning>;
}

export interface TelegramService {
  /** Hand this to the notifier: alerts reach every allowed chat through it. */
  readonly channel: NotifierChannel;
  stop(): Promise<void>;
}

/**
 * Starts the bot in the background and returns at once: Telegram being down, slow or rate
 * limiting delays only Telegram, never the service's start or its trading. Long polling
 * (pending updates are kept, so a command sent while the service restarted is still answered)
 * restarts by itself after failures; stop() ends it and waits, within a limit, for a flatten in
 * progress. Nothing it logs or reports contains the token.
 */
export function startTelegram(o: StartTelegramOptions): TelegramService {
  const t: TelegramTuning = { ...DEFAULTS, ...o.tuning };
  const tg = o.config.telegram;
  const redact = redactor(o.token);
  const log = redactingLogger(o.log, redact);
  const channel = telegramChannel({ token: o.token, apiRoot: tg.apiRoot, chatIds: tg.allowedChatIds, timeoutMs: t.sendTimeoutMs, redact, now: o.now });
  const { bot, idle } = createBot({
    app: o.app,
    token: o.token,
    apiRoot: tg.apiRoot,
    allowedUserIds: tg.allowedUserIds,
    allowedChatIds: tg.allowedChatIds,
    mode: o.config.mode,
    log,
    now: o.now,
    timeoutSeconds: t.pollTimeoutSeconds + 15,
    confirmTtlMs: t.confirmTtlMs,
    redact,
  });
  const abort = new AbortController();
  let stopped = false;

  const polling = (async () => {
    while (!stopped) {
      try {
        // init() ourselves, with our signal: bot.start() would retry getMe forever, even past stop().
        await bot.init(abort.signal as Parameters<typeof bot.init>[0]);
        if (stopped) break;
        await bot.start({
          drop_pending_updates: false,
          allowed_updates: ['message', 'callback_query'],
          timeout: t.pollTimeoutSeconds,
          onStart: (me) => {
            log.info('telegram.polling', { bot: me.username, chats: tg.allowedChatIds.length, users: tg.allowedUserIds.length });
            bot.api.setMyCommands([...COMMANDS]).catch((e: unknown) => log.warn('telegram.commands_not_set', { error: errorText(e) }));
          },
        });
      } catch (e) {
        if (stopped) break;
        log.error('telegram.polling_failed', { error: errorText(e), retryInSec: t.restartDelayMs / 1000 });
      }
      if (!stopped) await pause(t.restartDelayMs, abort.signal);
    }
  })();

  const barMs = o.config.trading.barMinutes * MINUTE;
  const watch = sessionCloseWatch(() => {
    const bar = o.app.status().lastBar;
    return bar ? bar.time + barMs : null;
  });
  const summaries = setInterval(() => {
    try {
      const close = watch.check();
      if (close !== null) o.notify('dailySummary', dailySummaryText(o.app, close));
    } catch (e) {
      log.error('telegram.daily_summary_failed', { error: errorText(e) });
    }
  }, t.summaryCheckMs);
  summaries.unref?.();

  let stopping: Promise<void> | null = null;
  async function stop(): Promise<void> {
    stopped = true;
    clearInterval(summaries);
    abort.abort();
    if (bot.isRunning()) await within(bot.stop(), t.stopTimeoutMs).catch((e: unknown) => log.warn('telegram.stop_incomplete', { error: errorText(e) }));
    await within(polling, t.stopTimeoutMs);
    await within(idle(), t.stopTimeoutMs);
    log.info('telegram.stopped', {});
  }

  return { channel, stop: () => (stopping ??= stop()) };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** `work`, or give up waiting after `ms` (the work itself goes on). */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
