import type { Trade } from './trading.ts';

/**
 * Metrics of a run. Dollars are numbers to the cent; undefined values (no trades, no losses,
 * a single session) are null. Definitions are in README "Backtest assumptions".
 */
export interface Metrics {
  readonly trades: number;
  /** Fraction of trades with P&L > 0 (0.55). */
  readonly winRate: number | null;
  readonly netPnl: number;
  readonly grossProfit: number;
  readonly grossLoss: number;
  readonly profitFactor: number | null;
  readonly expectancy: number | null;
  readonly maxDrawdown: number;
  /** Percent of the peak the max drawdown was measured from (4.25). */
  readonly maxDrawdownPct: number;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly avgHoldMinutes: number | null;
}

/** Equity at the last bar of each session (after the end-of-data close for the last one). */
export interface EquityPoint {
  readonly time: number;
  readonly equity: number;
}

export type Params = Readonly<Record<string, number>>;

export interface RunInfo {
  readonly strategy: string;
  readonly params: Params;
  readonly bars: number;
  /** Open time of the first and last traded bar, epoch ms. */
  readonly from: number;
  readonly to: number;
}

/** A halt of entries during a run (README "Backtest assumptions", risk.drawdownReset). */
export interface HaltRecord {
  /** Bar time the halt began (epoch ms). */
  readonly time: number;
  readonly reason: 'drawdown' | 'daily_loss';
  /** e.g. "equity 9000.00 is 1000.00 below peak 10000.00". */
  readonly detail: string;
  /** Time trading resumed; null = halted for the rest of the run. */
  readonly clearedAt: number | null;
}

export interface BacktestResult {
  readonly run: RunInfo;
  readonly metrics: Metrics;
  readonly trades: readonly Trade[];
  readonly equity: readonly EquityPoint[];
  readonly halts: readonly HaltRecord[];
  /** Sessions of the run in which entries were refused by a halt for at least part of the session. */
  readonly sessionsHalted: number;
}

export type Objective = 'sharpe' | 'sortino' | 'netPnl' | 'profitFactor' | 'expectancy';

/**
 * One parameter set of a grid search. `rank` is null when it had fewer trades than the minimum.
 * `params` holds the strategy parameters and any setting the grid varied, by its path
 * (`risk.stopLossPerContract`).
 */
export interface GridRow {
  readonly params: Params;
  readonly metrics: Metrics;
  readonly rank: number | null;
  /** A drawdown halt stopped this set's trading for the rest of the run (absent: not known, runs saved before halts were reported). */
  readonly halted?: boolean;
  /** Sessions in which a halt refused this set's entries. */
  readonly sessionsHalted?: number;
}

export interface WalkForwardFold {
  readonly fold: number;
  readonly train: { readonly from: number; readonly to: number; readonly bars: number };
  readonly test: { readonly from: number; readonly to: number; readonly bars: number };
  /** Best parameters on the training part, or null when no set reached the minimum trade count. */
  readonly params: Params | null;
  readonly trainMetrics: Metrics | null;
  readonly testMetrics: Metrics | null;
  readonly testTrades: readonly Trade[];
  /** Sessions in the test part, and halts there. */
  readonly testSessions?: number;
  readonly testHalted?: boolean;
  readonly testSessionsHalted?: number;
  /** Why this fold's figures should not be trusted (too few sessions or trades, nothing chosen). */
  readonly warnings?: readonly string[];
}
