import * as v from 'valibot';
import type { TelegramApp } from '../app-port.ts';
import { b, dollars, esc, fitLines, price, usd, nyTime } from '../format.ts';

export function pnlText(app: TelegramApp): string {
  const p = app.pnl();
  return [
    `${b('P&L')}${p.session === null ? '' : ` · session from ${esc(nyTime(p.session))}`}`,
    `Today: ${b(usd(p.today.total))} (realised ${esc(usd(p.today.realised))}, unrealised ${esc(usd(p.today.unrealised))})`,
    `This week (realised): ${esc(usd(p.week))}`,
    `Since start (realised): ${esc(usd(p.sinceStart))}`,
    `Equity ${esc(dollars(p.equity))} · drawdown ${esc(dollars(p.drawdown))} of ${esc(dollars(p.maxDrawdown))} allowed`,
  ].join('\n');
}

/** `/trades [n]`: the argument is text from outside, so it is validated before it becomes a limit. */
export const TradesArg = v.pipe(
  v.optional(v.string(), ''),
  v.trim(),
  v.transform((s) => (s === '' ? '10' : s)),
  v.regex(/^\d{1,3}$/, 'n must be a whole number from 1 to 50'),
  v.transform(Number),
  v.number(),
  v.minValue(1, 'n must be at least 1'),
  v.maxValue(50, 'n can be at most 50'),
);

export function tradesText(app: TelegramApp, arg: string): string {
  const parsed = v.safeParse(TradesArg, arg);
  if (!parsed.success) return `${esc(parsed.issues[0].message)} (got ${b(arg.trim())}). Example: /trades 20`;
  const trades = app.trades({ limit: parsed.output });
  if (trades.length === 0) return 'No trades yet.';
  const lines = trades.map((t) => `${esc(nyTime(t.exitTime))} ${b(`${t.side} ${t.qty}`)} ${esc(price(t.entryPrice))} → ${esc(price(t.exitPrice))} ${esc(t.exitReason)} ${b(usd(t.pnlCents / 100))}`);
  return fitLines(`${b(`Last ${trades.length} trade(s)`)}, newest first:`, lines);
}
