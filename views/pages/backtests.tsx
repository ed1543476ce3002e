import type { Heatmap, RunSummary, StoredFold, StoredRun, StoredTrade } from '../../src/web/view-models/research.ts';
import type { ViewerModel } from '../../src/web/view-models/viewer.ts';
import { Layout } from '../components/layout.tsx';
import { dateTime, date, params, spec as specText } from '../format.ts';
import { FoldsTable, HeatmapPanel, MetricsTable, RunsTable, RunTradesPanel } from '../fragments/research.tsx';
import { ReportPanels, TzToggle } from '../fragments/research-report.tsx';
import { RunActions } from '../fragments/research-actions.tsx';
import type { Tz } from '../../src/web/view-models/research-charts.ts';

export function BacktestsPage(props: { viewer: ViewerModel; runs: readonly RunSummary[]; page: number; pageSize: number; total: number }) {
  return (
    <Layout title="Backtests" viewer={props.viewer} active="backtests">
      <h1>Backtests, optimisations and walk-forwards</h1>
      <RunsTable runs={props.runs} page={props.page} pageSize={props.pageSize} total={props.total} />
    </Layout>
  );
}

export interface RunPageModel {
  readonly viewer: ViewerModel;
  readonly run: StoredRun;
  readonly trades: { readonly rows: readonly StoredTrade[]; readonly page: number; readonly pageSize: number; readonly total: number };
  readonly heatmap: Heatmap | null;
  readonly folds: readonly StoredFold[];
  readonly tz: Tz;
}

const KIND_TITLE = { backtest: 'Backtest', optimize: 'Optimisation', walkforward: 'Walk-forward' } as const;

function spec(run: StoredRun): string {
  if (run.kind === 'backtest') return params(run.params);
  if (run.kind === 'optimize') return `best: ${params(run.bestParams)} · min trades ${run.minTrades}`;
  return specText(run.spec);
}

/** One stored run: what it was, how it did, its equity and drawdown, its trades, and its grid or folds. */
export function RunPage(props: { model: RunPageModel }) {
  const { run, trades } = props.model;
  return (
    <Layout title={`Run #${run.id}`} viewer={props.model.viewer} active="backtests" scripts={['/assets/vendor/lightweight-charts.js', '/assets/run-charts.js']}>
      <p>
        <a href="/backtests">‹ all runs</a>
      </p>
      <h1 safe>{`${KIND_TITLE[run.kind]} #${run.id} · ${run.strategy}`}</h1>
      <RunActions run={run} enabled={props.model.viewer.loggedIn} />
      <section class="panel wide">
        <dl class="facts">
          <div class="span2">
            <dt>Parameters</dt>
            <dd safe>{spec(run)}</dd>
          </div>
          <div>
            <dt>Data</dt>
            <dd safe>{run.dataSource}</dd>
          </div>
          <div>
            <dt>Bars</dt>
            <dd safe>{`${run.bars} (${date(run.from)} → ${date(run.to)})`}</dd>
          </div>
          <div>
            <dt>Created (UTC)</dt>
            <dd safe>{dateTime(run.createdAt)}</dd>
          </div>
          <div>
            <dt>Objective</dt>
            <dd safe>{run.objective ?? '—'}</dd>
          </div>
          <div>
            <dt>Note</dt>
            <dd safe>{run.note ?? '—'}</dd>
          </div>
        </dl>
      </section>
      <section class="panel wide">
        <h2>{run.kind === 'walkforward' ? 'Out-of-sample metrics' : run.kind === 'optimize' ? "Best set's metrics" : 'Metrics'}</h2>
        <MetricsTable metrics={run.metrics} />
      </section>
      <section class="panel wide">
        <TzToggle href={`/backtests/${run.id}`} tz={props.model.tz} />
        <h2>Equity</h2>
        <div id="equity-chart" class="chart" data-src={`/backtests/${run.id}/charts.json?tz=${props.model.tz}`} data-testid="equity-chart"></div>
        <h2>Drawdown</h2>
        <div id="drawdown-chart" class="chart short" data-testid="drawdown-chart"></div>
        {run.report?.price ? (
          <>
            <h2 safe>{`Price, entries and exits${run.report.price.barsPerCandle > 1 ? ` (${run.report.price.barsPerCandle} bars per candle)` : ''}`}</h2>
            <div id="price-chart" class="chart tall" data-testid="price-chart"></div>
            <p class="muted small" safe>{`Arrows: entries (green long, red short); dots: exits, coloured by reason (stop red, target green, signal violet, max hold amber, end of data grey); red and green steps: each trade's stop and target.${run.report.price.omittedTrades > 0 ? ` ${run.report.price.omittedTrades} later trades are not drawn.` : ''}`}</p>
          </>
        ) : (
          ''
        )}
        <p>
          <a class="button small" href={`/backtests/${run.id}/results.csv`} download="">
            Results CSV
          </a>
        </p>
      </section>
      <ReportPanels report={run.report} tz={props.model.tz} />
      {run.kind === 'optimize' ? (
        <section class="panel wide">
          <h2>Heat map</h2>
          <HeatmapPanel runId={run.id} map={props.model.heatmap} />
        </section>
      ) : (
        ''
      )}
      {run.kind === 'walkforward' ? (
        <section class="panel wide">
          <h2>Folds</h2>
          <FoldsTable folds={props.model.folds} />
        </section>
      ) : (
        ''
      )}
      <RunTradesPanel runId={run.id} trades={trades.rows} page={trades.page} pageSize={trades.pageSize} total={trades.total} tz={props.model.tz} />
    </Layout>
  );
}
