import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { dashboard, type Web } from './helpers.ts';
import { storeRuns } from './research-fixtures.ts';

let w: Web;
let ids: ReturnType<typeof storeRuns>;
beforeAll(async () => {
  w = await dashboard();
  ids = storeRuns(w.h.repos);
});
afterAll(async () => {
  await w.close();
});

const page = async (path: string) => {
  const res = await w.get(path, { accept: 'text/html' });
  expect(res.status).toBe(200);
  return res.text();
};

describe('the backtests list', () => {
  test('every stored run, newest first, each linking to its page; outside text escaped', async () => {
    const html = await page('/backtests');
    const links = [...html.matchAll(/href="\/backtests\/(\d+)"/g)].map((m) => Number(m[1]));
    expect(links).toEqual([ids.walkforwardId, ids.optimizeId, ids.backtestId]);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
  });
});

describe('a run page', () => {
  test('backtest: parameters, metrics, the equity chart source and the trades', async () => {
    const html = await page(`/backtests/${ids.backtestId}`);
    expect(html).toContain('data-testid="metrics"');
    expect(html).toContain(`data-src="/backtests/${ids.backtestId}/charts.json?tz=utc"`);
    expect(html).toContain('lookback=20, entryZ=2.5');
    expect(html).toContain('data-testid="run-trades"');
    expect(html).toContain(`href="/backtests/${ids.backtestId}/trades.csv"`);
    expect(html).toContain('bars&lt;script&gt;alert(1)&lt;/script&gt;.csv');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('data-testid="heatmap"');
  });

  test('optimisation: a heat map of the objective over two parameters', async () => {
    const html = await page(`/backtests/${ids.optimizeId}`);
    expect(html).toContain('data-testid="heatmap"');
    expect(html).toContain('entry \\ lookback');
    // sharpe = i − j: the best cell (lookback 30, entry 1.5) is the darkest green, the worst the darkest red.
    expect(html).toContain('hm-p5" title="42 trades">2.00<');
    expect(html).toContain('hm-n5" title="42 trades">-2.00<');
    expect(html).toContain('unranked');
  });

  test('optimisation: the heat map re-renders for other parameters and objectives', async () => {
    const html = await page(`/backtests/${ids.optimizeId}/heatmap?x=exit&y=lookback&objective=netPnl`);
    expect(html).toContain('lookback \\ exit');
    expect(html).toMatch(/<option value="netPnl" selected/);
    expect((await w.get(`/backtests/${ids.optimizeId}/heatmap?objective=luck`)).status).toBe(422);
  });

  test('walk-forward: the folds side by side', async () => {
    const html = await page(`/backtests/${ids.walkforwardId}`);
    expect(html).toContain('data-testid="folds"');
    for (const n of [1, 2, 3]) expect(html).toContain(`<th>Fold ${n}</th>`);
    expect(html).toContain('folds=3 · train=0.7');
  });

  test('trades page by page, and one fold at a time', async () => {
    const all = await page(`/backtests/${ids.walkforwardId}/trades?page=1`);
    expect(all).toContain('1–12 of 12');
    const fold2 = await page(`/backtests/${ids.walkforwardId}/trades?page=1&fold=2`);
    expect(fold2).toContain('Trades (fold 2)');
    expect(fold2).toContain('1–4 of 4');
  });

  test('trades as CSV', async () => {
    const res = await w.get(`/backtests/${ids.walkforwardId}/trades.csv`);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="run-${ids.walkforwardId}-trades.csv"`);
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe('seq,fold,side,qty,entry_time,entry_price,exit_time,exit_price,exit_reason,commission,pnl');
    expect(lines).toHaveLength(13);
  });

  test('an unknown run is a 404 page; a bad id a 422', async () => {
    const missing = await w.get('/backtests/9999', { accept: 'text/html' });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('no stored run #9999');
    expect((await w.get('/backtests/abc', { accept: 'text/html' })).status).toBe(422);
  });
});
