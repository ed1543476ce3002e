import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { esc } from '../../src/telegram/format.ts';
import { DESK, DM, OWNER, TOKEN, telegramHarness, until, type TelegramHarness } from './helpers.ts';

let t: TelegramHarness;
beforeAll(async () => {
  // Fill alerts silent, trade alerts with sound; alert sends give up after 300 ms.
  t = await telegramHarness({ config: { telegram: { alerts: { fills: 'silent' } } }, tuning: { sendTimeoutMs: 300 } });
});
afterAll(() => t.close());

type Row = { id: number; kind: string; text: string };
const outboxRows = () => t.h.store.db.query<Row, []>('SELECT id, kind, text FROM outbox ORDER BY id').all();
const pending = () => t.h.repos.outbox.pendingCount();
/** The alerts a chat received, as the text the system raised (label line stripped). */
const received = (chatId: number) =>
  t.api
    .sentTo(chatId)
    .filter((m) => m.reply_to === undefined && !m.reply_markup)
    .map((m) => m.text.slice(m.text.indexOf('\n') + 1));
const attempts = (marker: string) => t.api.calls('sendMessage').filter((r) => r.body.includes(marker));

describe('alerts reach every allowed chat through the notifier’s outbox', () => {
  test('alerts raised by trading arrive in every allowed chat, once each, in the order raised', async () => {
    await t.barsUntil(() => t.h.app.tradeCount() >= 2, 'two closed trades');

    await t.pumpAlerts(() => pending() === 0, 'an empty outbox');

    const raised = outboxRows().map((r) => esc(r.text));
    expect(raised.length).toBeGreaterThanOrEqual(4);
    expect(received(DESK.id)).toEqual(raised);
    expect(received(DM.id)).toEqual(raised);
  });

  test('a kind set to silent goes out without a notification sound; others with one', () => {
    const desk = t.api.sentTo(DESK.id);
    const fills = desk.filter((m) => m.text.startsWith('<b>🟢 Fill</b>'));
    const trades = desk.filter((m) => m.text.startsWith('<b>💵 Trade closed</b>'));

    expect(fills.length).toBeGreaterThan(0);
    expect(trades.length).toBeGreaterThan(0);
    expect(fills.every((m) => m.disable_notification)).toBe(true);
    expect(trades.every((m) => !m.disable_notification)).toBe(true);
  });

  test('429: the retry waits at least retry_after, then the alert arrives once per chat', async () => {
    t.api.fail('sendMessage', { status: 429, retryAfter: 7 });

    t.alerts.alert('breaker', 'marker-429 <limit> & co');
    await t.pumpAlerts(() => pending() === 0, 'the rate-limited alert');

    const [refused, ...later] = attempts('marker-429');
    expect(refused!.status).toBe(429);
    expect(later.map((a) => a.status)).toEqual([200, 200]);
    expect(later[0]!.at - refused!.at).toBeGreaterThanOrEqual(7000);
    expect(received(DESK.id).filter((x) => x.includes('marker-429'))).toEqual(['marker-429 &lt;limit&gt; &amp; co']);
  });

  test('500: retried with backoff and delivered once per chat', async () => {
    t.api.fail('sendMessage', { status: 500, times: 2 });

    t.alerts.alert('connection', 'marker-500');
    await t.pumpAlerts(() => pending() === 0, 'the alert after two 500s');

    expect(attempts('marker-500').map((a) => a.status)).toEqual([500, 500, 200, 200]);
    expect(received(DESK.id).filter((x) => x === 'marker-500')).toHaveLength(1);
    expect(received(DM.id).filter((x) => x === 'marker-500')).toHaveLength(1);
  });

  test('Telegram down: trading goes on, alerts wait in order, and after recovery each arrives exactly once', async () => {
    await t.api.down();
    const trades = t.h.app.tradeCount();

    for (const n of [1, 2, 3]) t.alerts.alert('breaker', `marker-down-${n}`);
    await t.barsUntil(() => t.h.app.tradeCount() > trades, 'a trade while Telegram is down');
    await t.pumpAlerts(() => t.logs.some((l) => l.includes('alert_deferred') && l.includes('network error')), 'a failed send');
    expect(pending()).toBeGreaterThanOrEqual(3);

    t.api.up();
    await t.pumpAlerts(() => pending() === 0, 'the queued alerts after recovery');

    for (const chat of [DESK.id, DM.id]) expect(received(chat).filter((x) => x.startsWith('marker-down'))).toEqual(['marker-down-1', 'marker-down-2', 'marker-down-3']);
    // Polling recovered as well.
    expect((await t.say(OWNER, DM, '/ping')).text).toContain('pong');
  });

  test('Telegram slow: bars keep flowing while a send hangs; the alert arrives once when it answers again', async () => {
    t.api.slow('sendMessage', 1500);
    const lastBar = t.h.core.lastBar?.time ?? 0;

    t.alerts.alert('escalation', 'marker-slow');
    await t.h.bars(20);
    expect(t.h.core.lastBar!.time).toBeGreaterThan(lastBar);
    await t.pumpAlerts(() => attempts('marker-slow').length > 0, 'a send attempt');
    await t.pumpAlerts(() => t.logs.some((l) => l.includes('alert_deferred') && l.includes('timed out')), 'a timed-out send');

    t.api.slow('sendMessage', 0);
    await t.pumpAlerts(() => pending() === 0, 'the alert once Telegram is fast again');
    // The requests the bot gave up on are dropped unprocessed, as a proxy would: nothing arrives twice.
    await until(() => attempts('marker-slow').every((a) => a.status !== 0), 'every hung request to end');
    expect(attempts('marker-slow').filter((a) => a.status === 499).length).toBeGreaterThan(0);
    expect(received(DESK.id).filter((x) => x === 'marker-slow')).toHaveLength(1);
  });

  test('the token never appears in a request body or a log line, and every request carried it correctly', () => {
    expect(t.api.requests.length).toBeGreaterThan(10);
    expect(t.api.requests.every((r) => r.tokenOk)).toBe(true);
    expect(t.api.requests.filter((r) => r.body.includes(TOKEN))).toEqual([]);
    expect(t.logs.length).toBeGreaterThan(10);
    expect(t.logs.filter((l) => l.includes(TOKEN) || l.includes(TOKEN.split(':')[1]!))).toEqual([]);
  });
});
