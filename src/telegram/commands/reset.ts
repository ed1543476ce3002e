import { InlineKeyboard, type Composer, type Context } from 'grammy';
import type { Logger } from '../../domain/log.ts';
import { sourceOf, type TelegramApp } from '../app-port.ts';
import type { FlattenConfirmations } from '../flatten-confirm.ts';
import { b, esc } from '../format.ts';
import { resultLine, tradingLine } from '../views.ts';

export interface ResetDeps {
  readonly app: TelegramApp;
  /** Its own set of nonces: a flatten button can never confirm a reset, or the other way round. */
  readonly confirmations: FlattenConfirmations;
  readonly log: Logger;
  readonly ttlSeconds: number;
}

const HTML = { parse_mode: 'HTML' } as const;
const DATA = /^reset:(yes|no):([\w-]{8,40})$/;

/**
 * `/reset` asks; a tap on "Reset now" by the same user in the same chat within the time limit
 * closes the circuit breaker (clears a halt or a cooldown), once. Re-arming entries after a loss
 * limit is a decision, so it takes the same two taps as a flatten.
 */
export function registerReset(bot: Composer<Context>, d: ResetDeps): void {
  bot.command('reset', async (ctx) => {
    const nonce = d.confirmations.issue(ctx.from!.id, ctx.chat.id);
    const s = d.app.status();
    const breaker = d.app.breakers().state;
    const keyboard = new InlineKeyboard().text('Reset now', `reset:yes:${nonce}`).text('Cancel', `reset:no:${nonce}`);
    const text = [
      `⚠️ ${b('Reset the circuit breaker')}`,
      `Breaker: ${b(breaker)} · Trading: ${tradingLine(s.trading)}`,
      'This clears a halt or cooldown: new entries are allowed again at the next signal.',
      `Tap ${b('Reset now')} within ${d.ttlSeconds} s to confirm.`,
    ].join('\n');
    await ctx.reply(text, { ...HTML, reply_markup: keyboard, reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } });
  });

  bot.callbackQuery(DATA, async (ctx) => {
    const [, answer, nonce] = ctx.match as RegExpMatchArray as unknown as [string, 'yes' | 'no', string];
    const user = ctx.from.id;
    const outcome = d.confirmations.use(nonce, user, ctx.chat?.id ?? 0, answer === 'yes' ? 'confirmed' : 'cancelled');
    if (outcome.kind !== 'ok') {
      const why = outcome.kind === 'wrong_user' ? 'tapped by another user' : outcome.kind === 'used' ? `already ${outcome.as}` : outcome.kind === 'expired' ? 'confirmation expired' : 'unknown or stale confirmation';
      d.app.auditRefused(sourceOf(user), 'resetBreaker', why);
      const toast = outcome.kind === 'wrong_user' ? 'Only the user who sent /reset can confirm it. Nothing was done.' : `Not valid (${why}). Nothing was done; send /reset again.`;
      await ctx.answerCallbackQuery({ text: toast, show_alert: true });
      if (outcome.kind !== 'wrong_user') await ctx.editMessageReplyMarkup({ reply_markup: new InlineKeyboard() }).catch(() => undefined);
      return;
    }
    if (answer === 'no') {
      await ctx.answerCallbackQuery({ text: 'Cancelled. Nothing was done.' });
      await ctx.editMessageText('Reset cancelled: nothing was done.').catch(() => undefined);
      return;
    }
    await ctx.answerCallbackQuery({ text: 'Resetting…' });
    let text: string;
    try {
      text = `${resultLine(await d.app.resetBreaker(sourceOf(user)))}\nTrading: ${tradingLine(d.app.status().trading)}`;
    } catch (e) {
      d.log.error('telegram.reset_failed', { user, error: e instanceof Error ? e.message : String(e) });
      text = `❌ ${b('Reset failed')}: ${esc(e instanceof Error ? e.message : String(e))}`;
    }
    await ctx.editMessageText(text, HTML).catch(() => undefined);
  });
}
