import { describe, expect, test } from 'bun:test';
import { HOUR, MINUTE, nextSessionStart, nyOffsetMs, SessionTracker, sessionStart } from '../../src/domain/session.ts';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('CME sessions start at 18:00 New York', () => {
  test('winter (EST, UTC−5): a Tuesday morning belongs to the session that opened Monday 23:00 UTC', () => {
    expect(iso(sessionStart(t('2026-01-06T14:30:00Z')))).toBe('2026-01-05T23:00:00.000Z');
    expect(iso(nextSessionStart(t('2026-01-06T14:30:00Z')))).toBe('2026-01-06T23:00:00.000Z');
  });

  test('summer (EDT, UTC−4): sessions open at 22:00 UTC', () => {
    expect(iso(sessionStart(t('2026-07-15T14:30:00Z')))).toBe('2026-07-14T22:00:00.000Z');
    expect(iso(nextSessionStart(t('2026-07-15T14:30:00Z')))).toBe('2026-07-15T22:00:00.000Z');
  });

  test('the boundary instant opens the new session; a millisecond before is the old one', () => {
    expect(iso(sessionStart(t('2026-01-06T23:00:00Z')))).toBe('2026-01-06T23:00:00.000Z');
    expect(iso(sessionStart(t('2026-01-06T23:00:00Z') - 1))).toBe('2026-01-05T23:00:00.000Z');
    expect(iso(sessionStart(t('2026-07-15T22:00:00Z') - 1))).toBe('2026-07-14T22:00:00.000Z');
  });

  test('New York offset: −5 h in winter, −4 h in summer', () => {
    expect(nyOffsetMs(t('2026-01-06T12:00:00Z'))).toBe(-5 * HOUR);
    expect(nyOffsetMs(t('2026-07-06T12:00:00Z'))).toBe(-4 * HOUR);
  });

  test('an evening after 18:00 New York already belongs to the next trading day', () => {
    // 2026-01-06 19:30 EST = 2026-01-07T00:30Z
    expect(iso(sessionStart(t('2026-01-07T00:30:00Z')))).toBe('2026-01-06T23:00:00.000Z');
  });
});

describe('DST switch days of 2026', () => {
  test('spring forward, Sunday 8 March (02:00 EST → 03:00 EDT): the session opening that evening is 23 h after the last', () => {
    // 02:00 EST = 07:00 UTC: from then on New York is UTC−4
    expect(nyOffsetMs(t('2026-03-08T06:59:59Z'))).toBe(-5 * HOUR);
    expect(nyOffsetMs(t('2026-03-08T07:00:00Z'))).toBe(-4 * HOUR);
    // Saturday 7 March 18:00 EST = 23:00 UTC; Sunday 8 March 18:00 EDT = 22:00 UTC
    for (const during of ['2026-03-08T06:30:00Z', '2026-03-08T07:30:00Z', '2026-03-08T21:59:00Z']) {
      expect(iso(sessionStart(t(during)))).toBe('2026-03-07T23:00:00.000Z');
      expect(iso(nextSessionStart(t(during)))).toBe('2026-03-08T22:00:00.000Z');
    }
    expect(iso(sessionStart(t('2026-03-08T22:00:00Z')))).toBe('2026-03-08T22:00:00.000Z');
    expect(nextSessionStart(t('2026-03-08T12:00:00Z')) - sessionStart(t('2026-03-08T12:00:00Z'))).toBe(23 * HOUR);
  });

  test('fall back, Sunday 1 November (02:00 EDT → 01:00 EST): the session opening that evening is 25 h after the last', () => {
    // 02:00 EDT = 06:00 UTC: from then on New York is UTC−5
    expect(nyOffsetMs(t('2026-11-01T05:59:59Z'))).toBe(-4 * HOUR);
    expect(nyOffsetMs(t('2026-11-01T06:00:00Z'))).toBe(-5 * HOUR);
    // Saturday 31 October 18:00 EDT = 22:00 UTC; Sunday 1 November 18:00 EST = 23:00 UTC
    for (const during of ['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z', '2026-11-01T22:59:00Z']) {
      expect(iso(sessionStart(t(during)))).toBe('2026-10-31T22:00:00.000Z');
      expect(iso(nextSessionStart(t(during)))).toBe('2026-11-01T23:00:00.000Z');
    }
    expect(iso(sessionStart(t('2026-11-01T23:00:00Z')))).toBe('2026-11-01T23:00:00.000Z');
    expect(nextSessionStart(t('2026-11-01T12:00:00Z')) - sessionStart(t('2026-11-01T12:00:00Z'))).toBe(25 * HOUR);
  });
});

describe('SessionTracker', () => {
  test('minute by minute across both 2026 DST weekends, it agrees with sessionStart at every minute', () => {
    for (const [from, to] of [
      ['2026-03-06T20:00:00Z', '2026-03-09T02:00:00Z'],
      ['2026-10-30T20:00:00Z', '2026-11-02T02:00:00Z'],
    ] as const) {
      const tracker = new SessionTracker();
      const starts = new Set<number>();
      for (let ms = t(from); ms < t(to); ms += MINUTE) {
        const s = tracker.at(ms);
        expect(s).toBe(sessionStart(ms));
        starts.add(s);
      }
      expect(starts.size).toBe(4); // Thursday's, Friday's, Saturday's and Sunday's 18:00 openings
    }
  });

  test('going back in time, it recomputes instead of keeping the later session', () => {
    const tracker = new SessionTracker();
    expect(iso(tracker.at(t('2026-01-07T14:30:00Z')))).toBe('2026-01-06T23:00:00.000Z');
    expect(iso(tracker.at(t('2026-01-06T14:30:00Z')))).toBe('2026-01-05T23:00:00.000Z');
  });
});
