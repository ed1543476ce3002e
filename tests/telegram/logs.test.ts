import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { DESK, OWNER, TOKEN, telegramHarness, type TelegramHarness } from './helpers.ts';

let t: TelegramHarness;
beforeAll(async () => {
  t = await telegramHarness();
  await t.barsUntil(() => t.h.repos.trades.count() > 0, 'a closed trade');
});
afterAll(() => t.close());

describe('/logs', () => {
  test('shows the service’s newest log lines in a code block, escaped, newest last', async () => {
    const reply = await t.say(OWNER, DESK, '/logs 100');
    const kept = t.h.app.recentLogs(100);
    expect(kept.length).toBeGreaterThan(0);
    expect(reply.text).toContain('log line(s)</b>, newest last (secrets removed):');
    expect(reply.text).toContain('<pre>');
    // The oldest lines may not fit one message; the newest always comes last.
    expect(reply.text).toEndWith('</pre>');
    expect(reply.text).toContain(kept.at(-1)!.slice(0, 24));
    expect(reply.text).not.toContain(TOKEN);
  });

  test('a bad count is refused with an example', async () => {
    expect((await t.say(OWNER, DESK, '/logs lots')).text).toContain('n must be a whole number from 1 to 100');
    expect((await t.say(OWNER, DESK, '/logs 500')).text).toContain('n can be at most 100');
  });
});
