import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { barsUntil, dashboard, login, type Web } from './helpers.ts';

let w: Web;
beforeAll(async () => {
  w = await dashboard();
  // Enough bars for the band (lookback 20) and, in this volatile market, a few round trips.
  await barsUntil(w.h, () => w.h.repos.trades.count() >= 3);
});
afterAll(async () => {
  await w.close();
});

const text = async (path: string, headers: Record<string, string> = {}) => {
  const res = await w.get(path, headers);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/html');
  return res.text();
};

describe('the dashboard page', () => {
  test('has every panel, the live stream, local scripts only and the htmx config in a meta tag', async () => {
    const page = await text('/');
    for (const id of ['status-bar', 'position', 'controls', 'live-chart', 'trades', 'breakers', 'actors']) expect(page).toContain(`data-testid="${id}"`);
    expect(page).toContain('sse-connect="/events"');
    expect(page).toContain('<meta name="htmx-config"');
    expect(page).toContain('href="/statecharts"');
    const scripts = [...page.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual(['/assets/vendor/htmx.min.js', '/assets/vendor/htmx-ext-sse.js', '/assets/vendor/lightweight-charts.js', '/assets/live-chart.js']);
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(page).not.toMatch(/\son[a-z]+=/);
    expect(page).not.toMatch(/\sstyle=/);
  });

  test('shows the band the strategy trades against', async () => {
    expect(await text('/')).toContain('mean ± 1.8σ (20 bars)');
  });

  test('logged out with a token configured: controls disabled, with a login link', async () => {
    const page = await text('/');
    expect(page).toContain('Controls need the dashboard token');
    expect(page).toMatch(/<button type="submit" disabled[^>]*data-testid="cmd-pause"/);
  });

  test('logged in: controls enabled and the CSRF token set for htmx on <body>', async () => {
    const s = await login(w);
    const page = await text('/', { cookie: s.cookie });
    expect(page).not.toContain('Controls need the dashboard token');
    expect(page).toMatch(/<button type="submit"[^>]*data-testid="cmd-pause"/);
    expect(page).not.toMatch(/disabled[^>]*data-testid="cmd-pause"/);
    expect(page).toContain(`hx-headers="{&#34;X-CSRF-Token&#34;:&#34;${s.csrf}&#34;}"`);
  });
});

describe('fragments', () => {
  test('status: mode, connection, trading state, z-score and uptime', async () => {
    const html = await text('/fragments/status');
    expect(html).toContain('data-testid="mode">SIM<');
    expect(html).toContain('data-testid="connection">ready<');
    expect(html).toContain('data-testid="trading-state">ACTIVE<');
    expect(html).toMatch(/native \(Rust\)|TypeScript/);
    expect(html).toContain('Uptime');
  });

  test('position: side, entry, P&L and both limits', async () => {
    const html = await text('/fragments/position');
    expect(html).toMatch(/data-testid="position-side"[^>]*>(FLAT|LONG 1|SHORT 1)</);
    expect(html).toContain('Daily loss used');
    expect(html).toContain('/ $500.00');
    expect(html).toContain('/ $100,000.00');
    expect(html).toMatch(/<meter/);
  });

  test('trades: newest first, paged, with the CSV link', async () => {
    const html = await text('/fragments/trades?page=1');
    expect(html).toContain('id="trades"');
    expect(html).toContain('href="/trades.csv"');
    const total = w.h.repos.trades.count();
    expect(html).toContain(`of ${total}`);
    expect(html.match(/<tr class="today">|<tr>/g)!.length - 1).toBe(Math.min(total, 20));
  });

  test('trades: a page past the end shows the last page', async () => {
    expect(await text('/fragments/trades?page=999')).toContain('hx-get="/fragments/trades?page=1"');
  });

  test('trades: a bad page number is a 422', async () => {
    expect((await w.get('/fragments/trades?page=abc')).status).toBe(422);
    expect((await w.get('/fragments/trades?page=0')).status).toBe(422);
  });

  test('breakers and actors: every actor with its state', async () => {
    expect(await text('/fragments/breakers')).toContain('data-testid="breaker-state">closed<');
    const actors = await text('/fragments/actors');
    for (const id of ['circuitBreaker', 'notifier', 'position', 'connection', 'strategy']) expect(actors).toContain(`data-actor="${id}"`);
  });

  test('controls, the flatten confirm step and the empty fragment', async () => {
    expect(await text('/fragments/controls')).toContain('data-testid="controls"');
    const confirm = await text('/fragments/flatten-confirm');
    expect(confirm).toContain('hx-post="/api/commands/flatten"');
    expect(confirm).toContain('name="confirm" value="yes"');
    expect(await text('/fragments/empty')).toBe('');
  });
});

describe('/trades.csv', () => {
  test('every closed trade with a header, as an attachment', async () => {
    const res = await w.get('/trades.csv');
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="trades.csv"');
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe('id,side,qty,entry_time,entry_price,exit_time,exit_price,exit_reason,commission,pnl,session_start');
    expect(lines).toHaveLength(w.h.repos.trades.count() + 1);
    expect(lines[1]).toMatch(/^\d+,(long|short),1,\d{4}-\d\d-\d\dT[\d:.]+Z,\d+(\.\d+)?,/);
  });
});
