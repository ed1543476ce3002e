import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Admission } from '../../src/web/security/admission.ts';
import { startWebServer } from '../../src/web/server.ts';
import { dashboard, TOKEN, type Web } from './helpers.ts';

/** A hand-driven clock and timer queue, so budgets are exact. */
function fakeTime() {
  let t = 0;
  const timers: Array<{ at: number; fn: () => void }> = [];
  const deferred: Array<() => void> = [];
  return {
    now: () => t,
    setTimer: (fn: () => void, ms: number) => void timers.push({ at: t + ms, fn }),
    defer: (fn: () => void) => void deferred.push(fn),
    /** Runs everything due, including reads started by those timers. */
    async advance(ms: number) {
      t += ms;
      for (let again = true; again; ) {
        again = false;
        await Bun.sleep(0);
        while (deferred.length) (again = true), deferred.shift()!();
        for (const due of timers.filter((x) => x.at <= t)) timers.splice(timers.indexOf(due), 1), due.fn(), (again = true);
      }
    },
    spend(ms: number) {
      t += ms;
    },
  };
}

describe('Admission: reads against a CPU budget', () => {
  test('reads run at once within the burst; past it they wait until the 10 % share has paid the debt back', async () => {
    const time = fakeTime();
    const a = new Admission({ share: 0.1, burstMs: 10, overheadMs: 0, ...time });
    const done: number[] = [];
    const read = (id: number) => a.read('x', () => (time.spend(6), done.push(id)));
    const all = [read(1), read(2), read(3)];
    await time.advance(0);
    // 1 ran (credit 10 → 4, +0.6 earned while it ran), 2 ran (→ -1.4, +0.6): 3 waits for 0.8 ms of debt at 10 %, 8 ms.
    expect(done).toEqual([1, 2]);
    await time.advance(7);
    expect(done).toEqual([1, 2]);
    await time.advance(2);
    expect(done).toEqual([1, 2, 3]);
    await Promise.all(all);
  });

  test('a flooding client cannot starve another: waiting reads are served round-robin', async () => {
    const time = fakeTime();
    const a = new Admission({ share: 0.5, burstMs: 1, overheadMs: 0, ...time });
    const order: string[] = [];
    const jobs = [...['f1', 'f2', 'f3', 'f4'].map((id) => a.read('flood', () => (time.spend(2), order.push(id)))), a.read('operator', () => (time.spend(2), order.push('op')))];
    for (let i = 0; i < 20; i++) await time.advance(5);
    await Promise.all(jobs);
    expect(order.indexOf('op')).toBeLessThanOrEqual(2);
  });

  test('past maxPerClient waiting reads a client is refused; others are not', async () => {
    const time = fakeTime();
    const a = new Admission({ share: 0.1, burstMs: 1, maxPerClient: 2, ...time });
    const first = [a.read('x', () => (time.spend(5), 1)), a.read('x', () => 2)];
    expect(await a.read('x', () => 3)).toBeNull();
    const other = a.read('y', () => 4);
    await time.advance(1000);
    expect((await Promise.all(first)).map((r) => r?.value)).toEqual([1, 2]);
    expect((await other)?.value).toBe(4);
  });

  test('live streams are capped per client and in total, and a closed one frees its slot', () => {
    const a = new Admission({ streamsPerClient: 2, streamsTotal: 3 });
    const s1 = a.openStream('x')!;
    a.openStream('x');
    expect(a.openStream('x')).toBeNull();
    a.openStream('y');
    expect(a.openStream('z')).toBeNull();
    s1();
    s1();
    expect(a.openStream('z')).not.toBeNull();
    expect(a.openStreams).toBe(3);
  });
});

describe('the real server under a flood of reads', () => {
  let w: Web;
  let server: ReturnType<typeof startWebServer>;
  beforeAll(async () => {
    w = await dashboard();
    server = startWebServer(w.h.app, { host: '127.0.0.1', port: 0, token: TOKEN, admission: { streamsPerClient: 2, streamsTotal: 4 } });
  });
  afterAll(async () => {
    await server.stop();
    await w.close();
  });

  test('a third live stream from one address is refused with 429 and the security headers', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const ac = new AbortController();
    const open = await Promise.all([fetch(`${base}/events`, { signal: ac.signal }), fetch(`${base}/events`, { signal: ac.signal })]);
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const third = await fetch(`${base}/events`);
    expect(third.status).toBe(429);
    expect(third.headers.get('x-frame-options')).toBe('DENY');
    expect(server.admission.openStreams).toBe(2);
    ac.abort();
    await Bun.sleep(50);
    expect(server.admission.openStreams).toBe(0);
  });

  test('a command is answered at once while 200 reads wait their turn', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const reads = Array.from({ length: 200 }, () => fetch(`${base}/statecharts`, { headers: { cookie: 'x=1' } }).then((r) => r.status));
    await Bun.sleep(5);
    const started = performance.now();
    const cmd = await fetch(`${base}/api/commands/pause`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
    const commandMs = performance.now() - started;
    expect(cmd.status).toBe(200);
    expect(server.admission.waiting).toBeGreaterThan(0);
    const statuses = await Promise.all(reads);
    expect(statuses.filter((s) => s === 200).length).toBe(200 - statuses.filter((s) => s === 429).length);
    expect(commandMs).toBeLessThan(500);
    await fetch(`${base}/api/commands/resume`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
  }, 30_000);
});
