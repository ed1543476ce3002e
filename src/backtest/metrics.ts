import { fromCents } from '../domain/money.ts';
import type { Trade } from '../domain/trading.ts';
import type { Metrics } from '../domain/research.ts';

/**
 * Metric definitions (README "Backtest assumptions"):
 * - max drawdown: largest peak − equity over the bar closes, in $ and in % of that peak;
 * - daily returns rᵢ = Eᵢ / Eᵢ₋₁ − 1, E₀ the initial capital, Eᵢ the equity at the last bar of session i;
 * - Sharpe = mean(r) / sample σ(r) × √252 (null with < 2 sessions or σ = 0);
 * - Sortino = mean(r) / √mean(min(r, 0)²) × √252 (null when no r < 0);
 * - profit factor = gross profit / gross loss (null with no losing trade);
 * - expectancy = mean trade P&L; win rate = share of trades with P&L > 0; average hold in minutes.
 */

export interface EquityStats {
  readonly maxDrawdownCents: number;
  /** Peak equity the max drawdown was measured from, in cents. */
  readonly maxDrawdownPeakCents: number;
  readonly initialCents: number;
  /** Equity at the end of each session, in cents, in order. */
  readonly sessionEquityCents: readonly number[];
}

const ANNUAL = Math.sqrt(252);

export function dailyReturns(initialCents: number, sessionEquityCents: readonly number[]): number[] {
  const r: number[] = [];
  let prev = initialCents;
  for (const e of sessionEquityCents) {
    r.push(e / prev - 1);
    prev = e;
  }
  return r;
}

export function sharpe(r: readonly number[]): number | null {
  if (r.length < 2) return null;
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1);
  if (!(variance > 0)) return null;
  return (mean / Math.sqrt(variance)) * ANNUAL;
}

export function sortino(r: readonly number[]): number | null {
  if (!r.some((x) => x < 0)) return null;
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const downside = Math.sqrt(r.reduce((a, b) => a + Math.min(b, 0) ** 2, 0) / r.length);
  return (mean / downside) * ANNUAL;
}

export function computeMetrics(trades: readonly Trade[], equity: EquityStats): Metrics {
  let wins = 0;
  let profit = 0;
  let loss = 0;
  let losses = 0;
  let holdMs = 0;
  for (const t of trades) {
    if (t.pnlCents > 0) {
      wins++;
      profit += t.pnlCents;
    } else if (t.pnlCents < 0) {
      losses++;
      loss -= t.pnlCents;
    }
    holdMs += t.exitTime - t.entryTime;
  }
  const n = trades.length;
  const r = dailyReturns(equity.initialCents, equity.sessionEquityCents);
  return {
    trades: n,
    winRate: n > 0 ? wins / n : null,
    netPnl: fromCents(profit - loss),
    grossProfit: fromCents(profit),
    grossLoss: fromCents(loss),
    profitFactor: losses > 0 ? profit / loss : null,
    expectancy: n > 0 ? Math.round((profit - loss) / n) / 100 : null,
    maxDrawdown: fromCents(equity.maxDrawdownCents),
    maxDrawdownPct: equity.maxDrawdownPeakCents > 0 ? (equity.maxDrawdownCents / equity.maxDrawdownPeakCents) * 100 : 0,
    sharpe: sharpe(r),
    sortino: sortino(r),
    avgHoldMinutes: n > 0 ? holdMs / n / 60_000 : null,
  };
}
