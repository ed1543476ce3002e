/**
 * An independent New York clock for tests: Intl's time-zone database instead of the hand-written
 * DST rule in src/domain/session.ts, so the calendar is checked against a second implementation.
 */
const format = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export interface NyWall {
  readonly dow: number;
  readonly hour: number;
  readonly minute: number;
}

export function nyWall(utcMs: number): NyWall {
  let dow = -1;
  let hour = -1;
  let minute = -1;
  for (const p of format.formatToParts(utcMs)) {
    if (p.type === 'weekday') dow = DAYS.indexOf(p.value);
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { dow, hour, minute };
}

/** CME Globex for MES: Sunday 18:00 to Friday 17:00 New York, halted 17:00–18:00 on weekdays. */
export function globexOpenByIntl(utcMs: number): boolean {
  const { dow, hour } = nyWall(utcMs);
  if (dow === 6) return false;
  if (dow === 0) return hour >= 18;
  if (dow === 5) return hour < 17;
  return hour !== 17;
}
