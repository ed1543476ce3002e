import { InlineKeyboard, type CallbackQueryContext, type Composer, type Context } from 'grammy';
import type { CommandResult } from '../../app/types.ts';
import type { Logger } from '../../domain/log.ts';
import { sourceOf, type TelegramApp } from '../app-port.ts';
import type { FlattenConfirmations } from '../flatten-confirm.ts';
import { b, esc } from '../format.ts';
import { positionLine, resultLine, tradingLine } from '../views.ts';

export interface FlattenDeps {
  readonly app: TelegramApp;
  readonly confirmations: FlattenConfirmations;
  readonly log: Logger;
  /** Keeps a running flatten alive past its update, so polling goes on and shutdown can wait for it. */
  readonly track: (work: Promise<unknown>) => void;
  readonly ttlSeconds: number;
}

const HTML = { parse_mode: 'HTML' } as const;
const DATA = /^flatten:(yes|no):([\w-]{8,40})$/;

/** `/flatten` asks; only a tap on "Flatten now" by the same user, within the time limit, acts, once. */
export function registerFlatten(bot: Composer<Context>, d: FlattenDeps): void {
  bot.command('flatten', async (ctx) => {
    const nonce = d.confirmations.issue(ctx.from!.id, ctx.chat.id);
    const s = d.app.status();
    const keyboard = new InlineKeyboard().text('Flatten now', `flatten:yes:${nonce}`).text('Cancel', `flatten:no:${nonce}`);
    const text = [
      `⚠️ ${b('Emergency flatten')}`,
      `Position: ${positionLine(s.position)}`,
      `Trading: ${tradingLine(s.trading)}`,
      'This cancels every working order, closes the position at market and pauses new entries.',
      `Tap ${b('Flatten now')} within ${d.ttlSeconds} s to confirm.`,
    ].join('\n');
    await ctx.reply(text, { ...HTML, reply_markup: keyboard, reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } });
  });

  bot.callbackQuery(DATA, async (ctx) => {
    const [, answer, nonce] = ctx.match as RegExpMatchArray as unknown as [string, 'yes' | 'no', string];
    const user = ctx.from.id;
    const chat = ctx.chat?.id ?? 0;
    const outcome = d.confirmations.use(nonce, user, chat, answer === 'yes' ? 'confirmed' : 'cancelled');
    const refuse = async (reason: string, toast: string, closeButtons: boolean) => {
      d.app.auditRefused(sourceOf(user), 'flatten', reason);
      await ctx.answerCallbackQuery({ text: toast, show_alert: true });
      // The buttons can never work again: take them away (best effort: they may be gone already).
      if (closeButtons) await ctx.editMessageReplyMarkup({ reply_markup: new InlineKeyboard() }).catch(() => undefined);
    };
    switch (outcome.kind) {
      case 'wrong_user':
        return refuse('confirmation tapped by another user', 'Only the user who sent /flatten can confirm it. Nothing was done.', false);
      case 'unknown':
        return refuse('unknown or stale confirmation', 'This button is no longer valid (the bot may have restarted). Nothing was done; send /flatten again.', true);
      case 'used':
        return refuse(`confirmation already ${outcome.as}`, `Already ${outcome.as}. Nothing more was done.`, true);
      case 'expired':
        d.app.auditRefused(sourceOf(user), 'flatten', 'confirmation expired');
        await ctx.answerCallbackQuery({ text: `Expired after ${d.ttlSeconds} s. Nothing was done; send /flatten again.`, show_alert: true });
        await ctx.editMessageText(`⌛ Flatten confirmation expired: nothing was done. Send /flatten again if you still need it.`).catch(() => undefined);
        return;
      case 'ok':
        break;
    }
    if (answer === 'no') {
      await ctx.answerCallbackQuery({ text: 'Cancelled. Nothing was done.' });
      await ctx.editMessageText('Flatten cancelled: nothing was done.').catch(() => undefined);
      return;
    }
    await ctx.answerCallbackQuery({ text: 'Flattening…' });
    await ctx.editMessageText(`🚨 Flattening… requested by ${b(ctx.from.first_name)} (id ${esc(user)}). I will report when the broker shows flat.`, HTML).catch(() => undefined);
    d.track(execute(ctx, d, user, chat));
  });
}

async function execute(ctx: CallbackQueryContext<Context>, d: FlattenDeps, user: number, chat: number): Promise<void> {
  let text: string;
  try {
    text = flattenReport(await d.app.flatten(sourceOf(user)));
  } catch (e) {
    d.log.error('telegram.flatten_failed', { user, error: e instanceof Error ? e.message : String(e) });
    text = `❌ ${b('Flatten failed')}: ${esc(e instanceof Error ? e.message : String(e))}\nCheck the broker now.`;
  }
  const replyTo = ctx.callbackQuery.message?.message_id;
  try {
    await ctx.api.sendMessage(chat, text, { ...HTML, ...(replyTo === undefined ? {} : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }) });
  } catch (e) {
    // The flatten itself is done and audited; only this report is lost.
    d.log.error('telegram.flatten_report_failed', { user, error: e instanceof Error ? e.message : String(e) });
  }
}

interface FlattenDetails {
  readonly cancelledOrders?: number;
  readonly closed?: { readonly side: string; readonly qty: number } | null;
  readonly brokerPosition?: number;
}

/** What was cancelled, what was closed, and what the broker shows now: the operator must not have to guess. */
export function flattenReport(r: CommandResult): string {
  const det = (r.details ?? {}) as FlattenDetails;
  const lines = [r.ok ? `✅ ${b('Flat.')}` : `❌ ${b('Flatten did not complete.')}`];
  if (det.cancelledOrders !== undefined) lines.push(`Cancelled: ${esc(det.cancelledOrders)} working order(s)`);
  if (det.closed !== undefined) lines.push(`Closed: ${det.closed ? esc(`${det.closed.side} ${det.closed.qty} MES at market`) : 'nothing (no position was open)'}`);
  if (det.brokerPosition !== undefined) lines.push(`Broker position: ${esc(det.brokerPosition)} contract(s)${det.brokerPosition === 0 ? ' — the broker shows flat' : ''}`);
  lines.push(resultLine(r));
  lines.push(r.ok ? 'New entries stay paused until you send /resume.' : 'Check the broker (TWS / Client Portal) now.');
  return lines.join('\n');
}
