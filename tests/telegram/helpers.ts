import { setDefaultTimeout } from 'bun:test';
import { Alerts } from '../../src/actors/alerts.ts';
import { auditRefused } from '../../src/app/refusals.ts';
import { createLogger } from '../../src/domain/log.ts';
import type { TelegramApp } from '../../src/telegram/app-port.ts';
import { startTelegram, type TelegramTuning } from '../../src/telegram/service.ts';
import { FakeTelegramApi, type BotMessage, type FakeChat, type FakeUser } from '../../src/testing/fake-telegram-api.ts';
import { liveHarness } from '../../src/testing/live-harness.ts';

// Real HTTP and a real service on a shared 2-core machine: generous limits, no timing claims.
setDefaultTimeout(30_000);

export const TOKEN = '7000000001:AAE-test-token-Zq9xY8wV7uT6sR5qP4oN3';

/** Names with markup in them: whatever the bot echoes must come out escaped. */
export const OWNER: FakeUser = { id: 1001, first_name: 'Ann <b>&amp;</b>' };
export const PARTNER: FakeUser = { id: 1002, first_name: 'Ben' };
export const STRANGER: FakeUser = { id: 6666, first_name: 'Mallory' };
export const DM: FakeChat = { id: OWNER.id, type: 'private' };
export const DESK: FakeChat = { id: -100_200_300, type: 'supergroup', title: 'desk' };
export const ELSEWHERE: FakeChat = { id: -100_999, type: 'group', title: 'random <group>' };

/** Parity-test market settings: volatile bars and tight brackets, so positions and trades come quickly. */
export const BUSY_MARKET = {
  sim: { seed: 11, regime: 'volatile' },
  trading: { params: { lookback: 20, entry: 1.8, exit: 0.3 } },
  risk: { stopLossPerContract: 25, takeProfitPerContract: 40, maxDrawdown: 100_000, maxHoldMinutes: 12 },
};

/** Waits (polling) until `probe` returns something; fails naming what it waited for. */
export async function until<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(10);
  }
}

/** Every log line as the service would print it, so a test can search them for the token. */
export function recordingLogger() {
  const lines: string[] = [];
  return { lines, log: createLogger({ level: 'debug', write: (line) => void lines.push(line), now: () => 0 }) };
}

/**
 * The real service on the sim broker (liveHarness), a fake Bot API on loopback, and the bot
 * started against both, its channel joined to the service's notifier. `clock` is the bot's own
 * clock (confirmations expire by it); `h.clock` drives the actors, the notifier among them.
 */
export async function telegramHarness(opts: { config?: Record<string, unknown>; warmup?: number; tuning?: Partial<TelegramTuning>; allow?: { users: number[]; chats: number[] } } = {}) {
  const clock = { ms: Date.parse('2026-01-06T15:00:00Z'), now: () => clock.ms };
  const { lines, log } = recordingLogger();
  const h = await liveHarness({ config: { ...BUSY_MARKET, ...opts.config }, log, ...(opts.warmup ? { warmup: opts.warmup } : {}) });
  // Messages are dated 4 s before the bot's clock: /ping must report that delay.
  const api = await FakeTelegramApi.start({ token: TOKEN, now: () => clock.ms - 4000, stamp: () => h.clock.now() });
  const config = { ...h.config, telegram: { ...h.config.telegram, enabled: true, allowedUserIds: opts.allow?.users ?? [OWNER.id, PARTNER.id], allowedChatIds: opts.allow?.chats ?? [DM.id, DESK.id], apiRoot: api.apiRoot } };
  const app: TelegramApp = { ...h.app, auditRefused: (source, command, reason) => auditRefused({ repos: h.repos, now: clock.now }, source, command, reason) };
  const alerts = new Alerts({ outbox: h.repos.outbox, settings: config.telegram.alerts, now: () => h.clock.now(), poke: () => h.system.send('notifier', { type: 'OutboxChanged' }), logger: log });
  const tg = startTelegram({ app, config, token: TOKEN, log, now: clock.now, notify: (kind, text) => void alerts.alert(kind, text), tuning: { pollTimeoutSeconds: 2, restartDelayMs: 200, summaryCheckMs: 50, ...opts.tuning } });
  h.channels.push(tg.channel);

  /** The user writes `text`; resolves with the bot's answer to it (alerts may come in between). */
  async function say(from: FakeUser, chat: FakeChat, text: string): Promise<BotMessage> {
    const asked = api.say(from, chat, text);
    return until(() => api.sentTo(chat.id).find((m) => m.reply_to === asked.message_id), `a reply to ${text}`);
  }

  /** Moves the actors' clock one notifier spacing at a time until `probe` holds (alerts go out at most 1/s). */
  async function pumpAlerts<T>(probe: () => T | undefined | null | false, what: string, maxSteps = 200): Promise<T> {
    for (let i = 0; i < maxSteps; i++) {
      const value = probe();
      if (value !== undefined && value !== null && value !== false) return value;
      h.clock.increment(1000);
      await Bun.sleep(15);
    }
    throw new Error(`alerts never reached: ${what}`);
  }

  /** Runs bars until `probe` holds. */
  async function barsUntil(probe: () => boolean, what: string, max = 3000): Promise<void> {
    for (let i = 0; i < max && !probe(); i++) await h.bars(1);
    if (!probe()) throw new Error(`no ${what} within ${max} bars`);
  }

  return {
    h,
    api,
    tg,
    app,
    alerts,
    clock,
    logs: lines,
    say,
    pumpAlerts,
    barsUntil,
    alertTexts: () => api.messages.filter((m) => m.chat.id === DESK.id && !m.reply_markup).map((m) => m.text),
    async close(): Promise<void> {
      await tg.stop();
      await h.close();
      await api.stop();
    },
  };
}

export type TelegramHarness = Awaited<ReturnType<typeof telegramHarness>>;
