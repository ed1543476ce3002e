import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test';
import type { BotMessage, FakeUser } from '../../src/testing/fake-telegram-api.ts';
import { DESK, OWNER, PARTNER, telegramHarness, until, type TelegramHarness } from './helpers.ts';

let t: TelegramHarness;
beforeAll(async () => {
  t = await telegramHarness();
});
afterAll(() => t.close());

/** Trading resumed and a position open, whatever the test before left behind. */
beforeEach(async () => {
  // Time passes between tests: the facade names each flatten's exit order after the clock's ms.
  t.h.clock.increment(1000);
  if (t.h.core.engine.state.paused) await t.say(OWNER, DESK, '/resume');
  await t.barsUntil(() => t.h.core.engine.state.position !== null, 'an open position');
});

/** Read before tapping: the bot's edit takes the buttons off the message. */
const button = (prompt: BotMessage, label: 'Flatten now' | 'Cancel') => prompt.reply_markup!.inline_keyboard.flat().find((b) => b.text === label)!.callback_data!;

async function tap(user: FakeUser, prompt: BotMessage, data: string) {
  const id = t.api.tap(user, prompt, data);
  return until(() => t.api.answers.find((a) => a.callback_query_id === id), 'the answer to a tap');
}

/** The prompt once the bot has edited it (the edit follows the answer to the tap). */
const edited = (prompt: BotMessage) => until(() => t.api.messages.find((m) => m.message_id === prompt.message_id && m.edits > 0), 'the edited prompt');

const flattens = () => t.h.repos.audit.recent(100).filter((a) => a.command === 'flatten' && a.ok);
const refusals = () => t.h.repos.audit.recent(100).filter((a) => a.command === 'flatten' && !a.ok);

/** Runs bars (the exit fills at the next bar's open) until the bot reports in the chat. */
async function reportAfter(count: number): Promise<BotMessage> {
  for (let i = 0; i < 200; i++) {
    const report = t.api.sentTo(DESK.id).slice(count).find((m) => m.text.includes('Flat.') || m.text.includes('did not complete'));
    if (report) return report;
    await t.h.bars(1);
    await Bun.sleep(10);
  }
  throw new Error('no flatten report');
}

describe('/flatten needs a second tap by the same user within 60 s, and acts once', () => {
  test('the prompt shows the position and offers "Flatten now" and "Cancel"', async () => {
    const pos = t.h.core.engine.state.position!;

    const prompt = await t.say(OWNER, DESK, '/flatten');

    expect(prompt.text).toContain(`<b>${pos.side} ${pos.qty} MES</b> @ ${pos.entryPrice.toFixed(2)}`);
    expect(prompt.text).toContain('within 60 s');
    expect(prompt.reply_markup!.inline_keyboard.flat().map((b) => b.text)).toEqual(['Flatten now', 'Cancel']);
    expect(button(prompt, 'Flatten now')).toMatch(/^flatten:yes:[\w-]{22}$/);
  });

  test('confirming flattens: orders cancelled, position closed, the broker flat, and the report says so; a second tap does nothing', async () => {
    const side = t.h.core.engine.state.position!.side;
    const prompt = await t.say(OWNER, DESK, '/flatten');
    const sent = t.api.sentTo(DESK.id).length;
    const yes = button(prompt, 'Flatten now');

    const first = await tap(OWNER, prompt, yes);
    const second = await tap(OWNER, prompt, yes);
    const report = await reportAfter(sent);

    expect(first.text).toBe('Flattening…');
    expect(second.text).toBe('Already confirmed. Nothing more was done.');
    expect((await edited(prompt)).text).toContain('Flattening… requested by <b>Ann &lt;b&gt;&amp;amp;&lt;/b&gt;</b>');
    expect(report.text).toContain('✅ <b>Flat.</b>');
    expect(report.text).toContain('Cancelled: 2 working order(s)');
    expect(report.text).toContain(`Closed: ${side} 1 MES at market`);
    expect(report.text).toContain('Broker position: 0 contract(s) — the broker shows flat');
    expect(t.h.core.engine.state.position).toBeNull();
    expect((await t.h.broker.positions()).every((p) => p.qty === 0)).toBe(true);
    expect(t.h.core.engine.state.paused).toBe(true);
    expect(flattens()).toHaveLength(1);
    expect(flattens()[0]).toMatchObject({ source: 'telegram', principal: String(OWNER.id) });
  });

  test('"Cancel" does nothing, and the buttons are spent', async () => {
    const prompt = await t.say(OWNER, DESK, '/flatten');
    const [yes, no] = [button(prompt, 'Flatten now'), button(prompt, 'Cancel')];

    const cancel = await tap(OWNER, prompt, no);
    const late = await tap(OWNER, prompt, yes);

    expect(cancel.text).toBe('Cancelled. Nothing was done.');
    expect((await edited(prompt)).text).toBe('Flatten cancelled: nothing was done.');
    expect(late.text).toBe('Already cancelled. Nothing more was done.');
    expect(t.h.core.engine.state.position).not.toBeNull();
    expect(flattens()).toHaveLength(1);
  });

  test('a tap after 60 s has expired: nothing is done', async () => {
    const prompt = await t.say(OWNER, DESK, '/flatten');
    t.clock.ms += 60_001;

    const answer = await tap(OWNER, prompt, button(prompt, 'Flatten now'));

    expect(answer.text).toBe('Expired after 60 s. Nothing was done; send /flatten again.');
    expect((await edited(prompt)).text).toStartWith('⌛ Flatten confirmation expired');
    expect(t.h.core.engine.state.position).not.toBeNull();
    expect(refusals()[0]).toMatchObject({ result: { message: 'refused: confirmation expired' } });
  });

  test('another allowed user cannot confirm someone else’s flatten; the owner still can', async () => {
    const prompt = await t.say(OWNER, DESK, '/flatten');
    const sent = t.api.sentTo(DESK.id).length;

    const foreign = await tap(PARTNER, prompt, button(prompt, 'Flatten now'));
    expect(foreign.text).toBe('Only the user who sent /flatten can confirm it. Nothing was done.');
    expect(t.h.core.engine.state.position).not.toBeNull();
    expect(refusals()[0]).toMatchObject({ principal: String(PARTNER.id), result: { message: 'refused: confirmation tapped by another user' } });

    await tap(OWNER, prompt, button(prompt, 'Flatten now'));
    await reportAfter(sent);
    expect(t.h.core.engine.state.position).toBeNull();
    expect(flattens()).toHaveLength(2);
  });

  test('a button this bot does not know (from before a restart) does nothing', async () => {
    const prompt = await t.say(OWNER, DESK, '/flatten');

    const stale = await tap(OWNER, prompt, 'flatten:yes:AAAAAAAAAAAAAAAAAAAAAA');

    expect(stale.text).toStartWith('This button is no longer valid');
    expect(t.h.core.engine.state.position).not.toBeNull();
    expect(refusals()[0]).toMatchObject({ result: { message: 'refused: unknown or stale confirmation' } });
  });
});
