import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { BotMessage, FakeUser } from '../../src/testing/fake-telegram-api.ts';
import { DESK, OWNER, PARTNER, telegramHarness, until, type TelegramHarness } from './helpers.ts';

let t: TelegramHarness;
beforeAll(async () => {
  // A daily loss limit of two stops: the breaker halts within a few trades.
  t = await telegramHarness({ config: { risk: { stopLossPerContract: 25, takeProfitPerContract: 40, dailyLossLimit: 50, maxDrawdown: 100_000, maxHoldMinutes: 12 } } });
  await t.barsUntil(() => t.h.app.status().trading.kind === 'HALTED', 'a daily-loss halt', 6000);
});
afterAll(() => t.close());

const button = (prompt: BotMessage, label: string) => prompt.reply_markup!.inline_keyboard.flat().find((b) => b.text === label)!.callback_data!;
async function tap(user: FakeUser, prompt: BotMessage, data: string) {
  const id = t.api.tap(user, prompt, data);
  return until(() => t.api.answers.find((a) => a.callback_query_id === id), 'the answer to a tap');
}
const edited = (prompt: BotMessage, edits = 1) => until(() => t.api.messages.find((m) => m.message_id === prompt.message_id && m.edits >= edits), 'the edited prompt');

describe('/reset needs a second tap by the same user, like /flatten', () => {
  test('the prompt names the halt and offers "Reset now" and "Cancel"; nothing changes yet', async () => {
    const prompt = await t.say(OWNER, DESK, '/reset');
    expect(prompt.text).toContain('Reset the circuit breaker');
    expect(prompt.text).toContain('HALTED');
    expect(prompt.reply_markup!.inline_keyboard.flat().map((b) => b.text)).toEqual(['Reset now', 'Cancel']);
    expect(t.h.app.status().trading.kind).toBe('HALTED');
  });

  test('another user tapping "Reset now" does nothing and is audited', async () => {
    const prompt = await t.say(OWNER, DESK, '/reset');
    const answer = await tap(PARTNER, prompt, button(prompt, 'Reset now'));
    expect(answer.text).toContain('Only the user who sent /reset');
    expect(t.h.app.status().trading.kind).toBe('HALTED');
    expect(t.h.repos.audit.recent(1)[0]).toMatchObject({ command: 'resetBreaker', ok: false, principal: String(PARTNER.id) });
  });

  test('Cancel does nothing', async () => {
    const prompt = await t.say(OWNER, DESK, '/reset');
    await tap(OWNER, prompt, button(prompt, 'Cancel'));
    expect((await edited(prompt)).text).toBe('Reset cancelled: nothing was done.');
    expect(t.h.app.status().trading.kind).toBe('HALTED');
  });

  test('the asker confirming closes the breaker, once: a second tap is refused', async () => {
    const prompt = await t.say(OWNER, DESK, '/reset');
    const yes = button(prompt, 'Reset now');
    await tap(OWNER, prompt, yes);
    const done = await edited(prompt);
    expect(done.text).toContain('breaker reset (was halted)');
    await until(() => t.h.app.status().trading.kind !== 'HALTED', 'the halt to clear');
    expect(t.h.repos.audit.recent(10).filter((a) => a.command === 'resetBreaker' && a.ok)).toHaveLength(1);
    const again = await tap(OWNER, prompt, yes);
    expect(again.text).toContain('already confirmed');
    expect(t.h.repos.audit.recent(10).filter((a) => a.command === 'resetBreaker' && a.ok)).toHaveLength(1);
  });
});

describe('/daily and /weekly', () => {
  test('/daily lists today and each session’s realised P&L with its New York trading day', async () => {
    const reply = await t.say(OWNER, DESK, '/daily');
    const sessions = t.h.app.dailyPnl(7);
    expect(sessions.length).toBeGreaterThan(0);
    expect(reply.text).toStartWith('<b>Daily P&amp;L</b>');
    expect(reply.text).toContain('Today so far:');
    const first = sessions[0]!;
    const sign = first.realised < 0 ? '-' : first.realised > 0 ? '+' : '';
    expect(reply.text).toContain(`${first.day}: <b>${sign}$${Math.abs(first.realised).toFixed(2)}</b> · ${first.trades} trade(s)`);
    expect(first.day).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  test('/weekly sums the sessions of each week and shows since start', async () => {
    const reply = await t.say(OWNER, DESK, '/weekly');
    const weeks = t.h.app.weeklyPnl(4);
    expect(weeks.length).toBeGreaterThan(0);
    const sum = t.h.app.dailyPnl(35).reduce((a, s) => a + s.realised, 0);
    expect(weeks.reduce((a, w) => a + w.realised, 0)).toBeCloseTo(sum, 2);
    expect(reply.text).toContain(`Week of ${weeks[0]!.weekOf}:`);
    expect(reply.text).toContain('Since start:');
  });
});
