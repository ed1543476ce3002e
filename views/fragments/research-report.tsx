import type { RunReport } from '../../src/research/run-report.ts';
import type { Breakdowns, BreakdownKind } from '../../src/research/breakdown.ts';
import type { McMethod, MonteCarlo } from '../../src/research/monte-carlo.ts';
import type { Guards } from '../../src/research/guards.ts';
import type { HaltSummary } from '../../src/backtest/halt-summary.ts';
import { timeText, type Tz } from '../../src/web/view-models/research-charts.ts';
import { Badge, Money } from '../components/bits.tsx';
import { num, pct } from '../format.ts';

/** The parts of a stored run report: halts, breakdowns, Monte Carlo, overfitting guards, warnings. */

const TITLES: Record<BreakdownKind, string> = {
  exitReason: 'Exit reason',
  side: 'Side',
  hour: 'Hour of entry (New York)',
  weekday: 'Weekday',
  session: 'Session',
  week: 'Week (ISO)',
  month: 'Month',
};

export function TzToggle(props: { href: string; tz: Tz }) {
  const link = (tz: Tz, label: string) =>
    props.tz === tz ? (
      <strong aria-current="true" safe>{label}</strong>
    ) : (
      <a href={`${props.href}?tz=${tz}`} data-testid={`tz-${tz}`} safe>
        {label}
      </a>
    );
  return (
    <p class="tz-toggle" data-testid="tz-toggle">
      Times: {link('utc', 'UTC')} · {link('ny', 'New York')}
    </p>
  );
}

export function HaltsPanel(props: { halts: HaltSummary; tz: Tz }) {
  const { halts, tz } = props;
  return (
    <section class="panel wide" data-testid="halts">
      <h2>Halts</h2>
      {halts.halts.length === 0 ? (
        <p class="muted">No halt: entries were never refused by the drawdown or daily loss limit.</p>
      ) : (
        <>
          <p>
            {halts.haltedToEnd ? <Badge tone="bad" text="halted to the end of the run" /> : <Badge tone="warn" text="halted, then resumed" />}{' '}
            <span safe>{`${halts.halts.length} halt${halts.halts.length === 1 ? '' : 's'}; entries refused in ${halts.sessionsHalted} session${halts.sessionsHalted === 1 ? '' : 's'}`}</span>
          </p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Began</th>
                  <th>Reason</th>
                  <th>Cleared</th>
                  <th>Detail</th>
                </tr>
              </thead>
              <tbody>
                {halts.halts.map((h) => (
                  <tr>
                    <td safe>{timeText(h.time, tz)}</td>
                    <td safe>{h.reason}</td>
                    <td safe>{h.clearedAt === null ? 'never (rest of the run)' : timeText(h.clearedAt, tz)}</td>
                    <td safe>{h.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

export function BreakdownsPanel(props: { breakdowns: Breakdowns }) {
  const b = props.breakdowns;
  const kinds = Object.keys(TITLES) as BreakdownKind[];
  return (
    <section class="panel wide" data-testid="breakdowns">
      <h2>Breakdowns</h2>
      <dl class="facts">
        <div>
          <dt>Longest win / loss streak</dt>
          <dd safe>{`${b.streaks.longestWin} / ${b.streaks.longestLoss}`}</dd>
        </div>
        <div>
          <dt>Time in market</dt>
          <dd safe>{`${pct(b.exposure.timeInMarket)} (${b.exposure.barsInMarket} of ${b.exposure.totalBars} bars)`}</dd>
        </div>
        <div>
          <dt>Exposure</dt>
          <dd safe>{`${num(b.exposure.avgContracts, 3)} contracts on average, ${b.exposure.maxContracts} at most`}</dd>
        </div>
      </dl>
      <div class="breakdowns">
        {kinds.map((k) => (
          <div class="table-wrap">
            <table data-testid={`breakdown-${k}`}>
              <caption safe>{TITLES[k]}</caption>
              <thead>
                <tr>
                  <th></th>
                  <th class="num">Trades</th>
                  <th class="num">Win rate</th>
                  <th class="num">Net P&amp;L</th>
                  <th class="num">PF</th>
                </tr>
              </thead>
              <tbody>
                {b.groups[k].map((g) => (
                  <tr>
                    <th safe>{g.key}</th>
                    <td class="num">{String(g.trades)}</td>
                    <td class="num" safe>{pct(g.winRate)}</td>
                    <td class="num">
                      <Money value={g.netPnl} />
                    </td>
                    <td class="num" safe>{num(g.profitFactor)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </div>
    </section>
  );
}

export function MonteCarloPanel(props: { mc: MonteCarlo | null }) {
  const { mc } = props;
  if (!mc) return <section class="panel wide" data-testid="monte-carlo"><h2>Monte Carlo</h2><p class="muted">No trades to resample.</p></section>;
  const row = (name: string, m: McMethod | null) => (
    <tr>
      <th safe>{name}</th>
      {m ? (
        <>
          <td class="num"><Money value={m.netPnl.p5} /> … <Money value={m.netPnl.p95} /></td>
          <td class="num"><Money value={m.netPnl.p50} /></td>
          <td class="num" safe>{`${num(m.maxDrawdown.p5)} … ${num(m.maxDrawdown.p95)}`}</td>
          <td class="num" safe>{num(m.maxDrawdown.p50)}</td>
          <td class="num" safe>{pct(m.lossProbability)}</td>
        </>
      ) : (
        <td colspan="5" class="muted">—</td>
      )}
    </tr>
  );
  return (
    <section class="panel wide" data-testid="monte-carlo">
      <h2 safe>{`Monte Carlo (${mc.paths} paths, seed ${mc.seed}, 90 % intervals)`}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Method</th>
              <th class="num">Net P&amp;L 5–95 %</th>
              <th class="num">median</th>
              <th class="num">Max DD 5–95 %</th>
              <th class="num">median</th>
              <th class="num">P(loss)</th>
            </tr>
          </thead>
          <tbody>
            {row('Trade bootstrap', mc.trades)}
            {row('Trade order', mc.tradeOrder)}
            {row('Daily bootstrap', mc.days)}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function GuardsPanel(props: { guards: Guards }) {
  const { dsr, pbo, stability } = props.guards;
  const dsrTone = dsr.dsr === null ? 'muted' : dsr.dsr >= 0.95 ? 'ok' : dsr.dsr >= 0.5 ? 'warn' : 'bad';
  const pboTone = pbo.pbo === null ? 'muted' : pbo.pbo <= 0.2 ? 'ok' : pbo.pbo <= 0.5 ? 'warn' : 'bad';
  return (
    <section class="panel wide" data-testid="guards">
      <h2>Is the best set luck?</h2>
      <dl class="facts">
        <div>
          <dt>Deflated Sharpe Ratio</dt>
          <dd>
            <Badge tone={dsrTone} text={num(dsr.dsr, 3)} testid="dsr" />{' '}
            <span class="muted small" safe>{`Sharpe ${num(dsr.sharpe)} vs ${num(dsr.benchmarkSharpe)} expected from the best of ${dsr.trials} unskilled sets; ${dsr.sessions} sessions`}</span>
          </dd>
        </div>
        <div>
          <dt>Probability of backtest overfitting</dt>
          <dd>
            <Badge tone={pboTone} text={num(pbo.pbo, 3)} testid="pbo" />{' '}
            <span class="muted small" safe>{`CSCV, ${pbo.groups} groups, ${pbo.combinations} splits`}</span>
          </dd>
        </div>
        <div>
          <dt safe>{`Stability of ${stability.objective}`}</dt>
          <dd safe>{`chosen ${num(stability.chosenValue)}; ${stability.neighbours} neighbours: mean ${num(stability.neighbourMean)}, worst ${num(stability.neighbourMin)}${stability.retained === null ? '' : ` (${(stability.retained * 100).toFixed(0)} % retained)`}`}</dd>
        </div>
      </dl>
      <div class="table-wrap">
        <table data-testid="stability">
          <caption>Objective along each parameter, the others at the chosen set (* chosen)</caption>
          <tbody>
            {stability.profiles.map((p) => (
              <tr>
                <th safe>{p.param}</th>
                {p.points.map((pt) => (
                  <td class={`num${pt.chosen ? ' chosen' : ''}`} title={`${pt.trades} trades`} safe>{`${pt.value}: ${num(pt.objective)}${pt.chosen ? ' *' : ''}`}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function WarningsPanel(props: { warnings: readonly string[] }) {
  if (props.warnings.length === 0) return '';
  return (
    <section class="panel wide" data-testid="warnings">
      <h2>Warnings</h2>
      <ul>
        {props.warnings.map((w) => (
          <li safe>{w}</li>
        ))}
      </ul>
    </section>
  );
}

export function ReportPanels(props: { report: RunReport | null; tz: Tz }) {
  const r = props.report;
  if (!r) return <p class="muted">This run was saved without a report (breakdowns, halts, Monte Carlo): run it again to get one.</p>;
  return (
    <>
      <WarningsPanel warnings={r.warnings} />
      <HaltsPanel halts={r.halts} tz={props.tz} />
      {r.guards ? <GuardsPanel guards={r.guards} /> : ''}
      <MonteCarloPanel mc={r.monteCarlo} />
      <BreakdownsPanel breakdowns={r.breakdowns} />
    </>
  );
}

/** A run's trades with times in the page's zone. */
export function RunTradeTable(props: { trades: readonly { side: string; qty: number; entryTime: number; entryPrice: number; exitTime: number; exitPrice: number; exitReason: string; pnlCents: number }[]; tz: Tz }) {
  const zone = props.tz === 'ny' ? 'New York' : 'UTC';
  return (
    <table data-testid="run-trades">
      <thead>
        <tr>
          <th>Side</th>
          <th class="num">Qty</th>
          <th safe>{`Entry (${zone})`}</th>
          <th class="num">Entry</th>
          <th safe>{`Exit (${zone})`}</th>
          <th class="num">Exit</th>
          <th>Reason</th>
          <th class="num">P&amp;L</th>
        </tr>
      </thead>
      <tbody>
        {props.trades.map((t) => (
          <tr>
            <td class={t.side === 'long' ? 'profit' : 'loss'} safe>{t.side}</td>
            <td class="num">{t.qty}</td>
            <td safe>{timeText(t.entryTime, props.tz).replace(/ (UTC|NY)$/, '')}</td>
            <td class="num" safe>{t.entryPrice.toFixed(2)}</td>
            <td safe>{timeText(t.exitTime, props.tz).replace(/ (UTC|NY)$/, '')}</td>
            <td class="num" safe>{t.exitPrice.toFixed(2)}</td>
            <td safe>{t.exitReason}</td>
            <td class="num">
              <Money value={t.pnlCents / 100} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
