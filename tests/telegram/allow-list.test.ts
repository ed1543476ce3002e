import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { FakeChat } from '../../src/testing/fake-telegram-api.ts';
import { DESK, DM, ELSEWHERE, OWNER, STRANGER, telegramHarness, until, type TelegramHarness } from './helpers.ts';

let t: TelegramHarness;
beforeAll(async () => {
  t = await telegramHarness();
  await t.barsUntil(() => t.h.core.engine.state.position !== null, 'an open position');
});
afterAll(() => t.close());

const STRANGER_DM: FakeChat = { id: STRANGER.id, type: 'private' };
const lastAudit = () => t.h.repos.audit.recent(1)[0];

describe('only allow-listed users in allow-listed chats get data or action', () => {
  test('a stranger asking for /status gets no data, only their own ids, and the attempt is audited', async () => {
    const reply = await t.say(STRANGER, STRANGER_DM, '/status');

    expect(reply.text).toBe(`Not authorised — user id <b>${STRANGER.id}</b>, chat id <b>${STRANGER.id}</b>. Nothing was done.`);
    expect(lastAudit()).toMatchObject({ source: 'telegram', principal: String(STRANGER.id), command: '/status', ok: false, result: { ok: false, message: 'refused: user not on the allow-list' } });
  });

  test('a stranger in an allowed group cannot /pause', async () => {
    const reply = await t.say(STRANGER, DESK, '/pause');

    expect(reply.text).toStartWith('Not authorised — ');
    expect(t.h.core.engine.state.paused).toBe(false);
    expect(lastAudit()).toMatchObject({ principal: String(STRANGER.id), command: '/pause', ok: false });
  });

  test('an allowed user in a chat that is not allowed cannot /flatten: no prompt, no buttons', async () => {
    const reply = await t.say(OWNER, ELSEWHERE, '/flatten');

    expect(reply.text).toStartWith('Not authorised — ');
    expect(reply.reply_markup).toBeUndefined();
    expect(t.h.core.engine.state.position).not.toBeNull();
    expect(lastAudit()).toMatchObject({ principal: String(OWNER.id), command: '/flatten', ok: false, result: { message: 'refused: chat not on the allow-list' } });
  });

  test('a stranger tapping "Flatten now" under the owner’s prompt does nothing and is audited', async () => {
    const prompt = await t.say(OWNER, DESK, '/flatten');
    const data = prompt.reply_markup!.inline_keyboard[0]![0]!.callback_data!;

    const id = t.api.tap(STRANGER, prompt, data);
    const answer = await until(() => t.api.answers.find((a) => a.callback_query_id === id), 'the answer to the tap');

    expect(answer.text).toBe('Not authorised. Nothing was done.');
    expect(t.h.core.engine.state.position).not.toBeNull();
    expect(t.h.core.engine.state.paused).toBe(false);
    expect(lastAudit()).toMatchObject({ principal: String(STRANGER.id), command: 'button', ok: false });
    expect(t.h.repos.audit.recent(20).filter((a) => a.command === 'flatten')).toEqual([]);
  });

  test('a flood from a stranger is answered and audited at most 20 times a minute', async () => {
    const flooder = { id: 4242, first_name: 'Flood' };
    const chat: FakeChat = { id: flooder.id, type: 'private' };
    t.clock.ms += 61_000; // the refusals of the tests before are a minute old
    for (let i = 0; i < 30; i++) t.api.say(flooder, chat, `/status ${i}`);
    await until(() => t.api.pendingUpdates === 0, 'the bot to take every update');
    await t.say(OWNER, DM, '/ping'); // the bot handles updates in order: the flood is done

    expect(t.api.sentTo(chat.id)).toHaveLength(20);
    expect(t.h.repos.audit.recent(50).filter((a) => a.principal === String(flooder.id))).toHaveLength(20);
  });
});
