import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, type Context, type Transformer } from 'grammy';
import type { Logger } from '../domain/log.ts';
import { sourceOf, type TelegramApp } from './app-port.ts';
import { backtestsText } from './commands/backtests.ts';
import { pauseText, resumeText } from './commands/control.ts';
import { registerFlatten } from './commands/flatten.ts';
import { dailyText, weeklyText } from './commands/history.ts';
import { logsText } from './commands/logs.ts';
import { registerReset } from './commands/reset.ts';
import { helpText, unknownText } from './commands/help.ts';
import { pnlText, tradesText } from './commands/pnl.ts';
import { pingText, statusText } from './commands/status.ts';
import { FlattenConfirmations } from './flatten-confirm.ts';
import { b, esc } from './format.ts';
import { errorText } from './redact.ts';

export interface BotOptions {
  readonly app: TelegramApp;
  readonly token: string;
  readonly apiRoot: string;
  readonly allowedUserIds: readonly number[];
  readonly allowedChatIds: readonly number[];
  readonly mode: string;
  /** Already redacting the token. */
  readonly log: Logger;
  readonly now: () => number;
  /** Per API call; above the long-poll timeout, or every idle poll would time out. */
  readonly timeoutSeconds: number;
  readonly confirmTtlMs?: number;
  /** Removes the bot token from text that leaves the machine (/logs). */
  readonly redact?: (text: string) => string;
}

/** Refused senders get at most this many answers (and audit rows) a minute: a stranger cannot flood the audit table. */
const REFUSALS_PER_MINUTE = 20;
/** Replies worth retrying: losing an answer to a blip is worse than a late one. Polling has its own retries. */
const RETRIED = new Set(['sendMessage', 'editMessageText', 'editMessageReplyMarkup', 'answerCallbackQuery', 'setMyCommands']);
const HTML = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;

/** The bot with its allow-list and commands; `idle()` resolves when no flatten started from Telegram is still running. */
export function createBot(o: BotOptions) {
  const bot = new Bot(o.token, { client: { apiRoot: o.apiRoot, timeoutSeconds: o.timeoutSeconds } });
  const retry = autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60 });
  const replies: Transformer = (prev, method, payload, signal) => (RETRIED.has(method) ? retry(prev, method, payload, signal) : prev(method, payload, signal));
  bot.api.config.use(replies);
  bot.catch((err) => o.log.error('telegram.update_failed', { update: err.ctx.update.update_id, error: errorText(err.error) }));

  const inflight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    inflight.add(work);
    void work.finally(() => inflight.delete(work));
  };
  const users = new Set(o.allowedUserIds);
  const chats = new Set(o.allowedChatIds);
  let refusals: number[] = [];

  // Only new messages and button taps are requests; edits, joins, channel posts and the rest are ignored.
  bot.use(async (ctx, next) => {
    if (!ctx.update.message && !ctx.update.callback_query) return;
    const user = ctx.from?.id;
    const chat = ctx.chat?.id;
    if (user !== undefined && chat !== undefined && users.has(user) && chats.has(chat)) return next();
    await refuse(ctx, user, chat);
  });

  async function refuse(ctx: Context, user: number | undefined, chat: number | undefined): Promise<void> {
    const reason = user === undefined || !users.has(user) ? 'user not on the allow-list' : 'chat not on the allow-list';
    const what = ctx.callbackQuery ? 'button' : commandOf(ctx.message?.text) ?? 'message';
    const now = o.now();
    refusals = refusals.filter((t) => now - t < 60_000);
    if (refusals.length >= REFUSALS_PER_MINUTE) return;
    refusals.push(now);
    o.log.warn('telegram.refused', { user: user ?? null, chat: chat ?? null, command: what, reason });
    o.app.auditRefused({ channel: 'telegram', principal: String(user ?? 'unknown') }, what, reason);
    // No data, no action; just the sender's own ids, which is what the owner needs to set the bot up.
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: 'Not authorised. Nothing was done.' });
    else if (chat !== undefined) await ctx.reply(`Not authorised — user id ${b(user ?? 'unknown')}, chat id ${b(chat)}. Nothing was done.`, answering(ctx));
  }

  const answer = (name: string, build: (ctx: Context & { match: string }) => string | Promise<string>) =>
    bot.command(name, async (ctx) => {
      o.log.info('telegram.command', { command: name, user: ctx.from?.id, chat: ctx.chat.id });
      let text: string;
      try {
        text = await build(ctx);
      } catch (e) {
        o.log.error('telegram.command_failed', { command: name, error: errorText(e) });
        text = `❌ /${esc(name)} failed: ${esc(errorText(e))}`;
      }
      await ctx.reply(text, answering(ctx));
    });

  answer('start', () => helpText(o.mode));
  answer('help', () => helpText(o.mode));
  answer('status', () => statusText(o.app));
  answer('pnl', () => pnlText(o.app));
  answer('trades', (ctx) => tradesText(o.app, ctx.match));
  answer('backtests', () => backtestsText(o.app));
  answer('ping', (ctx) => pingText(o.app, ctx.message?.date ?? 0, o.now()));
  answer('pause', (ctx) => pauseText(o.app, sourceOf(ctx.from!.id)));
  answer('resume', (ctx) => resumeText(o.app, sourceOf(ctx.from!.id)));
  const ttl = o.confirmTtlMs ?? 60_000;
  registerFlatten(bot, { app: o.app, confirmations: new FlattenConfirmations(o.now, ttl), log: o.log, track, ttlSeconds: Math.round(ttl / 1000) });
  registerReset(bot, { app: o.app, confirmations: new FlattenConfirmations(o.now, ttl), log: o.log, ttlSeconds: Math.round(ttl / 1000) });
  answer('daily', () => dailyText(o.app));
  answer('weekly', () => weeklyText(o.app));
  answer('logs', (ctx) => logsText(o.app, ctx.match, o.redact ?? ((x) => x)));

  bot.on('message:text', async (ctx) => {
    const command = commandOf(ctx.message.text);
    const mine = command !== null && (!command.includes('@') || command.endsWith(`@${ctx.me.username}`));
    // In a group, plain talk and other bots' commands are none of this bot's business.
    if (mine || (command === null && ctx.chat.type === 'private')) await ctx.reply(unknownText(command), answering(ctx));
  });
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: 'This button is not recognised. Nothing was done.' }));

  return {
    bot,
    async idle(): Promise<void> {
      await Promise.allSettled([...inflight]);
    },
  };
}

/** HTML, quoting the request: in a busy group (and between alerts) the answer says which command it answers. */
function answering(ctx: Context) {
  const id = ctx.msg?.message_id;
  return { ...HTML, ...(id === undefined ? {} : { reply_parameters: { message_id: id, allow_sending_without_reply: true } }) };
}

/** `/trades@qs_bot 5` → `/trades@qs_bot`; null for text that is not a command. */
function commandOf(text: string | undefined): string | null {
  const m = /^\/[\w@]+/.exec(text ?? '');
  return m ? m[0].slice(0, 64) : null;
}
