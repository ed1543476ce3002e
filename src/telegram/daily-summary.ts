import { HOUR, nextSessionStart, sessionStart, toNyWallMs } from '../domain/session.ts';
import type { TelegramApp } from './app-port.ts';
import { dollars, duration, price, usd, nyTime } from './format.ts';

/**
 * The end-of-session summary. A CME session closes at 17:00 New York time, an hour before the
 * next one opens at 18:00 (domain/session.ts has the daylight-saving rules). The text is plain:
 * it goes through the notifier's outbox like every alert, and the channel escapes it.
 */

/** The first 17:00 New York, Monday to Friday, strictly after `t` (UTC ms). */
export function nextSessionClose(t: number): number {
  let close = nextSessionStart(t) - HOUR;
  // Between 17:00 and 18:00 the session containing `t` has already closed.
  if (close <= t) close = nextSessionStart(t + HOUR) - HOUR;
  // No session closes on a Saturday or Sunday: Friday's close is followed by Monday's.
  while ([0, 6].includes(new Date(toNyWallMs(close)).getUTCDay())) close = nextSessionStart(close + HOUR) - HOUR;
  return close;
}

/** Enough trades to cover one session of a scalper; older sessions are not asked for. */
const SESSION_TRADES = 500;

/** The session that closed at `close` (default: the one containing the last bar): its trades and P&L, and where things stand now. */
export function dailySummaryText(app: TelegramApp, close?: number): string {
  const s = app.status();
  const end = close ?? nextSessionClose(s.lastBar?.time ?? app.pnl().session ?? 0);
  const start = sessionStart(end - 1);
  const trades = app.trades({ limit: SESSION_TRADES }).filter((t) => t.sessionStart === start);
  const net = trades.reduce((a, t) => a + t.pnlCents, 0) / 100;
  const won = trades.filter((t) => t.pnlCents > 0).length;
  const p = s.position;
  const pnl = s.pnl;
  return [
    `Session ${nyTime(start)} → ${nyTime(end)} (17:00 New York close)`,
    `Trades: ${trades.length} (${won} won, ${trades.length - won} lost or even) · net ${usd(net)}`,
    `Week (realised): ${usd(pnl.week)} · since start: ${usd(pnl.sinceStart)} · equity ${dollars(pnl.equity)}`,
    `Position: ${p ? `${p.side} ${p.qty} MES @ ${price(p.entryPrice)}, carried into the next session (stop ${price(p.stop)}, target ${price(p.target)})` : 'flat'}`,
    `Trading: ${s.trading.kind}${s.trading.kind === 'HALTED' ? ` (${s.trading.reason})` : ''} · breaker ${app.breakers().state} · up ${duration(s.uptimeSec * 1000)}`,
  ].join('\n');
}

/**
 * Says when a session close has been passed. `time` is market time: the end of the last bar
 * (null before the first), so the simulator's accelerated days get their summaries too, and a
 * feed that stopped before 17:00 sends the summary with its first bar after. The first bar seen
 * counts for its own session: a service started on the day's last bar still sends that summary.
 */
export function sessionCloseWatch(time: () => number | null) {
  let next: number | null = null;
  return {
    /** The latest close passed since the last look, or null: one summary however long the gap. */
    check(): number | null {
      const t = time();
      if (t === null) return null;
      // A bar ending exactly at 17:00 belongs to the session closing then.
      next ??= nextSessionClose(t - 1);
      if (t < next) return null;
      let passed = next;
      while (nextSessionClose(passed) <= t) passed = nextSessionClose(passed);
      next = nextSessionClose(t);
      return passed;
    },
  };
}
