import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { runBacktest } from '../../src/backtest/run.ts';
import { engineSettings } from '../../src/config/to-engine.ts';
import { simulateBars } from '../../src/market/simulator.ts';
import { zscoreStrategy } from '../../src/strategy/zscore.ts';
import { usd } from '../../src/telegram/format.ts';
import { DESK, DM, OWNER, PARTNER, telegramHarness, type TelegramHarness } from './helpers.ts';

let t: TelegramHarness;
beforeAll(async () => {
  t = await telegramHarness();
  // A few closed trades and an open position, so the replies have something to show.
  await t.barsUntil(() => t.h.app.tradeCount() >= 3 && t.h.core.engine.state.position !== null, 'trades and an open position');
});
afterAll(() => t.close());

const ask = (text: string, chat = DM, from = OWNER) => t.say(from, chat, text);

describe('every command answers with what the operator needs', () => {
  test('/start and /help say what the bot is and list every command', async () => {
    for (const command of ['/start', '/help']) {
      const reply = await ask(command);
      expect(reply.parse_mode).toBe('HTML');
      expect(reply.text).toContain('automated MES futures trading');
      for (const c of ['/status', '/pnl', '/daily', '/weekly', '/trades', '/backtests', '/ping', '/pause', '/resume', '/flatten', '/reset', '/help']) expect(reply.text).toContain(c);
    }
  });

  test('/status shows mode, connection, trading state, position, today’s P&L and the breaker', async () => {
    const s = t.h.app.status();
    const pos = s.position!;

    const reply = await ask('/status');

    expect(reply.text).toContain('mode <b>sim</b>');
    expect(reply.text).toContain(`Connection: ${s.connection}`);
    expect(reply.text).toContain('Trading: <b>ACTIVE</b>');
    expect(reply.text).toContain(`<b>${pos.side} ${pos.qty} MES</b> @ ${pos.entryPrice.toFixed(2)}`);
    expect(reply.text).toContain(`stop ${pos.stop.toFixed(2)}`);
    expect(reply.text).toContain(`Today: <b>${usd(s.pnl.today.total)}</b>`);
    expect(reply.text).toContain('Breaker: closed');
  });

  test('/pnl shows today, this week and since start', async () => {
    const p = t.h.app.pnl();

    const reply = await ask('/pnl');

    expect(reply.text).toContain(`Today: <b>${usd(p.today.total)}</b>`);
    expect(reply.text).toContain(`This week (realised): ${usd(p.week)}`);
    expect(reply.text).toContain(`Since start (realised): ${usd(p.sinceStart)}`);
  });

  test('/trades lists the 10 latest by default, newest first, and /trades 2 two', async () => {
    const recent = t.h.app.trades({ limit: 10 });

    const all = await ask('/trades');
    const two = await ask('/trades 2');

    expect(all.text).toContain(`Last ${recent.length} trade(s)`);
    expect(all.text.split('\n')).toHaveLength(recent.length + 1);
    expect(all.text.split('\n')[1]).toContain(usd(recent[0]!.pnlCents / 100));
    expect(two.text).toContain('Last 2 trade(s)');
    expect(two.text.split('\n')).toHaveLength(3);
  });

  test('/trades refuses n outside 1–50 or not a number, quoting it escaped', async () => {
    expect((await ask('/trades 0')).text).toContain('n must be at least 1');
    expect((await ask('/trades 51')).text).toContain('n can be at most 50');
    const bad = await ask('/trades <b>x</b>');
    expect(bad.text).toContain('n must be a whole number from 1 to 50');
    expect(bad.text).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect((await ask('/trades 50')).text).toContain('trade(s)');
  });

  test('/backtests shows the latest stored runs with headline metrics, notes escaped', async () => {
    const series = simulateBars({ days: 2, seed: 3, regime: 'volatile', startPrice: 5000 });
    const result = runBacktest({ series, strategy: zscoreStrategy, params: { lookback: 20, entry: 2, exit: 0.5 }, settings: engineSettings(t.h.config) });
    const id = t.h.repos.runs.saveBacktest({ result, settings: {}, dataSource: 'simulated', createdAt: t.clock.now(), note: 'entry <2> & "exit"' });

    const reply = await ask('/backtests');

    expect(reply.text).toContain(`#${id} backtest</b> zscore`);
    expect(reply.text).toContain(`net <b>${usd(result.metrics.netPnl)}</b> · ${result.metrics.trades} trades`);
    expect(reply.text).toContain('Sharpe');
    expect(reply.text).toContain('<i>entry &lt;2&gt; &amp; &quot;exit&quot;</i>');
  });

  test('/ping reports how old the message was and how long the service has run', async () => {
    const reply = await ask('/ping');

    expect(reply.text).toContain('<b>pong</b> · your message reached me after 4.0 s');
    expect(reply.text).toMatch(/Service up \d+s · connection ready/);
  });

  test('/pause stops new entries, /resume allows them again; both audited under the user id', async () => {
    const paused = await ask('/pause', DESK, PARTNER);
    expect(paused.text).toContain('✅ paused: no new entries');
    expect(t.h.core.engine.state.paused).toBe(true);
    expect((await ask('/pause', DESK, PARTNER)).text).toContain('already paused');

    const resumed = await ask('/resume', DESK, PARTNER);
    expect(resumed.text).toContain('✅ resumed');
    expect(t.h.core.engine.state.paused).toBe(false);
    const audit = t.h.repos.audit.recent(3).map((a) => [a.source, a.principal, a.command, a.ok]);
    expect(audit).toEqual([
      ['telegram', String(PARTNER.id), 'resume', true],
      ['telegram', String(PARTNER.id), 'pause', true],
      ['telegram', String(PARTNER.id), 'pause', true],
    ]);
  });

  test('an unknown command gets a short hint, plain text in a private chat too', async () => {
    expect((await ask('/sell_everything')).text).toBe('Unknown command /sell_everything. Send /help for the list.');
    expect((await ask('hello?')).text).toBe('Send /help for the list of commands.');
  });

  test('in a group, other bots’ commands and plain talk get no answer', async () => {
    const ignored = [t.api.say(OWNER, DESK, '/status@some_other_bot'), t.api.say(OWNER, DESK, 'lunch?')].map((m) => m.message_id);
    const reply = await ask('/help@qs_test_bot', DESK);

    expect(reply.text).toContain('/flatten');
    // Updates are handled in order: had the bot answered the first two, it would have by now.
    expect(t.api.sentTo(DESK.id).filter((m) => ignored.includes(m.reply_to!))).toEqual([]);
  });
});
