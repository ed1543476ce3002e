import type { Heatmap, Metrics, RunSummary, StoredFold, StoredTrade } from '../../src/web/view-models/research.ts';
import { OBJECTIVES } from '../../src/web/view-models/research.ts';
import { Badge, Money, Pager } from '../components/bits.tsx';
import { date, dateTime, num, params, pct } from '../format.ts';
import { RunTradeTable } from './research-report.tsx';
import type { Tz } from '../../src/web/view-models/research-charts.ts';

export function MetricsTable(props: { metrics: Metrics | null }) {
  const m = props.metrics;
  if (!m) return <p class="muted">No metrics (no parameter set reached the minimum trade count).</p>;
  const rows: [string, JSX.Element][] = [
    ['Trades', String(m.trades)],
    ['Net P&L', <Money value={m.netPnl} />],
    ['Win rate', pct(m.winRate)],
    ['Profit factor', num(m.profitFactor)],
    ['Expectancy', <Money value={m.expectancy} />],
    ['Max drawdown', <span safe>{`${num(m.maxDrawdown)} (${num(m.maxDrawdownPct)}%)`}</span>],
    ['Sharpe', num(m.sharpe)],
    ['Sortino', num(m.sortino)],
    ['Avg hold', m.avgHoldMinutes === null ? '—' : `${num(m.avgHoldMinutes, 1)} min`],
  ];
  return (
    <dl class="facts metrics" data-testid="metrics">
      {rows.map(([k, v]) => (
        <div>
          <dt safe>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function RunsTable(props: { runs: readonly RunSummary[]; page: number; pageSize: number; total: number }) {
  return (
    <section id="runs" class="panel wide">
      {props.total === 0 ? (
        <p class="muted">
          No stored runs yet. Run <code>bun run backtest</code>, <code>bun run optimize</code> or <code>bun run walkforward</code>.
        </p>
      ) : (
        <form class="table-wrap" method="get" action="/backtests/compare">
          <table data-testid="runs">
            <thead>
              <tr>
                <th>Compare</th>
                <th>#</th>
                <th>Kind</th>
                <th>Strategy</th>
                <th>Parameters</th>
                <th>Created (UTC)</th>
                <th>Bars (data range)</th>
                <th>Halted</th>
                <th class="num">Trades</th>
                <th class="num">Net P&amp;L</th>
                <th class="num">Sharpe</th>
                <th>Note</th>
              </tr>
            </thead>
            <tbody>
              {props.runs.map((r) => (
                <tr>
                  <td>
                    <input type="checkbox" name="ids" value={String(r.id)} aria-label={`compare run ${r.id}`} />
                  </td>
                  <td>
                    <a href={`/backtests/${r.id}`}>#{r.id}</a>
                  </td>
                  <td safe>{r.kind}</td>
                  <td safe>{r.strategy}</td>
                  <td class="small" safe>{r.paramsText || '—'}</td>
                  <td safe>{dateTime(r.createdAt)}</td>
                  <td safe>{`${r.bars} (${date(r.from)} → ${date(r.to)})`}</td>
                  <td data-testid="halted">{r.halted === null ? <span class="muted">—</span> : r.halted ? <Badge tone="bad" text="halted" /> : r.sessionsHalted ? <Badge tone="warn" text={`${r.sessionsHalted} sessions`} /> : 'no'}</td>
                  <td class="num">{r.metrics ? r.metrics.trades : '—'}</td>
                  <td class="num">
                    <Money value={r.metrics?.netPnl} />
                  </td>
                  <td class="num" safe>{num(r.metrics?.sharpe)}</td>
                  <td class="muted" safe>{r.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="submit" class="button small" data-testid="compare">
            Compare selected
          </button>
        </form>
      )}
      <Pager page={props.page} pageSize={props.pageSize} total={props.total} href={(p) => `/fragments/runs?page=${p}`} target="#runs" />
    </section>
  );
}

export function RunTradesPanel(props: { runId: number; trades: readonly StoredTrade[]; page: number; pageSize: number; total: number; fold?: number; tz?: Tz }) {
  const tz = props.tz ?? 'utc';
  const q = `${props.fold === undefined ? '' : `&fold=${props.fold}`}${tz === 'utc' ? '' : `&tz=${tz}`}`;
  return (
    <section id="run-trades" class="panel wide">
      <header class="panel-head">
        <h2 safe>{`Trades${props.fold === undefined ? '' : ` (fold ${props.fold})`}`}</h2>
        <a class="button small" href={`/backtests/${props.runId}/trades.csv`} download="">
          CSV
        </a>
      </header>
      <div class="table-wrap">
        <RunTradeTable trades={props.trades} tz={tz} />
      </div>
      <Pager page={props.page} pageSize={props.pageSize} total={props.total} href={(p) => `/backtests/${props.runId}/trades?page=${p}${q}`} target="#run-trades" />
    </section>
  );
}

/** The objective over two parameters; the selects re-render only this fragment. */
export function HeatmapPanel(props: { runId: number; map: Heatmap | null }) {
  const { map } = props;
  if (!map) return <div id="heatmap" class="muted">No grid rows stored for this run.</div>;
  const select = (name: string, value: string | null, options: readonly string[]) => (
    <select name={name}>
      {options.map((o) => (
        <option value={o} selected={o === value} safe>
          {o}
        </option>
      ))}
    </select>
  );
  return (
    <div id="heatmap" data-testid="heatmap">
      <form class="inline-form" hx-get={`/backtests/${props.runId}/heatmap`} hx-trigger="change" hx-target="#heatmap" hx-swap="outerHTML">
        <label>Objective {select('objective', map.objective, OBJECTIVES)}</label>
        <label>x {select('x', map.x, map.params)}</label>
        {map.y === null ? '' : <label>y {select('y', map.y, map.params.filter((p) => p !== map.x))}</label>}
      </form>
      <div class="table-wrap">
        <table class="heatmap">
          <thead>
            <tr>
              <th safe>{map.y === null ? '' : `${map.y} \\ ${map.x}`}</th>
              {map.xs.map((x) => (
                <th class="num" safe>
                  {x}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {map.cells.map((row, i) => (
              <tr>
                <th class="num" safe>
                  {map.y === null ? map.x : map.ys[i]}
                </th>
                {row.map((c) =>
                  c === null ? (
                    <td class="hm-none">·</td>
                  ) : (
                    <td class={`num hm-${c.step === null ? 'none' : c.step < 0 ? `n${-c.step}` : `p${c.step}`}${c.ranked ? '' : ' unranked'}`} title={`${c.trades} trades${c.ranked ? '' : ' (below the minimum, not ranked)'}`} safe>
                      {num(c.value)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted small">Green is better, red worse; faded cells had too few trades to be ranked. With more than two parameters a cell shows the best set sharing its values.</p>
    </div>
  );
}

/** Walk-forward folds side by side: one column per fold. */
export function FoldsTable(props: { folds: readonly StoredFold[] }) {
  const { folds } = props;
  if (folds.length === 0) return <p class="muted">No folds stored.</p>;
  const row = (label: string, cell: (f: StoredFold) => JSX.Element) => (
    <tr>
      <th safe>{label}</th>
      {folds.map((f) => (
        <td>{cell(f)}</td>
      ))}
    </tr>
  );
  return (
    <div class="table-wrap">
      <table class="folds" data-testid="folds">
        <thead>
          <tr>
            <th></th>
            {folds.map((f) => (
              <th>Fold {f.fold}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {row('Train', (f) => `${date(f.train.from)} → ${date(f.train.to)} (${f.train.bars} bars)`)}
          {row('Test', (f) => `${date(f.test.from)} → ${date(f.test.to)} (${f.test.bars} bars)`)}
          {row('Chosen params', (f) => <span safe>{params(f.params)}</span>)}
          {row('Train Sharpe', (f) => num(f.trainMetrics?.sharpe))}
          {row('Test Sharpe', (f) => num(f.testMetrics?.sharpe))}
          {row('Test net P&L', (f) => <Money value={f.testMetrics?.netPnl} />)}
          {row('Test trades', (f) => String(f.testTradeCount))}
          {row('Test max DD', (f) => num(f.testMetrics?.maxDrawdown))}
          {row('Test sessions', (f) => (f.testSessions === undefined ? '—' : String(f.testSessions)))}
          {row('Halted', (f) => (f.testHalted ? <Badge tone="bad" text="halted" /> : f.testSessionsHalted ? <span safe>{`${f.testSessionsHalted} sessions refused`}</span> : f.testHalted === undefined ? '—' : 'no'))}
          {row('Warnings', (f) => ((f.warnings ?? []).length === 0 ? '' : <span class="warn" title={(f.warnings ?? []).join('\n')} safe>{`⚠ ${(f.warnings ?? []).length}`}</span>))}
        </tbody>
      </table>
    </div>
  );
}
