import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { frame, LiveFeed } from '../../src/web/live/feed.ts';
import { dashboard, type Web } from './helpers.ts';

/** Reads SSE frames from a stream until `done(events)` holds (bounded by the caller's loop). */
async function readEvents(reader: ReadableStreamDefaultReader<Uint8Array>, done: (events: { event: string; data: string }[]) => boolean, advance: () => Promise<void>) {
  const events: { event: string; data: string }[] = [];
  const dec = new TextDecoder();
  let buffer = '';
  for (let i = 0; i < 200 && !done(events); i++) {
    await advance();
    const { value, done: ended } = await reader.read();
    if (ended) break;
    buffer += dec.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = block.match(/^event: (.+)$/m)?.[1];
      const data = [...block.matchAll(/^data: (.*)$/gm)].map((m) => m[1]).join('\n');
      if (event) events.push({ event, data });
    }
  }
  return events;
}

describe('GET /events', () => {
  let w: Web;
  beforeAll(async () => {
    w = await dashboard({ pushIntervalMs: 10 });
    await w.h.bars(1);
  });
  afterAll(async () => {
    await w.close();
  });

  test('sends every panel at once, then new chart bars and status as the market moves', async () => {
    const res = await w.get('/events');
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const firstBar = w.h.core.lastBar!.time;
    const events = await readEvents(
      reader,
      (ev) => ev.some((e) => e.event === 'chart' && JSON.parse(e.data).bars.at(-1).time > firstBar / 1000 + 60 * 5),
      () => w.h.bars(1),
    );
    await reader.cancel();
    const names = new Set(events.map((e) => e.event));
    for (const n of ['status', 'position', 'breakers', 'actors', 'trades', 'chart']) expect(names.has(n)).toBe(true);
    expect(events.find((e) => e.event === 'status')!.data).toContain('data-testid="status-bar"');
    const lastChart = JSON.parse(events.filter((e) => e.event === 'chart').at(-1)!.data);
    // The stream renders on its own timer, so it may trail the market by a bar or two: never ahead.
    expect(lastChart.bars.at(-1).time).toBeGreaterThan(firstBar / 1000);
    expect(lastChart.bars.at(-1).time).toBeLessThanOrEqual(w.h.core.lastBar!.time / 1000);
    expect(lastChart.bars.length).toBeLessThanOrEqual(10);
  });

  test('stops rendering when the last listener goes', async () => {
    const res = await w.get('/events');
    const reader = res.body!.getReader();
    await reader.read();
    expect(w.web.feed.listeners).toBeGreaterThan(0);
    await reader.cancel();
    for (let i = 0; i < 50 && w.web.feed.listeners > 0; i++) await Bun.sleep(5);
    expect(w.web.feed.listeners).toBe(0);
  });
});

describe('LiveFeed', () => {
  test('a subscriber gets the current state, then only what changed', () => {
    let state = { a: '1', b: '1' };
    const feed = new LiveFeed(() => state, 60_000);
    const got: string[] = [];
    const off = feed.subscribe((c) => got.push(c));
    expect(got).toEqual(['retry: 2000\n\n', frame('a', '1'), frame('b', '1')]);

    got.length = 0;
    state = { a: '1', b: '2' };
    feed.tick();
    expect(got).toEqual([frame('b', '2')]);
    off();
  });

  test('a render that throws is reported, and the stream goes on', async () => {
    let fail = false;
    const errors: unknown[] = [];
    const feed = new LiveFeed(() => {
      if (fail) throw new Error('store closed');
      return { a: String(Math.random()) };
    }, 5, (e) => errors.push(e));
    const off = feed.subscribe(() => {});
    fail = true;
    for (let i = 0; i < 100 && errors.length === 0; i++) await Bun.sleep(5);
    expect(errors.length).toBeGreaterThan(0);
    off();
  });

  test('a multi-line payload becomes one data field per line', () => {
    expect(frame('x', 'one\ntwo')).toBe('event: x\ndata: one\ndata: two\n\n');
  });

  test('a quiet stream gets a keep-alive comment', () => {
    const feed = new LiveFeed(() => ({ a: 'same' }), 1000);
    const got: string[] = [];
    const off = feed.subscribe((c) => got.push(c));
    got.length = 0;
    for (let i = 0; i < 5; i++) feed.tick();
    expect(got).toEqual([': keepalive\n\n']);
    off();
  });
});
