import { Admission, type AdmissionOptions } from './security/admission.ts';
import { ReadCache } from './read-cache.ts';
import { rememberClient } from './security/client.ts';
import { refusedByHead } from './security/gate.ts';
import { SECURITY_HEADERS } from './security/headers.ts';

/** Paths whose answer is a stream that stays open (capped, not paced). */
const STREAMS = new Set(['/events']);
/** A refused read waits this long before its 429, so a refused flood cannot spin the loop either. */
const REFUSAL_DELAY_MS = 1000;

const answer = (status: number, error: string, message: string, extra: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error, message }), { status, headers: { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra } });

function pathOf(request: Request): string | null {
  try {
    return new URL(request.url).pathname;
  } catch {
    return null;
  }
}

/**
 * Bun's server in front of the Elysia app: the remote address for the gate, the admission control
 * (CPU budget for reads, caps on live streams, commands straight through), production mode, and
 * an error answer with the security headers. Elysia's own listen would hand static routes to Bun
 * directly, past any wrapper; this keeps every request on one path.
 */
export function listen(web: { fetch(request: Request): Response | Promise<Response> }, o: { hostname: string; port: number; admission?: AdmissionOptions }) {
  const admission = new Admission(o.admission);
  const cache = new ReadCache();
  const server = Bun.serve({
    hostname: o.hostname,
    port: o.port,
    // Bun's own 413 comes before any JavaScript and carries no headers, so Bun is never let to send
    // it: the gate enforces BODY_LIMIT itself (by Content-Length before reading, or while reading a
    // chunked body), and its 413 has the security headers.
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    idleTimeout: 30,
    // Never Bun's development error page (inline script, no headers, install paths), whatever NODE_ENV says.
    development: false,
    // SO_REUSEPORT would let a second service on the same port silently share the traffic.
    reusePort: false,
    error(e) {
      console.error('web.error', e);
      return answer(500, 'internal', 'internal error; the details are in the service log');
    },
    async fetch(request, srv) {
      const client = srv.requestIP(request)?.address ?? 'unknown';
      rememberClient(request, client);
      // A request the gate refuses by its head is answered at once: no reason to queue it for the budget.
      if ((request.method !== 'GET' && request.method !== 'HEAD') || refusedByHead(request)) return web.fetch(request);
      const path = pathOf(request);
      if (path !== null && STREAMS.has(path)) {
        const close = admission.openStream(client);
        if (!close) {
          await Bun.sleep(REFUSAL_DELAY_MS);
          return answer(429, 'too_many_streams', 'too many live streams open (8 per address, 64 in all); close a dashboard tab', { 'retry-after': '5' });
        }
        request.signal.addEventListener('abort', close, { once: true });
        const res = await web.fetch(request);
        if (res.status !== 200) close();
        return res;
      }
      const served = await admission.read(client, () =>
        // A reader that gave up while queued costs nothing more.
        request.signal.aborted ? answer(503, 'gone', 'the client went away') : cache.serve(request, () => web.fetch(request)),
      );
      if (served) return served.value;
      await Bun.sleep(REFUSAL_DELAY_MS);
      return answer(429, 'too_many_requests', `too many requests waiting from ${client}; slow down`, { 'retry-after': '1' });
    },
  });
  return { server, admission };
}
