import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { isoToNewYork, nyTime } from '../../src/telegram/format.ts';
import { DESK, telegramHarness, type TelegramHarness } from './helpers.ts';

describe('times the bot shows are New York time with the date', () => {
  test('winter (EST, UTC−5) and summer (EDT, UTC−4)', () => {
    expect(nyTime(Date.parse('2026-01-05T14:30:00Z'))).toBe('Mon 2026-01-05 09:30 New York');
    expect(nyTime(Date.parse('2026-07-06T22:00:00Z'))).toBe('Mon 2026-07-06 18:00 New York');
    expect(nyTime(null)).toBe('n/a');
  });

  test('raw ISO times inside an alert text are rewritten', () => {
    expect(isoToNewYork('cooldown until 2026-01-05T15:00:00.000Z, then trading')).toBe('cooldown until Mon 2026-01-05 10:00 New York, then trading');
  });

  let t: TelegramHarness;
  beforeAll(async () => {
    t = await telegramHarness();
  });
  afterAll(() => t.close());

  test('an alert carries its sending time in New York time, and no raw ISO time', async () => {
    t.alerts.alert('breaker', 'Breaker cooldown after 3 losses until 2026-01-06T16:30:00.000Z');
    const sent = await t.pumpAlerts(() => t.alertTexts().find((x) => x.includes('Breaker cooldown')), 'the breaker alert');
    expect(sent).toStartWith('<b>🛑 Circuit breaker</b> · Tue 2026-01-06 10:00 New York\n');
    expect(sent).toContain('until Tue 2026-01-06 11:30 New York');
    expect(sent).not.toMatch(/\dT\d\d:\d\d/);
  });
});
