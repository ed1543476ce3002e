import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { marketViewOf } from '../../src/app/market-view.ts';
import { createResearch } from '../../src/app/research.ts';
import { liveHarness } from '../../src/testing/live-harness.ts';
import { startWebWorker, type WebWorker } from '../../src/web/worker/host.ts';
import { memoryLogger } from '../actors/helpers.ts';
import { ACTIVE_MARKET, bearerPost, TOKEN } from './helpers.ts';

// The dashboard as the service runs it: its own thread, real HTTP on loopback, the facade of the
// trading thread reached through calls that cross between the two.
let h: Awaited<ReturnType<typeof liveHarness>>;
let web: WebWorker;
let base: string;
const log = memoryLogger();

beforeAll(async () => {
  h = await liveHarness({ config: ACTIVE_MARKET, warmup: 100 });
  await h.bars(20);
  web = await startWebWorker(h.app, { host: '127.0.0.1', port: 0, token: TOKEN, market: marketViewOf(h.core), research: createResearch(h.repos), log, pushIntervalMs: 20 });
  base = `http://127.0.0.1:${web.port}`;
});
afterAll(async () => {
  await web.stop();
  await h.close();
});

const getJson = async (path: string) => {
  const res = await fetch(`${base}${path}`);
  expect(res.status).toBe(200);
  return res.json() as Promise<Record<string, unknown>>;
};

describe('the dashboard on its own thread', () => {
  test('answers with what the trading thread’s facade says', async () => {
    expect(await getJson('/api/status')).toMatchObject(JSON.parse(JSON.stringify(h.app.status())));
    expect(await getJson('/api/trades?limit=5')).toMatchObject(JSON.parse(JSON.stringify({ trades: h.app.trades({ limit: 5 }), total: h.app.tradeCount() })));
  });

  test('the live chart gets each bar the trading thread decides on', async () => {
    await h.bars(5);
    const last = Math.floor(h.core.lastBar!.time / 1000);
    let bars: Array<{ time: number }> = [];
    for (let i = 0; i < 100 && bars.at(-1)?.time !== last; i++) {
      await Bun.sleep(10);
      bars = (await getJson('/api/market')).bars as Array<{ time: number }>;
    }
    expect(bars.at(-1)?.time).toBe(last);
    // The view started with the core's last bar; the five since crossed over one by one.
    expect(bars.length).toBeGreaterThanOrEqual(6);
  });

  test('a command goes through to the trading thread, and its refusal log comes back to this one', async () => {
    expect(h.core.engine.state.paused).toBe(false);
    const res = await fetch(`${base}/api/commands/pause`, bearerPost());
    expect(res.status).toBe(200);
    expect(h.core.engine.state.paused).toBe(true);
    expect(h.repos.audit.recent(1)[0]).toMatchObject({ source: 'web', command: 'pause', ok: true });
    const refused = await fetch(`${base}/api/commands/resume`, bearerPost(undefined, 'wrong-token'));
    expect(refused.status).toBe(401);
    expect(h.core.engine.state.paused).toBe(true);
    expect(log.lines.some((l) => l.event === 'web.refused' && l.fields?.path === '/api/commands/resume')).toBe(true);
  });

  test('a flood of reads is served while bars keep coming', async () => {
    let stop = false;
    const running = (async () => {
      while (!stop) await h.bars(1);
    })();
    // 20 in flight at a time: within the 64 one client may have waiting.
    const statuses: number[] = [];
    for (let round = 0; round < 10; round++) {
      statuses.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${base}${['/api/status', '/fragments/status', '/api/pnl', '/statecharts'][i % 4]}`).then((r) => r.status)))));
    }
    stop = true;
    await running;
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(statuses.length).toBe(200);
  }, 30_000);

  test('a bind other machines can reach without a strong token is refused before any thread starts', async () => {
    await expect(startWebWorker(h.app, { host: '0.0.0.0', port: 0, token: 'a', market: marketViewOf(h.core), research: createResearch(h.repos), log })).rejects.toThrow(/QS_DASHBOARD_TOKEN/);
  });
});

test('a port already in use fails the start with the reason; the server holding it is untouched', async () => {
  const taken = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('other') });
  const h2 = await liveHarness({ config: ACTIVE_MARKET, warmup: 100 });
  await expect(startWebWorker(h2.app, { host: '127.0.0.1', port: taken.port!, market: marketViewOf(h2.core), research: createResearch(h2.repos), log })).rejects.toThrow(/in use|EADDRINUSE/i);
  expect(await (await fetch(`http://127.0.0.1:${taken.port}/`)).text()).toBe('other');
  await taken.stop(true);
  await h2.close();
});

test('stopping the thread closes the port', async () => {
  const h2 = await liveHarness({ config: ACTIVE_MARKET, warmup: 100 });
  const w = await startWebWorker(h2.app, { host: '127.0.0.1', port: 0, market: marketViewOf(h2.core), research: createResearch(h2.repos), log });
  expect((await fetch(`http://127.0.0.1:${w.port}/health`)).status).toBe(200);
  await w.stop();
  await expect(fetch(`http://127.0.0.1:${w.port}/health`)).rejects.toThrow();
  await h2.close();
});
