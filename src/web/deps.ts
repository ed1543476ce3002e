import type { App } from '../app/app.ts';
import { createMarketView, type MarketView } from '../app/market-view.ts';
import { createResearch, type Research } from '../app/research.ts';
import { Sessions } from './security/auth.ts';
import type { Logger } from '../domain/log.ts';
import { Gate, type Refusal } from './security/gate.ts';
import { Throttle, type ThrottleOptions } from './security/throttle.ts';
import type { ViewerModel } from './view-models/viewer.ts';

/** What the dashboard is built from. Everything but `app` has a default, so a test passes only what it checks. */
export interface WebOptions {
  readonly app: App;
  /** The live chart's bars; without one the chart fills from the status' last bar as the stream samples it. */
  readonly market?: MarketView;
  /** Backtest pages; without it they show no runs. */
  readonly research?: Research;
  /** The dashboard token (QS_DASHBOARD_TOKEN); none disables every state-changing request. */
  readonly token?: string | null;
  /** Answer only to loopback host names (default true; the server sets it from its bind address). */
  readonly loopbackOnly?: boolean;
  /** How often the live stream re-renders and pushes what changed (default 1000 ms). */
  readonly pushIntervalMs?: number;
  /** Wall clock for session expiry and the token-guess lockout. */
  readonly now?: () => number;
  /** Where refused requests are logged (default: stderr). */
  readonly log?: Logger;
  /** Token-guess limits per client address (defaults in Throttle). */
  readonly throttle?: ThrottleOptions;
}

export interface WebDeps {
  readonly app: App;
  readonly market: MarketView;
  readonly research: Research;
  readonly gate: Gate;
  readonly pushIntervalMs: number;
}

/** A store with no runs, for a dashboard started without the research store (tests of other panels). */
const NO_RUNS: Research = createResearch({
  runs: { countRuns: () => 0, listRuns: () => [], getRun: () => null, getRunTrades: () => [], getGridRows: () => [], getFolds: () => [] } as never,
});

const stderrLog = (event: string, fields: Record<string, unknown>) => console.warn(event, JSON.stringify(fields));

export function webDeps(o: WebOptions): WebDeps {
  const token = o.token ? o.token : null;
  const now = o.now ?? Date.now;
  // Every refusal is both evidence (the audit table) and a signal (the log): one callback does both.
  const onRefused = (r: Refusal) => {
    o.app.auditRefused({ channel: 'web', principal: `address ${r.client}` }, `${r.method} ${r.path}`, `${r.status} ${r.error}`);
    const fields = { client: r.client, method: r.method, path: r.path, status: r.status, error: r.error };
    if (o.log) o.log.warn('web.refused', fields);
    else stderrLog('web.refused', fields);
  };
  return {
    app: o.app,
    market: o.market ?? createMarketView({ strategy: 'unknown', params: {} }),
    research: o.research ?? NO_RUNS,
    gate: new Gate({ token, sessions: new Sessions(now), loopbackOnly: o.loopbackOnly ?? true, throttle: new Throttle(now, o.throttle), onRefused }),
    pushIntervalMs: o.pushIntervalMs ?? 1000,
  };
}

export function viewerOf(deps: WebDeps, request: Request): ViewerModel {
  const v = deps.gate.viewer(request);
  return { tokenConfigured: v.tokenConfigured, loggedIn: v.session !== null, csrf: v.session?.csrf ?? null };
}
