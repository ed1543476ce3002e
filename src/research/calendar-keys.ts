import { DAY, HOUR, sessionStart, toNyWallMs } from '../domain/session.ts';

/**
 * Calendar labels of an instant for the breakdowns. A CME session runs 18:00–17:00 New York and
 * belongs to the New York date it ends on (Sunday evening's session is Monday's), so session,
 * weekday, week and month follow that trading date; the hour is the New York wall-clock hour.
 */

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** Trading date (the New York date the session ends on) as a "fake UTC" midnight, ms. */
export function tradingDate(utcMs: number): number {
  const startWall = toNyWallMs(sessionStart(utcMs));
  return Math.floor((startWall + 6 * HOUR) / DAY) * DAY;
}

const ymd = (wallMs: number) => new Date(wallMs).toISOString().slice(0, 10);

export function sessionKey(utcMs: number): string {
  return ymd(tradingDate(utcMs));
}

export function weekdayKey(utcMs: number): string {
  const d = new Date(tradingDate(utcMs)).getUTCDay();
  return `${d === 0 ? 7 : d} ${WEEKDAYS[d]}`;
}

export function monthKey(utcMs: number): string {
  return ymd(tradingDate(utcMs)).slice(0, 7);
}

/** ISO 8601 week of the trading date, e.g. "2026-W05". */
export function weekKey(utcMs: number): string {
  const date = new Date(tradingDate(utcMs));
  const dow = date.getUTCDay() || 7;
  // The Thursday of the same ISO week decides the year.
  const thursday = new Date(date.getTime() + (4 - dow) * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** New York hour of day, "09". */
export function hourKey(utcMs: number): string {
  return String(Math.floor((toNyWallMs(utcMs) % DAY) / HOUR)).padStart(2, '0');
}
