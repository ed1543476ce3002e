import { DAY, HOUR, MINUTE, fromNyWallMs, toNyWallMs } from '../domain/session.ts';
import { CLOSE_MINUTES, holidayOn } from './holidays.ts';

/**
 * The CME Globex week for MES in New York time: open Sunday 18:00 to Friday 17:00 with a daily
 * halt 17:00–18:00 Monday to Thursday, and the exchange's holidays and early closes for equity
 * index futures from the table in holidays.ts (2015–2030; other years have none).
 *
 * Each session is named by the New York day it ends on and opens at 18:00 the evening before;
 * a holiday either removes the session (closed) or ends it early (13:00, 13:15, 09:30). Every
 * open and close falls on a whole minute while New York is not switching between EST and EDT
 * (that happens at 02:00 on a Sunday, market closed), so the UTC offset never changes inside
 * an open stretch and bars aligned to the UTC minute are aligned to the New York minute too.
 */

const OPEN_MINUTES = 18 * 60;
const CLOSE_MINUTES_NORMAL = 17 * 60;

/** An open stretch of the market, [open, close) in UTC ms. */
export interface OpenSegment {
  readonly open: number;
  readonly close: number;
}

/**
 * Minutes after New York midnight at which the session ending on New York day `nyDay` (days
 * since the epoch) closes, or −1 when no session ends that day (weekend, closed holiday).
 */
export function sessionCloseMinutes(nyDay: number): number {
  const dow = (((nyDay + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  if (dow === 0 || dow === 6) return -1;
  const kind = holidayOn(nyDay);
  if (kind === undefined) return CLOSE_MINUTES_NORMAL;
  return kind === 'C' ? -1 : CLOSE_MINUTES[kind];
}

function locate(utcMs: number): { day: number; minutes: number } {
  const wall = toNyWallMs(utcMs);
  const day = Math.floor(wall / DAY);
  return { day, minutes: (wall - day * DAY) / MINUTE };
}

export function isMarketOpen(utcMs: number): boolean {
  const { day, minutes } = locate(utcMs);
  if (minutes >= OPEN_MINUTES) return sessionCloseMinutes(day + 1) > 0;
  const close = sessionCloseMinutes(day);
  return close > 0 && minutes < close;
}

/** The earliest instant at or after `utcMs` when the market is open. */
export function nextOpen(utcMs: number): number {
  if (isMarketOpen(utcMs)) return utcMs;
  const { day } = locate(utcMs);
  // The longest closure (a long weekend with Christmas) is well under two weeks.
  for (let d = day; d < day + 14; d++) {
    const open = fromNyWallMs(d * DAY + OPEN_MINUTES * MINUTE);
    if (open >= utcMs && sessionCloseMinutes(d + 1) > 0) return open;
  }
  throw new Error(`no market open within 14 days of ${new Date(utcMs).toISOString()}`);
}

/** The next close strictly after `utcMs`, for an instant when the market is open. */
export function nextClose(utcMs: number): number {
  const { day, minutes } = locate(utcMs);
  const end = minutes >= OPEN_MINUTES ? day + 1 : day;
  const close = sessionCloseMinutes(end);
  return fromNyWallMs(end * DAY + (close > 0 ? close : CLOSE_MINUTES_NORMAL) * MINUTE);
}

/** The open stretch containing `utcMs`, or the next one if the market is closed then. */
export function segmentAt(utcMs: number): OpenSegment {
  const open = nextOpen(utcMs);
  return { open, close: nextClose(open) };
}

/** `count` consecutive open stretches, the first one starting at `nextOpen(fromMs)` (possibly mid-stretch). */
export function openSegments(fromMs: number, count: number): OpenSegment[] {
  const out: OpenSegment[] = [];
  let t = fromMs;
  for (let i = 0; i < count; i++) {
    const seg = segmentAt(t);
    out.push(seg);
    t = seg.close;
  }
  return out;
}

/**
 * Open times of the `stepMinutes` bars in [fromMs, toMs) while the market is open. Bars sit on
 * the clock (multiples of the step since the epoch); `stepMinutes` must divide 60 so every bar
 * fits inside one open stretch.
 */
export function* barTimes(fromMs: number, toMs: number, stepMinutes = 1): Generator<number> {
  const step = checkStepMinutes(stepMinutes) * MINUTE;
  let t = Math.ceil(fromMs / step) * step;
  while (t < toMs) {
    const seg = segmentAt(t);
    t = seg.open;
    const end = Math.min(seg.close, toMs);
    for (; t < end; t += step) yield t;
    t = seg.close;
  }
}

/** Throws unless `minutes` is a whole number of minutes that divides an hour. */
export function checkStepMinutes(minutes: number): number {
  if (!Number.isInteger(minutes) || minutes < 1 || 60 % minutes !== 0) {
    throw new RangeError(`bar length must be a whole number of minutes dividing 60 (1, 2, 3, 5, 15, 30, 60…), got ${minutes}`);
  }
  return minutes;
}
