import type { TelegramApp } from '../app-port.ts';
import { b, dollars, duration, esc, pct, usd, nyTime } from '../format.ts';
import { positionLine, tradingLine } from '../views.ts';

export function statusText(app: TelegramApp): string {
  const s = app.status();
  const breaker = app.breakers().state;
  const today = s.pnl.today;
  return [
    `${b('Status')} · mode ${b(s.mode)}`,
    `Connection: ${esc(s.connection)}`,
    `Trading: ${tradingLine(s.trading)}`,
    `Position: ${positionLine(s.position)}`,
    `Today: ${b(usd(today.total))} (realised ${esc(usd(today.realised))}, unrealised ${esc(usd(today.unrealised))}) · daily loss used ${esc(pct(s.pnl.dailyLossUsedPct / 100))} of ${esc(dollars(s.pnl.dailyLossLimit))}`,
    `Breaker: ${esc(breaker)}`,
    `Last bar: ${esc(nyTime(s.lastBar?.time))} · up ${esc(duration(s.uptimeSec * 1000))}`,
  ].join('\n');
}

/**
 * Liveness: that this reply exists proves polling, the app and the store answer; the message's
 * age shows how far behind the bot is (Telegram dates messages in whole seconds).
 */
export function pingText(app: TelegramApp, messageDateSec: number, now: number): string {
  const s = app.status();
  const age = Math.max(0, now - messageDateSec * 1000);
  return [
    `${b('pong')} · your message reached me after ${esc((age / 1000).toFixed(1))} s`,
    `Service up ${esc(duration(s.uptimeSec * 1000))} · connection ${esc(s.connection)} · last bar ${esc(nyTime(s.lastBar?.time))}`,
  ].join('\n');
}
