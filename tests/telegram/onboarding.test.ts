import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { loadConfig } from '../../src/config/load.ts';
import { DM, OWNER, telegramHarness, type TelegramHarness } from './helpers.ts';

describe('onboarding: telegram enabled with empty allow-lists', () => {
  test('the config loads (warnings, no errors), so the service can start', () => {
    const { issues } = loadConfig({ overrides: [['telegram.enabled', 'true']], env: { TELEGRAM_BOT_TOKEN: '7000000001:AAE-test' } });
    expect(issues.filter((i) => i.level === 'error')).toEqual([]);
    expect(issues.map((i) => `${i.level} ${i.path}`)).toEqual(['warning telegram.allowedUserIds', 'warning telegram.allowedChatIds']);
  });

  let t: TelegramHarness;
  beforeAll(async () => {
    t = await telegramHarness({ allow: { users: [], chats: [] } });
    await t.barsUntil(() => t.h.core.engine.state.position !== null, 'an open position');
  });
  afterAll(() => t.close());

  test('/start is answered only with the sender’s ids', async () => {
    const reply = await t.say(OWNER, DM, '/start');
    expect(reply.text).toBe(`Not authorised — user id <b>${OWNER.id}</b>, chat id <b>${DM.id}</b>. Nothing was done.`);
  });

  test('every command acts on nothing: no status, no pause, no flatten prompt', async () => {
    for (const command of ['/status', '/pnl', '/pause', '/flatten', '/reset', '/logs']) {
      const reply = await t.say(OWNER, DM, command);
      expect(reply.text).toStartWith('Not authorised — user id');
      expect(reply.reply_markup).toBeUndefined();
    }
    expect(t.h.core.engine.state.paused).toBe(false);
    expect(t.h.core.engine.state.position).not.toBeNull();
    const audit = t.h.repos.audit.recent(20);
    expect(audit.filter((a) => a.ok)).toEqual([]);
    expect(audit.filter((a) => a.command === '/pause' && !a.ok)).toHaveLength(1);
  });

  test('alerts (fills, trades) go to no chat', async () => {
    const trades = t.h.repos.trades.count();
    await t.barsUntil(() => t.h.repos.trades.count() > trades, 'a closed trade');
    for (let i = 0; i < 10; i++) {
      t.h.clock.increment(1000);
      await Bun.sleep(15);
    }
    expect(t.api.messages.filter((m) => m.reply_to === undefined)).toEqual([]);
  });
});
