import { Elysia } from 'elysia';
import type { Logger } from '../domain/log.ts';
import type { App } from '../app/app.ts';
import type { MarketView } from '../app/market-view.ts';
import type { Research } from '../app/research.ts';
import { viewerOf, webDeps, type WebOptions } from './deps.ts';
import { errorResponse, handleError } from './errors.tsx';
import { healthRoutes } from './health.ts';
import { LiveFeed } from './live/feed.ts';
import { liveSnapshot } from './live/snapshot.tsx';
import { apiRoutes } from './routes/api.ts';
import { assetRoutes } from './routes/assets.ts';
import { commandRoutes } from './routes/commands.tsx';
import { csvRoutes } from './routes/csv.ts';
import { docsRoutes, openApiPlugin } from './routes/docs.tsx';
import { eventRoutes } from './routes/events.ts';
import { loginRoutes } from './routes/login.tsx';
import { dashboardRoutes } from './routes/pages.tsx';
import { researchRoutes } from './routes/research.tsx';
import { listen } from './listen.ts';
import type { AdmissionOptions } from './security/admission.ts';
import { clientAddress } from './security/client.ts';
import { statechartRoutes } from './statecharts/routes.ts';
import { SECURITY_HEADERS } from './security/headers.ts';
import { checkBind } from './security/bind.ts';

/**
 * The HTTP surface: one Elysia instance per feature module, mounted here behind one gate (Host,
 * body size, token, CSRF) and one error mapper, with the security headers on every response.
 */
export function createWebApp(options: WebOptions | App) {
  const deps = webDeps('app' in options ? options : { app: options });
  const feed = new LiveFeed(() => liveSnapshot(deps), deps.pushIntervalMs);
  // Typed as plain Elysia: /docs calls back into this same app for its OpenAPI document.
  const web: Elysia = new Elysia()
    .onRequest(async ({ request, set }) => {
      Object.assign(set.headers, SECURITY_HEADERS);
      const refused = await deps.gate.check(request, clientAddress(request));
      if (refused) {
        if (refused.retryAfterSec) set.headers['retry-after'] = String(refused.retryAfterSec);
        return errorResponse(request, refused.status, refused.error, refused.message);
      }
    })
    .onError(({ code, error, request }) => {
      if (code === 'VALIDATION' || code === 'PARSE') deps.gate.reportInvalid(request, 422, code === 'PARSE' ? 'malformed' : 'invalid');
      return handleError({ code, error, request });
    })
    .use(openApiPlugin())
    .use(healthRoutes(deps.app))
    .use(assetRoutes())
    .use(loginRoutes(deps))
    .use(dashboardRoutes(deps))
    .use(researchRoutes(deps))
    .use(apiRoutes(deps))
    .use(commandRoutes(deps))
    .use(csvRoutes(deps))
    .use(eventRoutes(deps, feed))
    .use(statechartRoutes(deps.app, { viewer: (request) => viewerOf(deps, request) }))
    .use(docsRoutes(deps, (r) => web.handle(r))) as unknown as Elysia;
  return Object.assign(web, { feed, deps });
}

export interface StartWebOptions {
  readonly host: string;
  readonly port: number;
  /** QS_DASHBOARD_TOKEN; without it the dashboard is read-only. */
  readonly token?: string | undefined;
  /** The live chart's bars and the strategy's band parameters (built by the composition from the core). */
  readonly market?: MarketView;
  /** The backtest pages' queries. */
  readonly research?: Research;
  /** How often the live stream pushes (default 1000 ms). */
  readonly pushIntervalMs?: number;
  /** Where refused requests are logged (default stderr). */
  readonly log?: Logger;
  /** The HTTP budget and stream caps (defaults in Admission). */
  readonly admission?: AdmissionOptions;
}

export function startWebServer(app: App, opts: StartWebOptions) {
  const loopback = checkBind(opts.host, opts.token);
  const market = opts.market;
  const web = createWebApp({
    app,
    token: opts.token ?? null,
    loopbackOnly: loopback,
    ...(opts.pushIntervalMs ? { pushIntervalMs: opts.pushIntervalMs } : {}),
    ...(market ? { market } : {}),
    ...(opts.research ? { research: opts.research } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });
  const { server, admission } = listen(web, { hostname: opts.host, port: opts.port, ...(opts.admission ? { admission: opts.admission } : {}) });
  return {
    get port(): number {
      return server.port ?? opts.port;
    },
    admission,
    stop: () => {
      web.feed.stop();
      market?.close();
      // Live streams never end on their own; without closing them the stop would wait forever.
      return server.stop(true);
    },
  };
}
