import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createResearch } from '../../src/app/research.ts';
import { BODY_LIMIT } from '../../src/web/security/gate.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/web/security/headers.ts';
import { startWebServer } from '../../src/web/server.ts';
import { dashboard, TOKEN, type Web } from './helpers.ts';

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

const MIB = 1024 * 1024;

/** Writes `request` on a loopback socket and resolves with what came back once the head of an answer is in. */
function raw(request: string): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => (clearTimeout(timer), resolve(out));
    void Bun.connect({
      hostname: '127.0.0.1',
      port: server.port,
      socket: {
        open: (s) => void s.write(request),
        data: (s, d) => {
          out += d.toString();
          // The answer is complete once its head is and its (small, sized) body has arrived.
          const head = out.indexOf('\r\n\r\n');
          const length = Number(/content-length: (\d+)/i.exec(out)?.[1] ?? 0);
          if (head >= 0 && out.length >= head + 4 + length) (s.end(), done());
        },
        close: done,
        error: done,
      },
    });
    timer = setTimeout(done, 5000);
  });
}
const statusOf = (answer: string) => Number(answer.slice(9, 12));
const hasSecurityHeaders = (answer: string) => answer.toLowerCase().includes(`content-security-policy: ${CONTENT_SECURITY_POLICY.toLowerCase()}`);
const post = (path: string, headers: string) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\n${headers}\r\n`;
const chunked = (body: string, size = 8192) => {
  const parts: string[] = [];
  for (let i = 0; i < body.length; i += size) {
    const c = body.slice(i, i + size);
    parts.push(`${c.length.toString(16)}\r\n${c}\r\n`);
  }
  return `${parts.join('')}0\r\n\r\n`;
};
/** A JSON command body of exactly `bytes` bytes (the pause command ignores the padding field). */
const padded = (bytes: number) => {
  const shell = '{"pad":""}';
  return `{"pad":"${'x'.repeat(bytes - shell.length)}"}`;
};

describe('the body limit is the app’s, so its 413 carries the security headers', () => {
  test('a 2 MiB Content-Length is refused by the gate (413, security headers, JSON reason) before the body is sent', async () => {
    const answer = await raw(post('/api/commands/pause', `Content-Length: ${2 * MIB}\r\n`));
    expect(statusOf(answer)).toBe(413);
    expect(hasSecurityHeaders(answer)).toBe(true);
    expect(answer).toContain('"error":"payload_too_large"');
    expect(w.h.core.engine.state.paused).toBe(false);
  });

  test('a 2 MiB body sent by fetch gets the app’s 413 with the security headers', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/api/commands/pause`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: 'x'.repeat(2 * MIB) });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(((await res.json()) as { error: string }).error).toBe('payload_too_large');
  });

  test('a GET declaring a 2 MiB body is refused the same way, not queued or served', async () => {
    const answer = await raw(`GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${2 * MIB}\r\n\r\n`);
    expect(statusOf(answer)).toBe(413);
    expect(hasSecurityHeaders(answer)).toBe(true);
  });

  test('a GET carrying a chunked body (no Content-Length) is refused: 400 with the security headers, the body never read', async () => {
    const answer = await raw(`GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n${chunked('x'.repeat(2 * MIB))}`);
    expect(statusOf(answer)).toBe(400);
    expect(hasSecurityHeaders(answer)).toBe(true);
    expect(answer).toContain('"error":"body_not_allowed"');
  });

  test.each([64 * 1024, 2 * MIB])('a chunked body over the limit (%d bytes, no Content-Length) is cut off while reading: 413 with the security headers', async (bytes) => {
    const answer = await raw(post('/api/commands/pause', 'Transfer-Encoding: chunked\r\n') + chunked('x'.repeat(bytes)));
    expect(statusOf(answer)).toBe(413);
    expect(hasSecurityHeaders(answer)).toBe(true);
    expect(w.h.core.engine.state.paused).toBe(false);
  });

  test('a body of exactly the limit passes, by Content-Length and chunked: the command runs', async () => {
    const body = padded(BODY_LIMIT);
    expect(body.length).toBe(BODY_LIMIT);
    const sized = await raw(post('/api/commands/pause', `Content-Length: ${body.length}\r\n`) + body);
    expect(statusOf(sized)).toBe(200);
    expect(w.h.core.engine.state.paused).toBe(true);
    const resumed = await raw(post('/api/commands/resume', 'Transfer-Encoding: chunked\r\n') + chunked(body));
    expect(statusOf(resumed)).toBe(200);
    expect(w.h.core.engine.state.paused).toBe(false);
  });
});

describe('what Bun answers before any JavaScript runs (README: a limitation, not intercepted)', () => {
  test('headers over 16 KiB: Bun’s bare 431, without the security headers', async () => {
    const answer = await raw(`GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(statusOf(answer)).toBe(431);
    expect(hasSecurityHeaders(answer)).toBe(false);
  });

  test('an unparseable request line: Bun’s bare 400, without the security headers', async () => {
    const answer = await raw('NOT A REQUEST\r\n\r\n');
    expect(statusOf(answer)).toBe(400);
    expect(hasSecurityHeaders(answer)).toBe(false);
  });
});
