import * as v from 'valibot';
import { Elysia } from 'elysia';
import { render } from '../../../views/render.ts';
import { HeatmapPanel, RunsTable, RunTradesPanel } from '../../../views/fragments/research.tsx';
import { BacktestsPage, RunPage } from '../../../views/pages/backtests.tsx';
import { viewerOf, type WebDeps } from '../deps.ts';
import { csvCell, csvResponse, html, isHtmx, json } from '../http.ts';
import { HeatmapQuery, PageQuery, RunIdParams, RunTradesQuery } from '../schemas.ts';
import { heatmap, type HeatObjective, type StoredRun } from '../view-models/research.ts';
import { NotFound } from './errors.ts';
import { ComparePage } from '../../../views/pages/research-compare.tsx';
import { equityAndDrawdown, runCharts } from '../view-models/research-charts.ts';
import { CompareQuery, DeleteBody, LabelBody, resultsCsv, TzQuery } from './research-extra.ts';
import { RunActions } from '../../../views/fragments/research-actions.tsx';

const RUNS_PAGE = 20;
const TRADES_PAGE = 50;
const CSV_BATCH = 1000;

/** Backtest, optimisation and walk-forward runs from the research store, read only. */
export function researchRoutes(deps: WebDeps) {
  const { research } = deps;
  const runOr404 = (id: number): StoredRun => {
    const run = research.getRun(id);
    if (!run) throw new NotFound(`no stored run #${id}; see /backtests for the list`);
    return run;
  };
  const runsTable = (page: number) => {
    const { total, runs } = research.listRuns({ limit: RUNS_PAGE, offset: (page - 1) * RUNS_PAGE });
    return { runs, page, pageSize: RUNS_PAGE, total };
  };
  const tradesOf = (run: StoredRun, page: number, fold?: number) => {
    const rows = research.runTrades(run.id, { limit: TRADES_PAGE, offset: (page - 1) * TRADES_PAGE, ...(fold === undefined ? {} : { fold }) });
    const total = fold === undefined ? run.tradeCount : (research.folds(run.id).find((f) => f.fold === fold)?.testTradeCount ?? 0);
    return { rows, page, pageSize: TRADES_PAGE, total };
  };
  const heatmapOf = (run: StoredRun, q: { objective?: HeatObjective; x?: string; y?: string }) =>
    heatmap(research.gridRows(run.id), q.objective ?? ((run.objective as HeatObjective | null) ?? 'sharpe'), q.x, q.y);

  const source = (request: Request) => ({ channel: 'web' as const, principal: deps.gate.principal(request)?.kind === 'session' ? 'session' : 'token' });

  return new Elysia({ name: 'research', detail: { hide: true } })
    // State changes: the gate has checked the token and, for a browser session, origin and CSRF.
    .post(
      '/backtests/:id/label',
      ({ request, params, body }) => {
        const result = research.labelRun(source(request), params.id, body.label);
        if (!isHtmx(request)) return json(result, result.ok ? 200 : 404);
        return html(render(<RunActions run={runOr404(params.id)} enabled={true} result={result} />));
      },
      { params: RunIdParams, body: LabelBody },
    )
    .post(
      '/backtests/:id/delete',
      ({ request, params }) => {
        const result = research.deleteRun(source(request), params.id);
        if (!isHtmx(request)) return json(result, result.ok ? 200 : 404);
        return new Response(null, { status: 204, headers: { 'hx-redirect': '/backtests' } });
      },
      { params: RunIdParams, body: DeleteBody },
    )
    .get('/backtests', ({ request, query }) => html(render(<BacktestsPage viewer={viewerOf(deps, request)} {...runsTable(query.page)} />)), { query: PageQuery })
    .get('/fragments/runs', ({ query }) => html(render(<RunsTable {...runsTable(query.page)} />)), { query: PageQuery })
    .get('/backtests/compare', ({ request, query }) => html(render(<ComparePage viewer={viewerOf(deps, request)} runs={query.ids.map(runOr404)} />)), { query: CompareQuery })
    .get(
      '/backtests/compare.json',
      ({ query }) => json({ runs: query.ids.map(runOr404).map((r) => ({ id: r.id, label: `#${r.id} ${r.kind} ${r.strategy}`, equity: equityAndDrawdown(r.equity, 'utc').equity })) }),
      { query: CompareQuery },
    )
    .get(
      '/backtests/:id',
      ({ request, params, query }) => {
        const run = runOr404(params.id);
        const model = {
          viewer: viewerOf(deps, request),
          run,
          trades: tradesOf(run, 1),
          heatmap: run.kind === 'optimize' ? heatmapOf(run, {}) : null,
          folds: run.kind === 'walkforward' ? research.folds(run.id) : [],
          tz: query.tz,
        };
        return html(render(<RunPage model={model} />));
      },
      { params: RunIdParams, query: TzQuery },
    )
    .get('/backtests/:id/charts.json', ({ params, query }) => json(runCharts(runOr404(params.id), query.tz)), { params: RunIdParams, query: TzQuery })
    .get(
      '/backtests/:id/results.csv',
      ({ params }) => {
        const run = runOr404(params.id);
        return csvResponse(`run-${run.id}-results.csv`, resultsCsv(run, run.kind === 'optimize' ? research.gridRows(run.id, 'rank') : [], run.kind === 'walkforward' ? research.folds(run.id) : []));
      },
      { params: RunIdParams },
    )
    .get(
      '/backtests/:id/trades',
      ({ params, query }) => {
        const run = runOr404(params.id);
        const t = tradesOf(run, query.page, query.fold);
        return html(render(<RunTradesPanel runId={run.id} trades={t.rows} page={t.page} pageSize={t.pageSize} total={t.total} tz={query.tz} {...(query.fold === undefined ? {} : { fold: query.fold })} />));
      },
      { params: RunIdParams, query: v.object({ ...RunTradesQuery.entries, ...TzQuery.entries }) },
    )
    .get('/backtests/:id/heatmap', ({ params, query }) => html(render(<HeatmapPanel runId={params.id} map={heatmapOf(runOr404(params.id), query)} />)), { params: RunIdParams, query: HeatmapQuery })
    .get(
      '/backtests/:id/trades.csv',
      ({ params }) => {
        const run = runOr404(params.id);
        // Streamed in batches: an optimisation's best run can hold tens of thousands of trades.
        let offset = 0;
        const enc = new TextEncoder();
        const stream = new ReadableStream<Uint8Array>({
          start: (c) => c.enqueue(enc.encode('seq,fold,side,qty,entry_time,entry_price,exit_time,exit_price,exit_reason,commission,pnl\n')),
          pull: (c) => {
            const rows = research.runTrades(run.id, { limit: CSV_BATCH, offset });
            offset += rows.length;
            if (rows.length === 0) return c.close();
            c.enqueue(enc.encode(rows.map((t) => [t.seq, t.fold, t.side, t.qty, new Date(t.entryTime).toISOString(), t.entryPrice, new Date(t.exitTime).toISOString(), t.exitPrice, t.exitReason, t.commissionCents / 100, t.pnlCents / 100].map(csvCell).join(',')).join('\n') + '\n'));
          },
        });
        return csvResponse(`run-${run.id}-trades.csv`, stream);
      },
      { params: RunIdParams },
    );
}
