import { marketViewOf } from '../../src/app/market-view.ts';
import { createResearch } from '../../src/app/research.ts';
import { liveHarness } from '../../src/testing/live-harness.ts';
import type { WebOptions } from '../../src/web/deps.ts';
import { createWebApp } from '../../src/web/server.ts';

export { barsUntil, whileBarsRun } from '../app/helpers.ts';

export const TOKEN = 'test-dashboard-token-0123456789';
export const ORIGIN = 'http://localhost';

/**
 * A volatile simulated market with tight brackets and a quick strategy: positions open within a
 * few bars and trades close within tens, so a test sees round trips without running long.
 */
export const ACTIVE_MARKET = {
  sim: { seed: 11, regime: 'volatile' },
  trading: { params: { lookback: 20, entry: 1.8, exit: 0.3 } },
  risk: { stopLossPerContract: 25, takeProfitPerContract: 40, maxDrawdown: 100_000 },
} as const;

export type Harness = Awaited<ReturnType<typeof liveHarness>>;
export type Web = Awaited<ReturnType<typeof dashboard>>;

/** The real service on the sim venue with its dashboard, driven through `app.handle`. */
export async function dashboard(opts: { token?: string | null; config?: Record<string, unknown>; pushIntervalMs?: number } & Pick<WebOptions, 'now' | 'log' | 'loopbackOnly'> = {}) {
  const h = await liveHarness({ config: opts.config ?? ACTIVE_MARKET, warmup: 100 });
  const market = marketViewOf(h.core);
  const web = createWebApp({
    app: h.app,
    market,
    research: createResearch(h.repos),
    token: opts.token === undefined ? TOKEN : opts.token,
    pushIntervalMs: opts.pushIntervalMs ?? 20,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.loopbackOnly === undefined ? {} : { loopbackOnly: opts.loopbackOnly }),
  });
  const request = (path: string, init: RequestInit = {}) => web.handle(new Request(`${ORIGIN}${path}`, init));
  return {
    h,
    web,
    market,
    request,
    get: (path: string, headers: Record<string, string> = {}) => request(path, { headers }),
    async close() {
      web.feed.stop();
      market.close();
      await h.close();
    },
  };
}

/** Logs in through the form like a browser; returns the cookie header and the page's CSRF token. */
export async function login(w: Web, token = TOKEN): Promise<{ cookie: string; csrf: string }> {
  const res = await w.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
    body: new URLSearchParams({ token }).toString(),
  });
  if (res.status !== 303) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const page = await (await w.get('/', { cookie })).text();
  const csrf = page.match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (!csrf) throw new Error('no CSRF token on the page after login');
  return { cookie, csrf };
}

/** A POST as htmx sends it from the page: session cookie, CSRF header, same origin, form body. */
export function htmxPost(session: { cookie: string; csrf: string }, body = '', extra: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, origin: ORIGIN, 'hx-request': 'true', 'content-type': 'application/x-www-form-urlencoded', ...extra },
    body,
  };
}

export function bearerPost(body?: unknown, token = TOKEN, extra: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  };
}

export const auditCount = (h: Harness) => h.repos.audit.recent(10_000).length;
