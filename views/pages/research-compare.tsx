import type { StoredRun } from '../../src/web/view-models/research.ts';
import type { ViewerModel } from '../../src/web/view-models/viewer.ts';
import { Layout } from '../components/layout.tsx';
import { Money } from '../components/bits.tsx';
import { date, num, pct } from '../format.ts';

/** Two or more runs side by side: what they were, their metrics, and their equity on one chart. */
export function ComparePage(props: { viewer: ViewerModel; runs: readonly StoredRun[] }) {
  const { runs } = props;
  const row = (label: string, cell: (r: StoredRun) => JSX.Element | string) => (
    <tr>
      <th safe>{label}</th>
      {runs.map((r) => (
        <td>{cell(r)}</td>
      ))}
    </tr>
  );
  const m = (r: StoredRun) => r.metrics;
  return (
    <Layout title="Compare runs" viewer={props.viewer} active="backtests" scripts={['/assets/vendor/lightweight-charts.js', '/assets/run-charts.js']}>
      <p>
        <a href="/backtests">‹ all runs</a>
      </p>
      <h1 safe>{`Comparing runs ${runs.map((r) => `#${r.id}`).join(', ')}`}</h1>
      <section class="panel wide">
        <div class="table-wrap">
          <table data-testid="compare-table">
            <thead>
              <tr>
                <th></th>
                {runs.map((r) => (
                  <th>
                    <a href={`/backtests/${r.id}`} safe>{`#${r.id} ${r.kind}`}</a>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {row('Strategy', (r) => <span safe>{r.strategy}</span>)}
              {row('Parameters', (r) => <span class="small" safe>{r.paramsText || '—'}</span>)}
              {row('Data', (r) => <span safe>{`${r.dataSource} · ${r.bars} bars (${date(r.from)} → ${date(r.to)})`}</span>)}
              {row('Halted', (r) => (r.halted === null ? '—' : r.halted ? 'yes' : r.sessionsHalted ? `${r.sessionsHalted} sessions refused` : 'no'))}
              {row('Trades', (r) => String(m(r)?.trades ?? '—'))}
              {row('Net P&L', (r) => <Money value={m(r)?.netPnl} />)}
              {row('Win rate', (r) => pct(m(r)?.winRate))}
              {row('Profit factor', (r) => num(m(r)?.profitFactor))}
              {row('Sharpe', (r) => num(m(r)?.sharpe))}
              {row('Sortino', (r) => num(m(r)?.sortino))}
              {row('Max drawdown', (r) => <span safe>{`${num(m(r)?.maxDrawdown)} (${num(m(r)?.maxDrawdownPct)}%)`}</span>)}
              {row('Expectancy', (r) => <Money value={m(r)?.expectancy} />)}
              {row('DSR / PBO', (r) => (r.report?.guards ? `${num(r.report.guards.dsr.dsr, 3)} / ${num(r.report.guards.pbo.pbo, 3)}` : '—'))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="panel wide">
        <h2>Equity</h2>
        <div id="compare-chart" class="chart tall" data-src={`/backtests/compare.json?${runs.map((r) => `ids=${r.id}`).join('&')}`} data-testid="compare-chart"></div>
      </section>
    </Layout>
  );
}
