import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWebServer } from '../../src/web/server.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/web/security/headers.ts';
import { dashboard, TOKEN, type Web } from './helpers.ts';
import { createResearch } from '../../src/app/research.ts';

let w: Web;
let server: ReturnType<typeof startWebServer>;
beforeAll(async () => {
  w = await dashboard();
  server = startWebServer(w.h.app, { host: '127.0.0.1', port: 0, token: TOKEN, research: createResearch(w.h.repos) });
});
afterAll(async () => {
  await server.stop();
  await w.close();
});

/** One request written by hand on a socket, so the Host header can be anything; the raw answer back. */
function raw(request: string): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const done = () => resolve(out);
    void Bun.connect({
      hostname: '127.0.0.1',
      port: server.port,
      socket: { open: (s) => void s.write(request), data: (_s, d) => void (out += d.toString()), close: done, error: done },
    });
    setTimeout(done, 2000);
  });
}
const get = (path: string, host = '127.0.0.1') => raw(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
const statusOf = (answer: string) => Number(answer.slice(9, 12));

describe('hostile requests on the real server', () => {
  test.each(['/statecharts/assets/__proto__', '/statecharts/assets/constructor', '/assets/__proto__', '/assets/constructor', '/assets/hasOwnProperty'])(
    '%s is a plain 404 with the security headers, never Bun\'s error page',
    async (path) => {
      const answer = await get(path);
      expect(statusOf(answer)).toBe(404);
      expect(answer.toLowerCase()).toContain(`content-security-policy: ${CONTENT_SECURITY_POLICY.toLowerCase()}`);
      expect(answer).not.toContain('__bunfallback');
      expect(answer).not.toContain('<script');
    },
  );

  test.each(['[::1', 'a b', '127.0.0.1:99999', 'ex ample.com:80'])('a malformed Host (%s) is a 400 with the security headers, not a 500', async (host) => {
    const answer = await get('/', host);
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain('malformed Host header');
    expect(answer.toLowerCase()).toContain('x-frame-options: deny');
  });

  test('a body over 16 KiB is refused by the gate with the security headers', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/api/commands/pause`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(w.h.core.engine.state.paused).toBe(false);
  });
});

describe('production mode wherever the service is started', () => {
  const root = join(import.meta.dir, '../..');
  test('bun run start sets NODE_ENV=production', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toMatch(/^NODE_ENV=production bun /);
  });

  test('the systemd unit sets NODE_ENV=production', () => {
    expect(readFileSync(join(root, 'config/quant-scalper.service'), 'utf8')).toMatch(/^Environment=NODE_ENV=production$/m);
  });
});
