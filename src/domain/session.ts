/**
 * CME Globex sessions in New York time. A trading session starts at 18:00 New York time and
 * runs until 17:00 the next day; the daily P&L and the daily loss limit reset at that start.
 *
 * New York's UTC offset follows the US rule in force since 2007: daylight time from the second
 * Sunday of March 02:00 local to the first Sunday of November 02:00 local. Written out here
 * (instead of Intl) because the backtester asks for it once per session boundary on millions
 * of bars, and because the rule must not depend on the host's time-zone database.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** UTC ms of the n-th (1-based) Sunday of a month at `hourUtc`. */
function nthSundayUtc(year: number, month: number, n: number, hourUtc: number): number {
  const first = Date.UTC(year, month, 1);
  const dow = new Date(first).getUTCDay();
  const day = 1 + ((7 - dow) % 7) + (n - 1) * 7;
  return Date.UTC(year, month, day, hourUtc);
}

const dstCache = new Map<number, readonly [number, number]>();
function dstBounds(year: number): readonly [number, number] {
  let b = dstCache.get(year);
  if (!b) {
    // 02:00 EST = 07:00 UTC; 02:00 EDT = 06:00 UTC.
    b = [nthSundayUtc(year, 2, 2, 7), nthSundayUtc(year, 10, 1, 6)] as const;
    dstCache.set(year, b);
  }
  return b;
}

/** New York's offset from UTC at instant `utcMs`, in ms (−4 h or −5 h). */
export function nyOffsetMs(utcMs: number): number {
  const [start, end] = dstBounds(new Date(utcMs).getUTCFullYear());
  return utcMs >= start && utcMs < end ? -4 * HOUR : -5 * HOUR;
}

/** Wall-clock New York time as a "fake UTC" ms value (read it with getUTC* methods). */
export function toNyWallMs(utcMs: number): number {
  return utcMs + nyOffsetMs(utcMs);
}

/** The UTC instant of a New York wall-clock time (not within an hour of a DST switch at 02:00). */
export function fromNyWallMs(wallMs: number): number {
  const guess = wallMs + 5 * HOUR;
  return wallMs - nyOffsetMs(guess);
}

/** Start (UTC ms) of the CME session that contains `utcMs`: the latest 18:00 New York at or before it. */
export function sessionStart(utcMs: number): number {
  const wall = toNyWallMs(utcMs);
  const wallDay = Math.floor(wall / DAY) * DAY;
  const startWall = wall >= wallDay + 18 * HOUR ? wallDay + 18 * HOUR : wallDay - 6 * HOUR;
  return fromNyWallMs(startWall);
}

/** Start of the session after the one containing `utcMs` (23, 24 or 25 hours later). */
export function nextSessionStart(utcMs: number): number {
  return sessionStart(sessionStart(utcMs) + 26 * HOUR);
}

/**
 * Tracks the session of a monotonically advancing time with one comparison per call; it only
 * recomputes at a boundary.
 */
export class SessionTracker {
  private start = Number.NEGATIVE_INFINITY;
  private next = Number.NEGATIVE_INFINITY;

  /** Start of the session after the one last returned by `at`. */
  get until(): number {
    return this.next;
  }

  /** The start of the session containing `utcMs`. */
  at(utcMs: number): number {
    if (utcMs >= this.next || utcMs < this.start) {
      this.start = sessionStart(utcMs);
      this.next = nextSessionStart(utcMs);
    }
    return this.start;
  }
}
