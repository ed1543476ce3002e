import { describe, expect, test } from 'bun:test';
import * as v from 'valibot';
import { TradesArg } from '../../src/telegram/commands/pnl.ts';
import { nextSessionClose, sessionCloseWatch } from '../../src/telegram/daily-summary.ts';
import { FlattenConfirmations } from '../../src/telegram/flatten-confirm.ts';
import { esc, escClip, fitLines, usd } from '../../src/telegram/format.ts';
import { redactingLogger, redactor } from '../../src/telegram/redact.ts';
import { checkTelegramHtml } from '../../src/testing/fake-telegram-html.ts';
import { recordingLogger, TOKEN } from './helpers.ts';

describe('flatten confirmations', () => {
  const setup = () => {
    const clock = { ms: 1_000_000 };
    return { clock, c: new FlattenConfirmations(() => clock.ms) };
  };

  test('a nonce works once, for the user and chat that asked', () => {
    const { c } = setup();
    const nonce = c.issue(1, 10);

    expect(c.use(nonce, 2, 10, 'confirmed')).toEqual({ kind: 'wrong_user' });
    expect(c.use(nonce, 1, 11, 'confirmed')).toEqual({ kind: 'wrong_user' });
    expect(c.use(nonce, 1, 10, 'confirmed')).toEqual({ kind: 'ok' });
    expect(c.use(nonce, 1, 10, 'confirmed')).toEqual({ kind: 'used', as: 'confirmed' });
    expect(c.use(nonce, 1, 10, 'cancelled')).toEqual({ kind: 'used', as: 'confirmed' });
  });

  test('good for 60 s by the injected clock, expired after', () => {
    const { clock, c } = setup();
    const inTime = c.issue(1, 10);
    const late = c.issue(1, 10);

    clock.ms += 60_000;
    expect(c.use(inTime, 1, 10, 'confirmed')).toEqual({ kind: 'ok' });
    clock.ms += 1;
    expect(c.use(late, 1, 10, 'confirmed')).toEqual({ kind: 'expired' });
    expect(c.use(late, 1, 10, 'confirmed')).toEqual({ kind: 'used', as: 'expired' });
  });

  test('nonces are unguessable, distinct and fit in callback data', () => {
    const { c } = setup();
    const nonces = Array.from({ length: 100 }, () => c.issue(1, 10));

    expect(new Set(nonces).size).toBe(100);
    for (const n of nonces) expect(`flatten:yes:${n}`.length).toBeLessThanOrEqual(64);
    expect(c.use('made-up-nonce', 1, 10, 'confirmed')).toEqual({ kind: 'unknown' });
  });
});

describe('formatting', () => {
  test('esc makes any outside value inert in Telegram HTML', () => {
    const hostile = `</b><a href="https://evil">x</a> & "q" 'a'`;

    expect(esc(hostile)).toBe('&lt;/b&gt;&lt;a href=&quot;https://evil&quot;&gt;x&lt;/a&gt; &amp; &quot;q&quot; \'a\'');
    expect(() => checkTelegramHtml(`<b>${esc(hostile)}</b>`)).not.toThrow();
  });

  test('escClip and fitLines keep a message within Telegram’s limit without cutting an entity or tag', () => {
    const clipped = escClip('&'.repeat(5000), 100);
    expect(clipped.length).toBeLessThanOrEqual(100);
    expect(clipped).toMatch(/^(&amp;)+…$/);

    const text = fitLines('<b>head</b>', Array.from({ length: 200 }, (_, i) => `<b>line ${i}</b> ${'x'.repeat(40)}`));
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/… \d+ more not shown$/);
    expect(() => checkTelegramHtml(text)).not.toThrow();
  });

  test('dollars carry their sign', () => {
    expect([usd(1234.5), usd(-12), usd(0), usd(null)]).toEqual(['+$1,234.50', '-$12.00', '$0.00', 'n/a']);
  });
});

describe('/trades argument', () => {
  test.each([
    ['', 10],
    [' 7 ', 7],
    ['1', 1],
    ['50', 50],
  ])('%p → %p', (arg, n) => expect(v.parse(TradesArg, arg)).toBe(n));

  test.each(['0', '51', '-3', '2.5', 'ten', '1e1', '9999'])('%p is refused', (arg) => expect(v.safeParse(TradesArg, arg).success).toBe(false));
});

describe('the session close the daily summary waits for', () => {
  test('17:00 New York in winter and in summer, the next day after 17:00, Monday after Friday', () => {
    expect(new Date(nextSessionClose(Date.parse('2026-01-06T15:00:00Z'))).toISOString()).toBe('2026-01-06T22:00:00.000Z');
    expect(new Date(nextSessionClose(Date.parse('2026-07-07T15:00:00Z'))).toISOString()).toBe('2026-07-07T21:00:00.000Z');
    expect(new Date(nextSessionClose(Date.parse('2026-01-06T22:30:00Z'))).toISOString()).toBe('2026-01-07T22:00:00.000Z');
    expect(new Date(nextSessionClose(Date.parse('2026-01-09T22:00:00Z'))).toISOString()).toBe('2026-01-12T22:00:00.000Z');
  });

  test('the watch reports each close once, the latest after a gap, nothing before the first bar', () => {
    let t: number | null = null;
    const watch = sessionCloseWatch(() => t);

    expect(watch.check()).toBeNull();
    t = Date.parse('2026-01-06T21:58:00Z');
    expect(watch.check()).toBeNull();
    t = Date.parse('2026-01-06T22:00:00Z');
    expect(watch.check()).toBe(Date.parse('2026-01-06T22:00:00Z'));
    expect(watch.check()).toBeNull();
    t = Date.parse('2026-01-09T15:00:00Z');
    expect(watch.check()).toBe(Date.parse('2026-01-08T22:00:00Z'));
  });

  test('a first look at the session’s last bar still reports that close', () => {
    const watch = sessionCloseWatch(() => Date.parse('2026-01-06T22:00:00Z'));

    expect(watch.check()).toBe(Date.parse('2026-01-06T22:00:00Z'));
    expect(watch.check()).toBeNull();
  });
});

describe('the token stays out of logs', () => {
  test('every string field is redacted', () => {
    const { lines, log } = recordingLogger();
    const safe = redactingLogger(log, redactor(TOKEN));

    safe.error('telegram.failed', { error: `GET http://127.0.0.1/bot${TOKEN}/getMe refused`, n: 1 });

    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('/bot***/getMe');
    expect(lines[0]).not.toContain(TOKEN);
  });
});

describe('the fake Bot API parses HTML as strictly as Telegram', () => {
  test.each(['a < b', 'a > b', 'R&D', '<b>open', '<b><i>x</b></i>', '<script>x</script>'])('%p is refused', (text) => expect(() => checkTelegramHtml(text)).toThrow("can't parse entities"));
  test('escaped text and the supported tags pass', () => expect(() => checkTelegramHtml('<b>a &lt; b</b> <i>&amp;</i> <code>x</code> &#39;')).not.toThrow());
});
