import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { sessionStart } from '../../src/domain/session.ts';
import { esc, usd } from '../../src/telegram/format.ts';
import { DESK, telegramHarness, type TelegramHarness } from './helpers.ts';

/** The warm-up ends at 14:00 New York on Monday 2026-01-05: 180 live bars (and some trades) reach the 17:00 close. */
const WARMUP = 1200;
const CLOSE = Date.parse('2026-01-05T22:00:00Z');

let t: TelegramHarness;
beforeAll(async () => {
  t = await telegramHarness({ warmup: WARMUP });
});
afterAll(() => t.close());

describe('the daily summary', () => {
  test('goes out as an alert when the market passes the 17:00 New York close, with the session’s trades and P&L', async () => {
    await t.barsUntil(() => (t.h.core.lastBar?.time ?? 0) + 60_000 >= CLOSE, 'the last bar of the session');
    const summary = await t.pumpAlerts(() => t.api.sentTo(DESK.id).find((m) => m.text.startsWith('<b>📊 Daily summary</b>')), 'the daily summary');

    const trades = t.h.app.trades({ limit: 500 }).filter((x) => x.sessionStart === sessionStart(CLOSE - 1));
    const net = trades.reduce((a, x) => a + x.pnlCents, 0) / 100;
    expect(trades.length).toBeGreaterThan(0);
    expect(summary.text).toContain('Session Sun 2026-01-04 18:00 New York → Mon 2026-01-05 17:00 New York (17:00 New York close)');
    expect(summary.text).toContain(esc(`Trades: ${trades.length} (`));
    expect(summary.text).toContain(`net ${usd(net)}`);
    expect(summary.text).toContain(`Trading: ${t.h.app.status().trading.kind}`);
  });

  test('is sent once per close', async () => {
    await t.h.bars(5);
    await t.pumpAlerts(() => t.h.repos.outbox.pendingCount() === 0, 'an empty outbox');

    expect(t.api.sentTo(DESK.id).filter((m) => m.text.startsWith('<b>📊 Daily summary</b>'))).toHaveLength(1);
  });
});
