import { DAY, HOUR, MINUTE, fromNyWallMs, toNyWallMs } from '../domain/session.ts';

/**
 * The CME Globex week for MES in New York time: open Sunday 18:00 to Friday 17:00 with a daily
 * halt 17:00–18:00 Monday to Thursday. Exchange holidays and early closes are not modelled.
 *
 * Every open and close falls on a whole hour in the evening, and New York switches between EST
 * and EDT at 02:00 on a Sunday while the market is closed, so the UTC offset never changes inside
 * an open stretch and bars aligned to the UTC minute are aligned to the New York minute too.
 */

const SUNDAY = 0;
const FRIDAY = 5;
const SATURDAY = 6;
const OPEN_HOUR = 18;
const CLOSE_HOUR = 17;

/** An open stretch of the market, [open, close) in UTC ms. */
export interface OpenSegment {
  readonly open: number;
  readonly close: number;
}

function wallParts(utcMs: number): { wallDay: number; dow: number; hour: number } {
  const wall = toNyWallMs(utcMs);
  const wallDay = Math.floor(wall / DAY) * DAY;
  return { wallDay, dow: new Date(wallDay).getUTCDay(), hour: Math.floor((wall - wallDay) / HOUR) };
}

export function isMarketOpen(utcMs: number): boolean {
  const { dow, hour } = wallParts(utcMs);
  if (dow === SATURDAY) return false;
  if (dow === SUNDAY) return hour >= OPEN_HOUR;
  if (dow === FRIDAY) return hour < CLOSE_HOUR;
  return hour !== CLOSE_HOUR;
}

/** The earliest instant at or after `utcMs` when the market is open. */
export function nextOpen(utcMs: number): number {
  if (isMarketOpen(utcMs)) return utcMs;
  const { wallDay, dow } = wallParts(utcMs);
  // Closed on Mon–Thu means the daily halt: it reopens at 18:00 the same New York day.
  const daysAhead = dow >= 1 && dow <= 4 ? 0 : (7 - dow) % 7;
  return fromNyWallMs(wallDay + daysAhead * DAY + OPEN_HOUR * HOUR);
}

/** The next close strictly after `utcMs`, for an instant when the market is open. */
export function nextClose(utcMs: number): number {
  const { wallDay, hour } = wallParts(utcMs);
  const day = hour >= OPEN_HOUR ? wallDay + DAY : wallDay;
  return fromNyWallMs(day + CLOSE_HOUR * HOUR);
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
