import { DAY } from '../domain/session.ts';
import type { Repositories } from '../store/repositories.ts';

export interface PnlHistoryDeps {
  readonly repos: Pick<Repositories, 'dailyPnl'>;
  /** Market time: the last bar's, or the clock's before the first bar. */
  readonly marketNow: () => number;
}

export interface SessionPnl {
  /** The trading day the session belongs to, New York calendar (a session opens 18:00 the evening before). */
  readonly day: string;
  readonly sessionStart: number;
  readonly realised: number;
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
}

export interface WeekPnl {
  /** The Monday of the week, New York calendar. */
  readonly weekOf: string;
  readonly realised: number;
  readonly trades: number;
  readonly sessions: number;
}

const NY_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });
/** A session starts at 18:00 New York; six hours later it is the trading day's own date. */
const dayOf = (sessionStart: number) => NY_DATE.format(sessionStart + 6 * 60 * 60_000);

function mondayOf(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * DAY).toISOString().slice(0, 10);
}

/** Realised P&L per session for the last `days` calendar days, newest first (sessions without trades are absent). */
export function dailyPnl(d: PnlHistoryDeps, days: number): SessionPnl[] {
  const now = d.marketNow();
  return d.repos.dailyPnl
    .range(now - days * DAY, now + DAY)
    .map((r) => ({ day: dayOf(r.sessionStart), sessionStart: r.sessionStart, realised: r.realisedCents / 100, trades: r.trades, wins: r.wins, losses: r.losses }))
    .reverse();
}

/** Realised P&L per week (Monday to Friday, New York) for the last `weeks` weeks, newest first. */
export function weeklyPnl(d: PnlHistoryDeps, weeks: number): WeekPnl[] {
  const byWeek = new Map<string, { realised: number; trades: number; sessions: number }>();
  for (const s of dailyPnl(d, weeks * 7 + 7)) {
    const key = mondayOf(s.day);
    const w = byWeek.get(key) ?? { realised: 0, trades: 0, sessions: 0 };
    w.realised += s.realised;
    w.trades += s.trades;
    w.sessions += 1;
    byWeek.set(key, w);
  }
  return [...byWeek.entries()]
    .sort(([a], [b]) => (a < b ? 1 : -1))
    .slice(0, weeks)
    .map(([weekOf, w]) => ({ weekOf, realised: Math.round(w.realised * 100) / 100, trades: w.trades, sessions: w.sessions }));
}
