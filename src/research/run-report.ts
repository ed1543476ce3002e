import type { BarSeries } from '../domain/bar.ts';
import type { Trade } from '../domain/trading.ts';
import type { EngineSettings } from '../engine/settings.ts';
import type { HaltSummary } from '../backtest/halt-summary.ts';
import { breakdowns, type Breakdowns, type Exposure } from './breakdown.ts';
import type { Guards } from './guards.ts';
import { monteCarlo, type MonteCarlo } from './monte-carlo.ts';
import { priceChart, type PriceChart } from './price-chart.ts';

/**
 * Everything a run's report shows beyond its metrics, computed once when the run is made and
 * stored with it: breakdowns, halts, the price chart and, for a grid search, the overfitting guards;
 * for a walk-forward, its warnings.
 */
export interface RunReport {
  readonly breakdowns: Breakdowns;
  readonly halts: HaltSummary;
  readonly price: PriceChart | null;
  readonly monteCarlo: MonteCarlo | null;
  readonly guards: Guards | null;
  readonly warnings: readonly string[];
  /** Optimisation: each grid row's halts, in save order. */
  readonly rowHalts?: ReadonlyArray<{ readonly halted: boolean; readonly sessionsHalted: number }>;
  /** Walk-forward: each fold's test sessions, halts and warnings. */
  readonly folds?: ReadonlyArray<{ readonly fold: number; readonly testSessions: number; readonly testHalted: boolean; readonly testSessionsHalted: number; readonly warnings: readonly string[] }>;
  readonly foldsWithoutChoice?: number;
}

export interface ReportInput {
  readonly series: BarSeries;
  readonly from: number;
  readonly to: number;
  readonly trades: readonly Trade[];
  readonly settings: EngineSettings;
  readonly halts: HaltSummary;
  /** Per-session P&L in dollars (for the daily bootstrap). */
  readonly dailyPnl: readonly number[];
  readonly seed: number;
  readonly guards?: Guards | null;
  readonly warnings?: readonly string[];
}

export function runReport(input: ReportInput): RunReport {
  return {
    breakdowns: breakdowns(input.series, input.from, input.to, input.trades),
    halts: input.halts,
    price: priceChart(input.series, input.from, input.to, input.trades, input.settings),
    monteCarlo: input.trades.length > 0 ? monteCarlo(input.trades.map((t) => t.pnlCents / 100), input.dailyPnl, { seed: input.seed }) : null,
    guards: input.guards ?? null,
    warnings: input.warnings ?? [],
  };
}

/** Exposure over several disjoint bar ranges (walk-forward test parts), as if they were one run. */
export function mergeExposure(parts: readonly Exposure[]): Exposure {
  const barsInMarket = parts.reduce((a, p) => a + p.barsInMarket, 0);
  const totalBars = parts.reduce((a, p) => a + p.totalBars, 0);
  const contractBars = parts.reduce((a, p) => a + p.avgContracts * p.totalBars, 0);
  return {
    barsInMarket,
    totalBars,
    timeInMarket: totalBars > 0 ? barsInMarket / totalBars : 0,
    avgContracts: totalBars > 0 ? contractBars / totalBars : 0,
    maxContracts: Math.max(0, ...parts.map((p) => p.maxContracts)),
  };
}

/** P&L of each session in dollars, from the equity at each session's end. */
export function dailyPnl(initialCapital: number, sessionEquity: ReadonlyArray<{ readonly equity: number }>): number[] {
  let prev = Math.round(initialCapital * 100);
  return sessionEquity.map((p) => {
    const e = Math.round(p.equity * 100);
    const d = (e - prev) / 100;
    prev = e;
    return d;
  });
}
