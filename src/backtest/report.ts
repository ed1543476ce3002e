import { fromCents } from '../domain/money.ts';
import type { Trade } from '../domain/trading.ts';
import type { BacktestResult, GridRow, Metrics, Params, RunInfo, WalkForwardFold } from '../domain/research.ts';

/** The `--json` documents of the research commands: ISO-8601 UTC times, dollars as numbers. */

const iso = (ms: number) => new Date(ms).toISOString();

export function tradeJson(t: Trade) {
  return {
    side: t.side,
    qty: t.qty,
    entryTime: iso(t.entryTime),
    entryPrice: t.entryPrice,
    exitTime: iso(t.exitTime),
    exitPrice: t.exitPrice,
    exitReason: t.exitReason,
    commission: fromCents(t.commissionCents),
    pnl: fromCents(t.pnlCents),
  };
}

export function runJson(run: RunInfo) {
  return { strategy: run.strategy, params: run.params, bars: run.bars, from: iso(run.from), to: iso(run.to) };
}

export function backtestJson(r: BacktestResult) {
  return { run: runJson(r.run), metrics: r.metrics, trades: r.trades.map(tradeJson) };
}

export function gridJson(run: RunInfo & { objective: string; minTrades: number; grid: Record<string, readonly number[]> }, rows: readonly GridRow[]) {
  return {
    run: { ...runJson(run), objective: run.objective, minTrades: run.minTrades, grid: run.grid, sets: rows.length },
    results: rows.map((r) => ({ rank: r.rank, params: r.params, metrics: r.metrics, halted: r.halted ?? false, sessionsHalted: r.sessionsHalted ?? 0 })),
  };
}

export function walkForwardJson(run: RunInfo & { objective: string; folds: number; train: number }, folds: readonly WalkForwardFold[], aggregate: { metrics: Metrics; trades: readonly Trade[] }) {
  return {
    run: { ...runJson(run), objective: run.objective, folds: run.folds, train: run.train },
    folds: folds.map((f) => ({
      fold: f.fold,
      train: { from: iso(f.train.from), to: iso(f.train.to), bars: f.train.bars },
      test: { from: iso(f.test.from), to: iso(f.test.to), bars: f.test.bars },
      params: f.params,
      trainMetrics: f.trainMetrics,
      testMetrics: f.testMetrics,
      testSessions: f.testSessions ?? 0,
      halted: f.testHalted ?? false,
      sessionsHalted: f.testSessionsHalted ?? 0,
      warnings: f.warnings ?? [],
    })),
    aggregate: { metrics: aggregate.metrics, trades: aggregate.trades.map(tradeJson) },
  };
}

// ---- text tables ----

const money = (v: number | null) => (v === null ? '—' : `${v < 0 ? '-' : ''}$${Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
const num = (v: number | null, digits = 2) => (v === null ? '—' : v.toFixed(digits));
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

export function metricsRows(m: Metrics): Array<[string, string]> {
  return [
    ['Trades', String(m.trades)],
    ['Win rate', pct(m.winRate)],
    ['Net P&L', money(m.netPnl)],
    ['Gross profit / loss', `${money(m.grossProfit)} / ${money(m.grossLoss)}`],
    ['Profit factor', num(m.profitFactor)],
    ['Sharpe', num(m.sharpe)],
    ['Sortino', num(m.sortino)],
    ['Max drawdown', `${money(m.maxDrawdown)} (${m.maxDrawdownPct.toFixed(2)}%)`],
    ['Expectancy', money(m.expectancy)],
    ['Avg hold', m.avgHoldMinutes === null ? '—' : `${m.avgHoldMinutes.toFixed(1)} min`],
  ];
}

export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatRun(run: RunInfo): string {
  return `${run.strategy} ${formatParams(run.params)} · ${run.bars.toLocaleString('en-US')} bars · ${iso(run.from)} → ${iso(run.to)}`;
}

export function formatParams(p: Params | null): string {
  return p === null ? '—' : Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ');
}

export function formatBacktest(r: BacktestResult): string {
  return `${formatRun(r.run)}\n\n${table(['Metric', 'Value'], metricsRows(r.metrics))}\n`;
}

export function formatGrid(rows: readonly GridRow[], limit = 20): string {
  const shown = rows.slice(0, limit);
  const body = shown.map((r) => [`${r.rank === null ? '—' : String(r.rank)}${r.halted ? ' H' : ''}`, formatParams(r.params), String(r.metrics.trades), money(r.metrics.netPnl), num(r.metrics.sharpe), num(r.metrics.sortino), num(r.metrics.profitFactor), money(r.metrics.expectancy), money(r.metrics.maxDrawdown)]);
  const more = rows.length > limit ? `\n… ${rows.length - limit} more (use --json or --top)` : '';
  return table(['Rank', 'Params', 'Trades', 'Net P&L', 'Sharpe', 'Sortino', 'PF', 'Expect.', 'Max DD'], body) + more + '\n';
}

export function formatFolds(folds: readonly WalkForwardFold[]): string {
  const body = folds.map((f) => [
    String(f.fold),
    `${iso(f.test.from).slice(0, 10)}…${iso(f.test.to).slice(0, 10)}`,
    formatParams(f.params),
    f.trainMetrics ? `${f.trainMetrics.trades} / ${num(f.trainMetrics.sharpe)} / ${money(f.trainMetrics.netPnl)}` : '—',
    f.testMetrics ? `${f.testMetrics.trades} / ${num(f.testMetrics.sharpe)} / ${money(f.testMetrics.netPnl)}` : '—',
    `${f.testSessions ?? '—'}${f.testHalted ? ' H' : ''}${f.testSessionsHalted ? ` (${f.testSessionsHalted} halted)` : ''}`,
    (f.warnings ?? []).length > 0 ? '!' : '',
  ]);
  return table(['Fold', 'Test period', 'Chosen params', 'Train trades/Sharpe/P&L', 'Test trades/Sharpe/P&L', 'Sessions', 'Warn'], body) + '\n';
}
