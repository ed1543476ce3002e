import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startWebServer } from '../../src/web/server.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/web/security/headers.ts';
import { bearerPost, dashboard, login, ORIGIN, TOKEN, type Web } from './helpers.ts';
import { createResearch } from '../../src/app/research.ts';

let w: Web;
beforeAll(async () => {
  w = await dashboard();
});
afterAll(async () => {
  await w.close();
});

function expectSecurityHeaders(res: Response) {
  expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('same-origin');
}

describe('security headers', () => {
  test("the CSP allows scripts from this origin only: no inline script, no eval, no framing", () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  test('are on every response: pages, fragments, API, assets, CSV, errors and refusals', async () => {
    const responses = [
      await w.get('/'),
      await w.get('/fragments/status'),
      await w.get('/api/status'),
      await w.get('/assets/app.css'),
      await w.get('/trades.csv'),
      await w.get('/health'),
      await w.get('/statecharts'),
      await w.get('/no/such/page'),
      await w.get('/api/runs/abc'),
      await w.request('/api/commands/pause', { method: 'POST' }),
      await w.request('/api/commands/pause', bearerPost('x'.repeat(20_000))),
    ];
    for (const res of responses) expectSecurityHeaders(res);
  });
});

describe('login', () => {
  test('the right token sets an HttpOnly, SameSite=Strict session cookie and goes to the dashboard', async () => {
    const res = await w.request('/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN }, body: `token=${TOKEN}` });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^qs_session=[\w-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain(TOKEN);
  });

  test('a wrong token is a 401 with the form again, and no cookie', async () => {
    const res = await w.request('/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN }, body: 'token=guess' });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('wrong token');
  });

  test('a login posted from another site is refused', async () => {
    const res = await w.request('/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' }, body: `token=${TOKEN}` });
    expect(res.status).toBe(403);
  });

  test('logout ends the session: its cookie no longer changes anything', async () => {
    const s = await login(w);
    const out = await w.request('/logout', { method: 'POST', headers: { cookie: s.cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(s.csrf)}` });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    const after = await w.request('/api/commands/pause', { method: 'POST', headers: { cookie: s.cookie, origin: ORIGIN, 'x-csrf-token': s.csrf } });
    expect(after.status).toBe(401);
    expect(w.h.core.engine.state.paused).toBe(false);
  });
});

describe('host and binding', () => {
  test('a loopback dashboard refuses requests that name another host (DNS rebinding)', async () => {
    const res = await w.web.handle(new Request('http://attacker.example/api/status'));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toContain('loopback');
    expect((await w.web.handle(new Request('http://127.0.0.1/api/status'))).status).toBe(200);
  });

  test('binding a non-loopback address without a token is refused at start', () => {
    expect(() => startWebServer(w.h.app, { host: '0.0.0.0', port: 0 })).toThrow(/needs a token/);
  });

  test('the real server on 127.0.0.1 serves the page and refuses an oversized body before reading it', async () => {
    const server = startWebServer(w.h.app, { host: '127.0.0.1', port: 0, token: TOKEN, research: createResearch(w.h.repos) });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expectSecurityHeaders(page);
      const big = await fetch(`${base}/api/commands/pause`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: 'x'.repeat(64 * 1024) });
      expect(big.status).toBe(413);
      expect(w.h.core.engine.state.paused).toBe(false);
    } finally {
      await server.stop();
    }
  });
});

describe('a dashboard reachable from other machines', () => {
  test('refuses a weak token at start, saying the rule', () => {
    expect(() => startWebServer(w.h.app, { host: '0.0.0.0', port: 0, token: 'a' })).toThrow(/at least 32 characters with at least 10 different ones/);
    expect(() => startWebServer(w.h.app, { host: '192.168.1.5', port: 0, token: 'x'.repeat(40) })).toThrow(/only 1 different characters/);
  });

  test('needs the token for reads too: pages, fragments, API and CSV, from any Host', async () => {
    const open = await dashboard({ loopbackOnly: false });
    try {
      const at = (path: string, headers: Record<string, string> = {}) => open.web.handle(new Request(`http://203.0.113.9:8080${path}`, { headers }));
      for (const path of ['/', '/fragments/status', '/api/status', '/trades.csv', '/health', '/statecharts', '/docs']) {
        const res = await at(path);
        expect(res.status).toBe(401);
        expectSecurityHeaders(res);
      }
      expect((await at('/api/status', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
      expect((await at('/api/status', { authorization: 'Bearer guess' })).status).toBe(401);
      expect((await at('/login')).status).toBe(200);
      expect((await at('/assets/app.css')).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
