import { table } from '../backtest/report.ts';
import type { HaltSummary } from '../backtest/halt-summary.ts';
import { BREAKDOWN_KINDS, type Breakdowns, type BreakdownKind } from './breakdown.ts';
import type { Guards } from './guards.ts';
import type { MonteCarlo, McMethod } from './monte-carlo.ts';

/** Text tables of a run report, for the research commands. */

const money = (v: number | null) => (v === null ? '—' : `${v < 0 ? '-' : ''}$${Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
const num = (v: number | null, d = 2) => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(d));
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export const BREAKDOWN_TITLES: Record<BreakdownKind, string> = {
  exitReason: 'Exit reason',
  side: 'Side',
  hour: 'Hour (New York, entry)',
  weekday: 'Weekday (trading date)',
  session: 'Session (trading date)',
  week: 'ISO week',
  month: 'Month',
};

export function formatBreakdowns(b: Breakdowns, kinds: readonly BreakdownKind[] = BREAKDOWN_KINDS): string {
  const parts = kinds.map((k) => {
    const rows = b.groups[k].map((g) => [g.key, String(g.trades), pct(g.winRate), money(g.netPnl), num(g.profitFactor), money(g.avgPnl)]);
    return `${BREAKDOWN_TITLES[k]}\n${table([BREAKDOWN_TITLES[k].split(' ')[0]!, 'Trades', 'Win rate', 'Net P&L', 'PF', 'Avg P&L'], rows)}`;
  });
  const s = b.streaks;
  const e = b.exposure;
  parts.push(
    `Streaks: longest ${s.longestWin} wins, ${s.longestLoss} losses; ended on ${s.current === 0 ? 'no trades' : `${Math.abs(s.current)} ${s.current > 0 ? 'wins' : 'losses'}`}\n` +
      `Time in market: ${pct(e.timeInMarket)} (${e.barsInMarket.toLocaleString('en-US')} of ${e.totalBars.toLocaleString('en-US')} bars) · exposure: ${num(e.avgContracts, 3)} contracts on average, ${e.maxContracts} at most`,
  );
  return `${parts.join('\n\n')}\n`;
}

export function formatHalts(h: HaltSummary): string {
  if (h.halts.length === 0) return 'Halts: none\n';
  const rows = h.halts.map((x) => [iso(x.time), x.reason, x.clearedAt === null ? 'never (rest of run)' : iso(x.clearedAt), x.detail]);
  return `Halts: ${h.halts.length}, entries refused in ${h.sessionsHalted} session${h.sessionsHalted === 1 ? '' : 's'}${h.haltedToEnd ? ' · HALTED to the end of the run' : ''}\n${table(['Began', 'Reason', 'Cleared', 'Detail'], rows)}\n`;
}

export function formatMonteCarlo(mc: MonteCarlo | null): string {
  if (!mc) return 'Monte Carlo: no trades\n';
  const row = (name: string, m: McMethod | null) => (m ? [name, `${money(m.netPnl.p5)} … ${money(m.netPnl.p95)}`, money(m.netPnl.p50), `${money(m.maxDrawdown.p5)} … ${money(m.maxDrawdown.p95)}`, money(m.maxDrawdown.p50), pct(m.lossProbability)] : [name, '—', '—', '—', '—', '—']);
  return `Monte Carlo (${mc.paths} paths, seed ${mc.seed}; 90 % intervals)\n${table(['Method', 'Net P&L 5–95 %', 'median', 'Max DD 5–95 %', 'median', 'P(loss)'], [row('trade bootstrap', mc.trades), row('trade order', mc.tradeOrder), row('daily bootstrap', mc.days)])}\n`;
}

export function formatGuards(g: Guards): string {
  const d = g.dsr;
  const p = g.pbo;
  const s = g.stability;
  const lines = [
    `Deflated Sharpe Ratio: ${d.dsr === null ? '— (needs ≥ 3 sessions and a Sharpe)' : num(d.dsr, 3)} · Sharpe ${num(d.sharpe)} vs ${num(d.benchmarkSharpe)} expected from the best of ${d.trials} unskilled sets · ${d.sessions} sessions`,
    `PBO (CSCV, ${p.groups} groups, ${p.combinations} splits): ${p.pbo === null ? '— (too few sessions or sets)' : num(p.pbo, 3)}${p.medianLogit === null ? '' : ` · median logit ${num(p.medianLogit)}`}`,
    `Stability of ${s.objective} around the chosen set: ${num(s.chosenValue)}; ${s.neighbours} neighbours mean ${num(s.neighbourMean)}, worst ${num(s.neighbourMin)}${s.retained === null ? '' : ` (${(s.retained * 100).toFixed(0)} % retained)`}`,
    ...s.profiles.map((pr) => `  ${pr.param}: ${pr.points.map((pt) => `${pt.value}→${num(pt.objective)}${pt.chosen ? '*' : ''}`).join('  ')}`),
  ];
  return `${lines.join('\n')}\n`;
}
