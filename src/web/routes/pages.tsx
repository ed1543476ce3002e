import { Elysia } from 'elysia';
import { render } from '../../../views/render.ts';
import { ActorsPanel, BreakersPanel } from '../../../views/fragments/breakers.tsx';
import { ControlsPanel, FlattenConfirm } from '../../../views/fragments/controls.tsx';
import { PositionPanel } from '../../../views/fragments/position.tsx';
import { StatusBar } from '../../../views/fragments/status.tsx';
import { TradesPanel } from '../../../views/fragments/trades.tsx';
import { DashboardPage, type DashboardModel } from '../../../views/pages/dashboard.tsx';
import { viewerOf, type WebDeps } from '../deps.ts';
import { html } from '../http.ts';
import { PageQuery } from '../schemas.ts';
import { bandParams } from '../view-models/chart.ts';
import { tradesPage } from '../view-models/dashboard.ts';

export function dashboardModel(deps: WebDeps, request: Request): DashboardModel {
  const { app } = deps;
  const status = app.status();
  const band = bandParams(deps.market.strategy, deps.market.params);
  return {
    viewer: viewerOf(deps, request),
    status,
    venue: app.venue(),
    position: status.position,
    pnl: status.pnl,
    trades: tradesPage(app, 1),
    breakers: app.breakers(),
    actors: app.actors(),
    bandLabel: band ? `mean ± ${band.width}σ (${band.lookback} bars)` : null,
  };
}

/** The dashboard page and its fragments; each fragment is a panel of the page, rendered alone. */
export function dashboardRoutes(deps: WebDeps) {
  const { app } = deps;
  return new Elysia({ name: 'dashboard' })
    .get('/', ({ request }) => html(render(<DashboardPage model={dashboardModel(deps, request)} />)), { detail: { hide: true } })
    .group('/fragments', { detail: { hide: true } }, (g) =>
      g
        .get('/status', () => html(render(<StatusBar status={app.status()} venue={app.venue()} />)))
        .get('/position', () => {
          const s = app.status();
          return html(render(<PositionPanel position={s.position} pnl={s.pnl} />));
        })
        .get('/trades', ({ query }) => html(render(<TradesPanel page={tradesPage(app, query.page)} />)), { query: PageQuery })
        .get('/breakers', () => html(render(<BreakersPanel breakers={app.breakers()} />)))
        .get('/actors', () => html(render(<ActorsPanel actors={app.actors()} />)))
        .get('/controls', ({ request }) => html(render(<ControlsPanel viewer={viewerOf(deps, request)} />)))
        .get('/flatten-confirm', () => html(render(<FlattenConfirm position={app.status().position} />)))
        .get('/empty', () => html('')),
    );
}
