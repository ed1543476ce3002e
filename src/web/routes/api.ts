import { Elysia } from 'elysia';
import * as v from 'valibot';
import * as R from '../response-schemas.ts';
import { jsonResponse } from '../response-schemas.ts';
import type { WebDeps } from '../deps.ts';
import { LimitQuery, RunIdParams, RunsQuery, RunTradesQuery } from '../schemas.ts';
import { equityCurves } from '../view-models/research.ts';
import { NotFound } from './errors.ts';
import { marketChart } from '../live/snapshot.tsx';

const read = (summary: string, response?: ReturnType<typeof jsonResponse>) => ({ detail: { tags: ['read'], summary, ...(response ? { responses: response } : {}) } });

/** The JSON read API: the facade's answers as they are, so a script sees what the dashboard shows. */
export function apiRoutes(deps: WebDeps) {
  const { app, research } = deps;
  const runOr404 = (id: number) => {
    const run = research.getRun(id);
    if (!run) throw new NotFound(`no stored run #${id}`);
    return run;
  };
  return new Elysia({ name: 'api', prefix: '/api' })
    .get('/status', () => app.status(), read('Mode, connection, trading state, position, P&L, z-score implementation, uptime, last bar', jsonResponse(R.Status, 'the service now')))
    .get('/positions', () => app.positions(), read('Open positions (empty when flat)', jsonResponse(v.array(R.Position), 'zero or one position')))
    .get('/pnl', () => app.pnl(), read("Today's realised and unrealised P&L, daily loss used and drawdown against their limits", jsonResponse(R.Pnl, 'dollars')))
    .get(
      '/trades',
      ({ query }) => ({ total: app.tradeCount(), limit: query.limit, offset: query.offset, trades: app.trades({ limit: query.limit, offset: query.offset }) }),
      { query: LimitQuery, ...read('Closed live trades, newest first; money in integer cents', jsonResponse(R.TradesPage, 'a page of trades')) },
    )
    .get('/breakers', () => app.breakers(), read('Circuit breaker state and its recent trips, cooldowns and resets', jsonResponse(R.Breakers, 'the breaker')))
    .get('/actors', () => app.actors(), read("Every actor's state, restarts and last error", jsonResponse(v.array(R.Actor), 'one entry per supervised actor')))
    .get('/market', () => marketChart(deps), read('The live chart: recent bars (UTC seconds), the entry band and trade markers'))
    .get(
      '/runs',
      ({ query }) => ({ limit: query.limit, offset: query.offset, ...research.listRuns({ limit: query.limit, offset: query.offset, ...(query.kind ? { kind: query.kind } : {}) }) }),
      { query: RunsQuery, ...read('Stored backtest, optimisation and walk-forward runs, newest first') },
    )
    .get('/runs/:id', ({ params }) => runOr404(params.id), { params: RunIdParams, ...read('One stored run with its metrics and equity curve') })
    .get('/runs/:id/equity', ({ params }) => equityCurves(runOr404(params.id).equity), {
      params: RunIdParams,
      ...read("A run's equity and drawdown curves (at most 2000 points, UTC seconds)"),
    })
    .get(
      '/runs/:id/trades',
      ({ params, query }) => {
        runOr404(params.id);
        const page = { limit: 50, offset: (query.page - 1) * 50, ...(query.fold === undefined ? {} : { fold: query.fold }) };
        return { page: query.page, trades: research.runTrades(params.id, page) };
      },
      { params: RunIdParams, query: RunTradesQuery, ...read("A page (50) of a run's trades; fold narrows a walk-forward to one fold") },
    )
    .get(
      '/runs/:id/grid',
      ({ params }) => {
        runOr404(params.id);
        return research.gridRows(params.id, 'rank');
      },
      { params: RunIdParams, ...read("An optimisation's parameter sets, best rank first") },
    )
    .get(
      '/runs/:id/folds',
      ({ params }) => {
        runOr404(params.id);
        return research.folds(params.id);
      },
      { params: RunIdParams, ...read("A walk-forward's folds") },
    );
}
