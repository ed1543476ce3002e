import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { auditCount, barsUntil, bearerPost, dashboard, htmxPost, login, ORIGIN, TOKEN, whileBarsRun, type Web } from './helpers.ts';

let w: Web;
beforeAll(async () => {
  w = await dashboard();
});
afterAll(async () => {
  await w.close();
});

const paused = () => w.h.core.engine.state.paused;

/** Sends a refused request and checks its status, message, that nothing changed, and that the refusal is audited once. */
async function refused(path: string, init: RequestInit, status: number, message: RegExp) {
  const audits = auditCount(w.h);
  const before = paused();
  const res = await w.request(path, init);
  expect(res.status).toBe(status);
  const body = (await res.json()) as { message: string };
  expect(body.message).toMatch(message);
  expect(paused()).toBe(before);
  expect(auditCount(w.h)).toBe(audits + 1);
  const row = w.h.repos.audit.recent(1)[0]!;
  expect(row.ok).toBe(false);
  expect(row.source).toBe('web');
  expect(row.command).toBe(`POST ${path}`);
  expect(JSON.stringify(row)).not.toContain(TOKEN);
}

describe('state-changing requests are refused, and change nothing, when', () => {
  test('no token is given: 401', async () => {
    await refused('/api/commands/pause', { method: 'POST' }, 401, /missing token/);
  });

  test('the bearer token is wrong: 401', async () => {
    await refused('/api/commands/pause', bearerPost(undefined, 'not-the-token'), 401, /wrong token/);
    await refused('/api/commands/flatten', bearerPost({ confirm: 'yes' }, `${TOKEN}x`), 401, /wrong token/);
  });

  test('the session cookie is unknown: 401', async () => {
    await refused('/api/commands/pause', { method: 'POST', headers: { cookie: 'qs_session=forged', origin: ORIGIN, 'x-csrf-token': 'x' } }, 401, /log in again/);
  });

  test('a session request has no CSRF token, or a wrong one: 403', async () => {
    const s = await login(w);
    await refused('/api/commands/pause', { method: 'POST', headers: { cookie: s.cookie, origin: ORIGIN } }, 403, /CSRF/);
    await refused('/api/commands/pause', { method: 'POST', headers: { cookie: s.cookie, origin: ORIGIN, 'x-csrf-token': `${s.csrf}x` } }, 403, /CSRF/);
    await refused('/api/commands/pause', { method: 'POST', headers: { cookie: s.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=wrong' }, 403, /CSRF/);
  });

  test('a session request comes from another origin, or names none: 403', async () => {
    const s = await login(w);
    await refused('/api/commands/pause', { method: 'POST', headers: { cookie: s.cookie, origin: 'http://evil.example', 'x-csrf-token': s.csrf } }, 403, /cross-origin/);
    await refused('/api/commands/pause', { method: 'POST', headers: { cookie: s.cookie, referer: 'http://evil.example/page', 'x-csrf-token': s.csrf } }, 403, /cross-origin/);
    await refused('/api/commands/pause', { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } }, 403, /cross-origin/);
  });

  test('a bearer request carries a foreign Origin: 403', async () => {
    await refused('/api/commands/pause', bearerPost(undefined, TOKEN, { origin: 'http://evil.example' }), 403, /cross-origin/);
  });

  test('the body is over 16 KiB, with or without a declared length: 413', async () => {
    const big = JSON.stringify({ note: 'x'.repeat(17 * 1024) });
    await refused('/api/commands/pause', bearerPost(big), 413, /16 KiB/);
    await refused('/api/commands/pause', bearerPost(big, TOKEN, { 'content-length': String(big.length) }), 413, /16 KiB/);
  });

  test('the body is malformed or the wrong shape: 422', async () => {
    await refused('/api/commands/pause', bearerPost('{not json'), 422, /malformed/);
    await refused('/api/commands/pause', bearerPost({ note: 5 }), 422, /note/);
    await refused('/api/commands/flatten', bearerPost({}), 422, /confirm/);
    await refused('/api/commands/flatten', bearerPost({ confirm: 'no' }), 422, /confirm/);
  });
});

describe('commands with the token', () => {
  test('pause and resume by bearer token: the facade says what happened and the engine follows', async () => {
    const res = await w.request('/api/commands/pause', bearerPost());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, message: 'paused: no new entries; open positions keep their stop and target' });
    await barsUntil(w.h, paused, 20);

    const again = await (await w.request('/api/commands/pause', bearerPost())).json();
    expect(again).toEqual({ ok: true, message: 'already paused: no new entries' });

    expect(await (await w.request('/api/commands/resume', bearerPost({ note: 'after lunch' }))).json()).toMatchObject({ ok: true, message: expect.stringContaining('resumed') });
    await barsUntil(w.h, () => !paused(), 20);
    expect(w.h.repos.audit.recent(1)[0]).toMatchObject({ source: 'web', principal: 'token', command: 'resume', ok: true });
  });

  test('from the page (htmx, session + CSRF): the answer is a fragment and the panels are told to refresh', async () => {
    const s = await login(w);
    const res = await w.request('/api/commands/pause', htmxPost(s));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('hx-trigger')).toBe('qs:refresh');
    expect(await res.text()).toContain('paused: no new entries');
    expect(w.h.repos.audit.recent(1)[0]).toMatchObject({ principal: 'session', command: 'pause' });

    const viaField = await w.request('/api/commands/resume', { method: 'POST', headers: { cookie: s.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(s.csrf)}` });
    expect(viaField.status).toBe(200);
    expect(await viaField.json()).toMatchObject({ ok: true });
  });

  test('a refused htmx request gets its message as a fragment', async () => {
    const s = await login(w);
    const res = await w.request('/api/commands/pause', htmxPost({ ...s, csrf: 'wrong' }));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('CSRF');
  });

  test('reset breaker when closed says so', async () => {
    expect(await (await w.request('/api/commands/reset-breaker', bearerPost())).json()).toEqual({ ok: true, message: 'breaker already closed' });
  });

  test('flatten with a position open: the position closes and the status reads flat', async () => {
    await barsUntil(w.h, () => w.h.system.get('position')!.getSnapshot().matches('open'));
    const res = await whileBarsRun(w.h, w.request('/api/commands/flatten', bearerPost({ confirm: 'yes' })));
    const result = (await res.json()) as { ok: boolean; message: string };
    expect(result.ok).toBe(true);
    expect(result.message).toMatch(/^flat: cancelled 2 order\(s\), closed (long|short) 1/);
    const status = (await (await w.get('/api/status')).json()) as { position: unknown; trading: { kind: string } };
    expect(status.position).toBeNull();
    expect(status.trading.kind).toBe('PAUSED');
    expect(await (await w.get('/fragments/position')).text()).toContain('FLAT');
  });
});

describe('with no token configured', () => {
  test('every command is refused with a hint, and the controls render disabled', async () => {
    const open = await dashboard({ token: null });
    try {
      const res = await open.request('/api/commands/pause', bearerPost(undefined, 'anything'));
      expect(res.status).toBe(401);
      expect(((await res.json()) as { message: string }).message).toContain('QS_DASHBOARD_TOKEN');
      expect(open.h.core.engine.state.paused).toBe(false);
      const page = await (await open.get('/')).text();
      expect(page).toContain('no dashboard token is configured');
      expect(page.match(/data-testid="cmd-[a-z-]+"[^>]*disabled|disabled[^>]*data-testid="cmd-/g)?.length).toBe(4);
    } finally {
      await open.close();
    }
  });
});
