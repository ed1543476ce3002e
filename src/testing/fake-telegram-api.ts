import type { Server } from 'bun';
import { checkTelegramHtml } from './fake-telegram-html.ts';
import { UpdateQueue } from './fake-telegram-updates.ts';

/**
 * A fake Telegram Bot API over real HTTP on 127.0.0.1, for tests and demos: the bot under test
 * is pointed at `apiRoot` and long-polls it exactly as it would api.telegram.org. A scripted user
 * sends messages (`say`) and taps buttons (`tap`); faults can be injected per method (`fail`:
 * an error answer such as 429 with retry_after or 500; `slow`: a delay, after which a request
 * whose client gave up is dropped unprocessed as a proxy would) and the whole server can go
 * `down()` and come back `up()` on the same port.
 */

export interface FakeUser { readonly id: number; readonly is_bot?: false; readonly first_name: string; readonly username?: string }
export interface FakeChat { readonly id: number; readonly type: 'private' | 'group' | 'supergroup'; readonly title?: string }

/** A message as the bot left it (edits applied). */
export interface BotMessage {
  readonly message_id: number;
  readonly chat: FakeChat;
  text: string;
  reply_markup?: { inline_keyboard: { text: string; callback_data?: string }[][] } | undefined;
  readonly disable_notification: boolean;
  readonly parse_mode: string | undefined;
  /** The message this one answers (`reply_parameters`). */
  readonly reply_to: number | undefined;
  edits: number;
}

export interface RecordedRequest {
  readonly method: string;
  /** The raw body text: what went over the wire besides the URL. */
  readonly body: string;
  readonly tokenOk: boolean;
  /** From the `stamp` option: lets a test on a simulated clock see when a retry came. */
  readonly at: number;
  /** 0 while the request is being answered. */
  status: number;
}

export interface CallbackAnswer { readonly callback_query_id: string; readonly text?: string; readonly show_alert?: boolean }
type Fault = { status: number; description: string; retryAfter?: number; times: number };
type Json = Record<string, unknown>;

export class FakeTelegramApi {
  readonly requests: RecordedRequest[] = [];
  readonly messages: BotMessage[] = [];
  readonly answers: CallbackAnswer[] = [];
  readonly bot = { id: 7_000_000_001, is_bot: true, first_name: 'Quant Scalper', username: 'qs_test_bot' };
  private readonly queue = new UpdateQueue();
  private nextMessageId = 1;
  private nextCallbackId = 1;
  private chats = new Map<number, FakeChat>();
  private faults = new Map<string, Fault[]>();
  private delays = new Map<string, number>();
  private server: Server<undefined> | null = null;
  private port = 0;

  private constructor(
    private readonly token: string,
    private readonly now: () => number,
    private readonly stamp: () => number,
  ) {}

  /** `now` dates the messages; `stamp` times the recorded requests (default: `now`). */
  static async start(opts: { token: string; now?: () => number; stamp?: () => number }): Promise<FakeTelegramApi> {
    const now = opts.now ?? Date.now;
    const api = new FakeTelegramApi(opts.token, now, opts.stamp ?? now);
    api.up();
    return api;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens (again, on the same port after `down()`). */
  up(): void {
    if (this.server) return;
    // idleTimeout above any long-poll timeout, or Bun would cut a waiting getUpdates.
    this.server = Bun.serve({ hostname: '127.0.0.1', port: this.port, idleTimeout: 120, fetch: (req) => this.handle(req) });
    this.port = this.server.port ?? 0;
  }

  /** Stops listening and drops open connections: the bot sees connection refused/reset. */
  async down(): Promise<void> {
    const s = this.server;
    this.server = null;
    this.queue.wake();
    await s?.stop(true);
  }

  async stop(): Promise<void> {
    await this.down();
  }

  /** The next `times` calls of `method` get this error answer instead of being processed. */
  fail(method: string, fault: { status: number; description?: string; retryAfter?: number; times?: number }): void {
    const list = this.faults.get(method) ?? [];
    list.push({ status: fault.status, description: fault.description ?? defaultDescription(fault.status), times: fault.times ?? 1, ...(fault.retryAfter === undefined ? {} : { retryAfter: fault.retryAfter }) });
    this.faults.set(method, list);
  }

  /** Every call of `method` waits `ms` (real time) before it is processed; 0 clears it. */
  slow(method: string, ms: number): void {
    if (ms > 0) this.delays.set(method, ms);
    else this.delays.delete(method);
  }

  /** The scripted user writes `text` in `chat`. Returns the message as the bot will receive it. */
  say(from: FakeUser, chat: FakeChat, text: string): Json & { message_id: number } {
    this.chats.set(chat.id, chat);
    const command = /^\/\S+/.exec(text)?.[0];
    const message = { message_id: this.nextMessageId++, from: { is_bot: false, ...from }, chat, date: Math.floor(this.now() / 1000), text, ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}) };
    this.push({ message });
    return message;
  }

  /** The scripted user taps the inline button with `data` under one of the bot's messages. */
  tap(from: FakeUser, message: BotMessage, data: string): string {
    const id = String(this.nextCallbackId++);
    const msg = { message_id: message.message_id, from: this.bot, chat: message.chat, date: Math.floor(this.now() / 1000), text: message.text };
    this.push({ callback_query: { id, from: { is_bot: false, ...from }, message: msg, chat_instance: `ci${message.chat.id}`, data } });
    return id;
  }

  /** Messages the bot sent to a chat, oldest first. */
  sentTo(chatId: number): BotMessage[] {
    return this.messages.filter((m) => m.chat.id === chatId);
  }

  calls(method: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method);
  }

  /** Updates the bot has not confirmed yet (via a getUpdates offset past them). */
  get pendingUpdates(): number {
    return this.queue.pending;
  }

  private push(update: Record<string, unknown>): void {
    this.queue.push(update);
  }

  private async handle(req: Request): Promise<Response> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url).pathname);
    const body = await req.text();
    if (!match) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = match as unknown as [string, string, string];
    const record: RecordedRequest = { method, body, tokenOk: token === this.token, at: this.stamp(), status: 0 };
    this.requests.push(record);
    const answer = await this.answer(req, record, body);
    record.status = answer.status;
    return answer;
  }

  private async answer(req: Request, record: RecordedRequest, body: string): Promise<Response> {
    if (!record.tokenOk) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const delay = this.delays.get(record.method);
    if (delay) await Bun.sleep(delay);
    if (req.signal.aborted) return reply(499, { ok: false, error_code: 499, description: 'client gave up' });
    const fault = this.faults.get(record.method)?.[0];
    if (fault) {
      if (--fault.times <= 0) this.faults.get(record.method)!.shift();
      const parameters = fault.retryAfter === undefined ? undefined : { retry_after: fault.retryAfter };
      return reply(fault.status, { ok: false, error_code: fault.status, description: fault.description, ...(parameters ? { parameters } : {}) });
    }
    let params: Json;
    try {
      params = body === '' ? {} : (JSON.parse(body) as Json);
    } catch {
      return bad('request body is not JSON');
    }
    try {
      return await this.dispatch(record.method, params, req.signal);
    } catch (e) {
      return bad(e instanceof Error ? e.message : String(e));
    }
  }

  private async dispatch(method: string, p: Json, signal: AbortSignal): Promise<Response> {
    switch (method) {
      case 'getMe':
        return ok({ ...this.bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false });
      case 'setMyCommands':
        return ok(true);
      case 'deleteWebhook':
        if (p.drop_pending_updates === true) this.queue.clear();
        return ok(true);
      case 'getUpdates':
        return ok(await this.queue.take(p, signal));
      case 'sendMessage':
        return ok(this.sendMessage(p));
      case 'editMessageText':
      case 'editMessageReplyMarkup':
        return ok(this.edit(method, p));
      case 'answerCallbackQuery':
        if (typeof p.callback_query_id !== 'string') throw new Error('callback_query_id is required');
        this.answers.push(p as unknown as CallbackAnswer);
        return ok(true);
      default:
        return reply(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
  }

  private sendMessage(p: Json): Json {
    const text = this.checkText(p);
    const chat = this.chatOf(p.chat_id);
    const m: BotMessage = { message_id: this.nextMessageId++, chat, text, reply_markup: markup(p.reply_markup), disable_notification: p.disable_notification === true, parse_mode: p.parse_mode as string | undefined, reply_to: (p.reply_parameters as { message_id?: number } | undefined)?.message_id, edits: 0 };
    this.messages.push(m);
    return { message_id: m.message_id, from: this.bot, chat, date: Math.floor(this.now() / 1000), text };
  }

  private edit(method: string, p: Json): Json | true {
    const m = this.messages.find((x) => x.chat.id === p.chat_id && x.message_id === p.message_id);
    if (!m) throw new Error('message to edit not found');
    if (method === 'editMessageText') m.text = this.checkText(p);
    m.reply_markup = markup(p.reply_markup);
    m.edits++;
    return { message_id: m.message_id, chat: m.chat, date: Math.floor(this.now() / 1000), text: m.text };
  }

  private checkText(p: Json): string {
    if (typeof p.text !== 'string' || p.text.trim() === '') throw new Error('message text is empty');
    if (p.text.length > 4096) throw new Error('message is too long');
    if (p.parse_mode === 'HTML') checkTelegramHtml(p.text);
    return p.text;
  }

  private chatOf(id: unknown): FakeChat {
    if (typeof id !== 'number') throw new Error('chat_id is required');
    // The chat as a user's message introduced it, or else a private chat (ids > 0) or a group.
    return this.chats.get(id) ?? { id, type: id > 0 ? 'private' : 'group' };
  }
}

function markup(v: unknown): BotMessage['reply_markup'] {
  const m = v as BotMessage['reply_markup'];
  return m && Array.isArray(m.inline_keyboard) && m.inline_keyboard.length > 0 ? m : undefined;
}

function defaultDescription(status: number): string {
  return status === 429 ? 'Too Many Requests: retry later' : status >= 500 ? 'Internal Server Error' : 'Bad Request';
}

const ok = (result: unknown) => reply(200, { ok: true, result });
const bad = (description: string) => reply(400, { ok: false, error_code: 400, description: `Bad Request: ${description}` });
const reply = (status: number, body: unknown) => Response.json(body, { status });
