import { describe, expect, test } from 'bun:test';
import { HOUR, MINUTE, fromNyWallMs, toNyWallMs } from '../../src/domain/session.ts';
import { barTimes, checkStepMinutes, isMarketOpen, nextClose, nextOpen, openSegments } from '../../src/market/calendar.ts';
import { holidayOn } from '../../src/market/holidays.ts';
import { globexOpenByIntl, nyWall } from './ny-clock.ts';

/** The instant is on a holiday's New York day, or in the evening before it (that session's start). */
function touchesHoliday(t: number): boolean {
  const day = Math.floor(toNyWallMs(t) / 86_400_000);
  return holidayOn(day) !== undefined || holidayOn(day + 1) !== undefined;
}

/** UTC ms of a New York wall-clock time. */
const ny = (y: number, mo: number, d: number, h: number, mi = 0) => fromNyWallMs(Date.UTC(y, mo - 1, d, h, mi));
const iso = (t: number) => new Date(t).toISOString();

describe('isMarketOpen', () => {
  test('the weekend is closed from Friday 17:00 to Sunday 18:00 New York', () => {
    expect(isMarketOpen(ny(2026, 1, 9, 16, 59))).toBe(true);
    expect(isMarketOpen(ny(2026, 1, 9, 17, 0))).toBe(false);
    expect(isMarketOpen(ny(2026, 1, 10, 12))).toBe(false);
    expect(isMarketOpen(ny(2026, 1, 11, 17, 59))).toBe(false);
    expect(isMarketOpen(ny(2026, 1, 11, 18, 0))).toBe(true);
  });

  test('Monday to Thursday halt from 17:00 to 18:00', () => {
    for (const day of [5, 6, 7, 8]) {
      expect(isMarketOpen(ny(2026, 1, day, 16, 59))).toBe(true);
      expect(isMarketOpen(ny(2026, 1, day, 17, 0))).toBe(false);
      expect(isMarketOpen(ny(2026, 1, day, 17, 59))).toBe(false);
      expect(isMarketOpen(ny(2026, 1, day, 18, 0))).toBe(true);
    }
  });

  test('agrees with the Intl time-zone database every 15 minutes through 2026, holidays aside', () => {
    const disagreements: string[] = [];
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 15 * MINUTE) {
      if (touchesHoliday(t)) continue;
      if (isMarketOpen(t) !== globexOpenByIntl(t)) disagreements.push(iso(t));
    }
    expect(disagreements).toEqual([]);
  });
});

describe('nextOpen and nextClose', () => {
  test('an open instant is its own next open', () => {
    const t = ny(2026, 1, 6, 10, 30);
    expect(nextOpen(t)).toBe(t);
  });

  test('the daily halt reopens at 18:00 the same day', () => {
    expect(iso(nextOpen(ny(2026, 1, 6, 17, 20)))).toBe('2026-01-06T23:00:00.000Z');
  });

  test('Friday evening and Saturday reopen on Sunday 18:00', () => {
    expect(iso(nextOpen(ny(2026, 1, 9, 17)))).toBe('2026-01-11T23:00:00.000Z');
    expect(iso(nextOpen(ny(2026, 1, 10, 9)))).toBe('2026-01-11T23:00:00.000Z');
    expect(iso(nextOpen(ny(2026, 1, 11, 3)))).toBe('2026-01-11T23:00:00.000Z');
  });

  test('across the March switch to daylight time the weekend is one hour shorter in UTC', () => {
    const fridayClose = nextClose(ny(2026, 3, 6, 12));
    expect(iso(fridayClose)).toBe('2026-03-06T22:00:00.000Z');
    const sundayOpen = nextOpen(fridayClose);
    expect(iso(sundayOpen)).toBe('2026-03-08T22:00:00.000Z');
    expect(sundayOpen - fridayClose).toBe(48 * HOUR);
  });

  test('across the November switch to standard time the weekend is one hour longer in UTC', () => {
    const fridayClose = nextClose(ny(2026, 10, 30, 12));
    expect(iso(fridayClose)).toBe('2026-10-30T21:00:00.000Z');
    const sundayOpen = nextOpen(fridayClose);
    expect(iso(sundayOpen)).toBe('2026-11-01T23:00:00.000Z');
    expect(sundayOpen - fridayClose).toBe(50 * HOUR);
  });

  test('a Sunday evening session closes Monday 17:00', () => {
    expect(iso(nextClose(ny(2026, 1, 4, 18)))).toBe('2026-01-05T22:00:00.000Z');
  });
});

describe('openSegments', () => {
  test('a week is five 23-hour sessions from Sunday 18:00 to Friday 17:00', () => {
    const segs = openSegments(ny(2026, 1, 3, 12), 5);
    expect(segs.map((s) => (s.close - s.open) / HOUR)).toEqual([23, 23, 23, 23, 23]);
    expect(iso(segs[0]!.open)).toBe('2026-01-04T23:00:00.000Z');
    expect(iso(segs[4]!.close)).toBe('2026-01-09T22:00:00.000Z');
  });

  test('a start inside a session gives a partial first segment', () => {
    const [first] = openSegments(ny(2026, 1, 6, 16), 1);
    expect((first!.close - first!.open) / HOUR).toBe(1);
  });
});

describe('barTimes', () => {
  const weekBars = (from: number, to: number) => [...barTimes(from, to)];

  for (const [name, from, to] of [
    ['March (daylight time starts Sunday 8th)', ny(2026, 3, 5, 12), ny(2026, 3, 11, 12)],
    ['November (standard time returns Sunday 1st)', ny(2026, 10, 29, 12), ny(2026, 11, 4, 12)],
  ] as const) {
    test(`in a ${name} switch week every bar is open by the Intl clock and every open minute has a bar`, () => {
      const times = weekBars(from, to);
      expect(times.every(globexOpenByIntl)).toBe(true);
      let openMinutes = 0;
      for (let t = from; t < to; t += MINUTE) if (globexOpenByIntl(t)) openMinutes++;
      expect(times.length).toBe(openMinutes);
      expect(new Set(times).size).toBe(times.length);
    });

    test(`in a ${name} switch week sessions start at 18:00 and end at 16:59 New York`, () => {
      const times = weekBars(from, to);
      const starts = times.filter((t, i) => i > 0 && t - times[i - 1]! > MINUTE).map(nyWall);
      expect(starts.length).toBeGreaterThan(2);
      expect(starts.every((w) => w.hour === 18 && w.minute === 0)).toBe(true);
      const ends = times.filter((t, i) => i + 1 < times.length && times[i + 1]! - t > MINUTE).map(nyWall);
      expect(ends.every((w) => w.hour === 16 && w.minute === 59)).toBe(true);
    });
  }

  test('no bars over a weekend', () => {
    expect(weekBars(ny(2026, 1, 9, 17), ny(2026, 1, 11, 18))).toEqual([]);
  });

  test('5-minute bars sit on 5-minute clock boundaries', () => {
    const times = [...barTimes(ny(2026, 1, 6, 16, 2), ny(2026, 1, 6, 18, 30), 5)];
    expect(times.map((t) => nyWall(t)).map((w) => `${w.hour}:${w.minute}`)).toEqual([
      '16:5', '16:10', '16:15', '16:20', '16:25', '16:30', '16:35', '16:40', '16:45', '16:50', '16:55', '18:0', '18:5', '18:10', '18:15', '18:20', '18:25',
    ]);
  });

  test('a bar length that does not divide an hour is refused', () => {
    expect(() => checkStepMinutes(7)).toThrow(/dividing 60/);
    expect(() => [...barTimes(0, HOUR, 0)]).toThrow(RangeError);
  });
});
