import { afterEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock, waitFor } from 'xstate';
import { SimBroker } from '../../src/broker/sim/broker.ts';
import { memoryVenueStore } from '../../src/broker/sim/venue-state.ts';
import { parseConfig } from '../../src/config/schema.ts';
import { startService, type Service } from '../../src/service/service.ts';
import { FakeTelegramApi } from '../../src/testing/fake-telegram-api.ts';
import { DM, OWNER, recordingLogger, TOKEN, until } from './helpers.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** The service as `bun run start` builds it, on the paper exchange, with Telegram switched on. */
async function serviceWithTelegram(api: FakeTelegramApi, token: string | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'qs-tg-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const config = parseConfig({ store: { path: join(dir, 'qs.db') }, telegram: { enabled: true, allowedUserIds: [OWNER.id], allowedChatIds: [DM.id], apiRoot: api.apiRoot } }, 'test');
  const broker = new SimBroker({ seed: 1, regime: config.sim.regime, startPrice: 5000, barMinutes: 1, barIntervalMs: 0, slippageTicks: 1, commissionPerContract: 0.62, venueState: memoryVenueStore(), warmup: 100 });
  const { lines, log } = recordingLogger();
  const clock = new SimulatedClock();
  const service: Service = await startService({ config, secrets: token ? { telegramBotToken: token } : {}, log, clock, broker, web: false, warmupBars: 100 });
  cleanup.push(() => service.shutdown('test'));
  await waitFor(service.system.get('strategy')!, (s) => s.matches('ready') || s.matches('paused'), { timeout: 5_000 });
  return { service, clock, lines };
}

describe('the service starts the bot when Telegram is enabled and a token is set', () => {
  test('commands are answered, alerts arrive, and shutdown stops polling before the store closes', async () => {
    const api = await FakeTelegramApi.start({ token: TOKEN });
    cleanup.push(() => api.stop());
    const { service, clock, lines } = await serviceWithTelegram(api, TOKEN);

    expect((await sayTo(api, '/ping')).text).toContain('pong');
    service.repos.outbox.enqueue({ kind: 'breaker', text: 'wired' }, clock.now());
    service.system.send('notifier', { type: 'OutboxChanged' });
    await until(() => api.sentTo(DM.id).find((m) => m.text.endsWith('\nwired')), 'the alert');

    await service.shutdown('test');
    const polls = api.calls('getUpdates').length;
    api.say(OWNER, DM, '/status');
    await Bun.sleep(50);

    expect(api.calls('getUpdates')).toHaveLength(polls);
    const order = ['telegram.stopped', 'service.stopped'].map((e) => lines.findIndex((l) => l.includes(` ${e}`)));
    expect(order[0]).toBeGreaterThan(-1);
    expect(order[0]).toBeLessThan(order[1]!);
    expect(lines.filter((l) => l.includes(TOKEN))).toEqual([]);
  });

  test('without a token the bot stays off and never calls the API', async () => {
    const api = await FakeTelegramApi.start({ token: TOKEN });
    cleanup.push(() => api.stop());

    const { service } = await serviceWithTelegram(api, undefined);
    await service.shutdown('test');

    expect(api.requests).toEqual([]);
  });

  test('Telegram down at start delays neither the start nor the shutdown', async () => {
    const api = await FakeTelegramApi.start({ token: TOKEN });
    cleanup.push(() => api.stop());
    await api.down();

    const { service, lines } = await serviceWithTelegram(api, TOKEN);
    await service.shutdown('test');

    expect(lines.some((l) => l.includes('service.stopped'))).toBe(true);
    expect(lines.filter((l) => l.includes(TOKEN))).toEqual([]);
    // Nothing keeps retrying behind the stopped service's back.
    api.up();
    await Bun.sleep(200);
    expect(api.requests).toEqual([]);
  });
});

async function sayTo(api: FakeTelegramApi, text: string) {
  const asked = api.say(OWNER, DM, text);
  return until(() => api.sentTo(DM.id).find((m) => m.reply_to === asked.message_id), `a reply to ${text}`);
}
