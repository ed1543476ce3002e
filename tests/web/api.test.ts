import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { barsUntil, dashboard, type Web } from './helpers.ts';
import { storeRuns } from './research-fixtures.ts';

let w: Web;
let ids: ReturnType<typeof storeRuns>;
beforeAll(async () => {
  w = await dashboard();
  ids = storeRuns(w.h.repos);
  await barsUntil(w.h, () => w.h.repos.trades.count() >= 2);
});
afterAll(async () => {
  await w.close();
});

const json = async (path: string, status = 200) => {
  const res = await w.get(path);
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  return res.json() as Promise<any>;
};

describe('the JSON read API answers what the facade says', () => {
  test('/api/status, /api/positions, /api/pnl, /api/breakers, /api/actors', async () => {
    expect(await json('/api/status')).toMatchObject({ mode: 'sim', connection: expect.stringMatching(/^ready/), trading: { kind: 'ACTIVE' }, contract: null });
    expect(await json('/api/positions')).toEqual(JSON.parse(JSON.stringify(w.h.app.positions())));
    expect(await json('/api/pnl')).toMatchObject({ dailyLossLimit: 500, maxDrawdown: 100_000 });
    expect(await json('/api/breakers')).toMatchObject({ state: 'closed', events: [] });
    expect((await json('/api/actors')).map((a: { id: string }) => a.id).sort()).toEqual(['circuitBreaker', 'connection', 'notifier', 'position', 'strategy']);
  });

  test('/api/trades pages with limit and offset and gives the total', async () => {
    const all = await json('/api/trades?limit=500');
    expect(all.total).toBe(w.h.repos.trades.count());
    const second = await json('/api/trades?limit=1&offset=1');
    expect(second).toMatchObject({ limit: 1, offset: 1 });
    expect(second.trades).toEqual([all.trades[1]]);
  });

  test('/api/trades refuses a bad limit with 422 and says why', async () => {
    expect((await json('/api/trades?limit=0', 422)).message).toContain('limit');
    expect((await json('/api/trades?limit=501', 422)).message).toContain('≤ 500');
    expect((await json('/api/trades?offset=-1', 422)).message).toContain('offset');
  });

  test('/api/market: the recent bars in UTC seconds, the band and markers', async () => {
    const m = await json('/api/market');
    expect(m.bars.length).toBeGreaterThan(20);
    expect(m.bars.at(-1).time).toBe(w.h.core.lastBar!.time / 1000);
    expect(m.band).toHaveLength(m.bars.length - 19);
    expect(m.bandLabel).toBe('mean ± 1.8σ (20 bars)');
    expect(m.markers.length).toBeGreaterThan(0);
  });

  test('/api/runs lists runs newest first with the total; kind filters', async () => {
    const runs = await json('/api/runs');
    expect(runs.total).toBe(3);
    expect(runs.runs.map((r: { id: number }) => r.id)).toEqual([ids.walkforwardId, ids.optimizeId, ids.backtestId]);
    expect((await json('/api/runs?kind=optimize')).runs.map((r: { id: number }) => r.id)).toEqual([ids.optimizeId]);
    expect((await json('/api/runs?kind=magic', 422)).message).toContain('kind');
  });

  test('/api/runs/:id, its equity, trades, grid and folds', async () => {
    expect(await json(`/api/runs/${ids.backtestId}`)).toMatchObject({ id: ids.backtestId, kind: 'backtest', tradeCount: 2 });
    const curves = await json(`/api/runs/${ids.backtestId}/equity`);
    expect(curves.equity).toHaveLength(30);
    expect(curves.drawdown.every((p: { value: number }) => p.value <= 0)).toBe(true);
    expect((await json(`/api/runs/${ids.backtestId}/trades`)).trades).toHaveLength(2);
    expect(await json(`/api/runs/${ids.optimizeId}/grid`)).toHaveLength(9);
    expect(await json(`/api/runs/${ids.walkforwardId}/folds`)).toHaveLength(3);
  });

  test('an unknown run is 404 and a malformed id 422, both with a message', async () => {
    expect(await json('/api/runs/424242', 404)).toEqual({ error: 'not_found', message: 'no stored run #424242' });
    expect((await json('/api/runs/x1', 422)).message).toContain('run id');
  });
});

describe('OpenAPI', () => {
  test('/docs/json documents every API route and the command bodies', async () => {
    const spec = await json('/docs/json');
    for (const path of ['/api/status', '/api/positions', '/api/pnl', '/api/trades', '/api/breakers', '/api/actors', '/api/runs', '/api/runs/{id}']) expect(spec.paths[path]?.get).toBeDefined();
    for (const c of ['pause', 'resume', 'reset-breaker', 'flatten']) expect(spec.paths[`/api/commands/${c}`]?.post).toBeDefined();
    expect(JSON.stringify(spec.paths['/api/commands/flatten'].post.requestBody)).toContain('"const":"yes"');
    expect(spec.paths['/']).toBeUndefined();
  });

  test('/docs renders it here, loading nothing from elsewhere', async () => {
    const res = await w.get('/docs');
    const html = await res.text();
    expect(html).toContain('/api/commands/flatten');
    expect(html).not.toMatch(/src="https?:|<link[^>]+href="https?:/);
  });
});
