import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { dashboard, login, ORIGIN, TOKEN, type Web } from './helpers.ts';
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

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  w.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const bearer = { authorization: `Bearer ${TOKEN}` };

describe('labelling and deleting runs', () => {
  test('without the token nothing changes', async () => {
    expect((await post(`/backtests/${ids.backtestId}/label`, { label: 'x' })).status).toBe(401);
    expect((await post(`/backtests/${ids.backtestId}/delete`, { confirm: 'yes' })).status).toBe(401);
    expect(w.h.repos.runs.getRun(ids.backtestId)!.note).toBe('<img src=x onerror=alert(1)>');
  });

  test('a label is stored, shown in the list escaped, audited; an empty one clears it', async () => {
    const res = await post(`/backtests/${ids.optimizeId}/label`, { label: ' best <b>grid</b> ' }, bearer);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, message: `run #${ids.optimizeId} labelled` });
    const list = await (await w.get('/backtests', { accept: 'text/html' })).text();
    expect(list).toContain('best &lt;b&gt;grid&lt;/b&gt;');
    const audit = w.h.repos.audit.recent(5).find((a) => a.command === 'labelRun')!;
    expect(audit).toMatchObject({ source: 'web', principal: 'token', ok: true, args: { id: ids.optimizeId, label: 'best <b>grid</b>' } });
    await post(`/backtests/${ids.optimizeId}/label`, { label: '' }, bearer);
    expect(w.h.repos.runs.getRun(ids.optimizeId)!.note).toBeNull();
  });

  test('delete needs confirm "yes", then the run is gone; a logged-in browser gets a redirect to the list', async () => {
    expect((await post(`/backtests/${ids.walkforwardId}/delete`, {}, bearer)).status).toBe(422);
    expect(w.h.repos.runs.getRun(ids.walkforwardId)).not.toBeNull();
    const { cookie, csrf } = await login(w);
    const res = await w.request(`/backtests/${ids.walkforwardId}/delete`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, origin: ORIGIN, 'hx-request': 'true', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'confirm=yes',
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('hx-redirect')).toBe('/backtests');
    expect(w.h.repos.runs.getRun(ids.walkforwardId)).toBeNull();
    expect((await w.get(`/backtests/${ids.walkforwardId}`, { accept: 'text/html' })).status).toBe(404);
    expect(w.h.repos.audit.recent(5).find((a) => a.command === 'deleteRun')).toMatchObject({ principal: 'session', ok: true });
  });

  test('a run page shows the label form enabled only when logged in', async () => {
    const anon = await (await w.get(`/backtests/${ids.backtestId}`, { accept: 'text/html' })).text();
    expect(anon).toMatch(/data-testid="run-delete"[^>]*disabled|disabled[^>]*data-testid="run-delete"/);
    const { cookie } = await login(w);
    const page = await (await w.get(`/backtests/${ids.backtestId}`, { accept: 'text/html', cookie })).text();
    expect(page).not.toMatch(/data-testid="run-delete"[^>]*disabled|disabled[^>]*data-testid="run-delete"/);
  });
});
