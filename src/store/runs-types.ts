import type { BacktestResult, EquityPoint, GridRow, Metrics, Objective, Params, WalkForwardFold } from '../domain/research.ts';
import type { Trade } from '../domain/trading.ts';
import type { RunReport } from '../research/run-report.ts';

export type RunKind = 'backtest' | 'optimize' | 'walkforward';
export type RunStatus = 'done' | 'failed';

export interface RunContext {
  /** The engine settings used. Stored as given and read back loosely, so runs saved by older code still open. */
  readonly settings: object;
  /** Where the bars came from: 'simulated seed=7 days=20', a CSV path, … */
  readonly dataSource: string;
  /** Epoch ms, from the caller's clock. */
  readonly createdAt: number;
  readonly note?: string;
  /** Breakdowns, halts, charts and guards; absent: the run is stored without a report. */
  readonly report?: RunReport | null;
  /** Equity per bar (downsampled before storing); absent: the result's equity points are stored. */
  readonly curve?: readonly EquityPoint[];
}

export interface SaveBacktestInput extends RunContext {
  readonly result: BacktestResult;
}

export interface SpanOfBars {
  readonly strategy: string;
  readonly objective: Objective;
  readonly bars: number;
  readonly from: number;
  readonly to: number;
}

export interface SaveOptimizationInput extends RunContext, SpanOfBars {
  readonly gridSpec: unknown;
  readonly minTrades: number;
  readonly rows: readonly GridRow[];
  /** The best set's full run; null when no set reached `minTrades`. */
  readonly best: BacktestResult | null;
}

export interface SaveWalkForwardInput extends RunContext, SpanOfBars {
  /** Folds, train length, grid: whatever the walk-forward was configured with. */
  readonly spec: unknown;
  readonly folds: readonly WalkForwardFold[];
  /**
   * Out-of-sample result over all folds. Its trades are the folds' test trades, which are stored
   * from `folds` (with their fold number), so they are not needed here.
   */
  readonly aggregate: { readonly metrics: Metrics; readonly equity: readonly EquityPoint[]; readonly trades?: readonly Trade[] };
}

export interface RunSummary {
  readonly id: number;
  readonly kind: RunKind;
  readonly createdAt: number;
  readonly strategy: string;
  readonly bars: number;
  readonly from: number;
  readonly to: number;
  readonly objective: Objective | null;
  readonly status: RunStatus;
  readonly note: string | null;
  /** Backtest: its metrics; optimize: the best set's (null if none qualified); walk-forward: out-of-sample aggregate. */
  readonly metrics: Metrics | null;
  /** Backtest: its parameters; optimize: the best set's; walk-forward: the sets tried per fold (as text). */
  readonly paramsText: string;
  /** A drawdown halt held to the end of the run; null when not known (no report stored). */
  readonly halted: boolean | null;
  readonly sessionsHalted: number | null;
}

export type RunSpec =
  | { readonly kind: 'backtest'; readonly params: Params }
  | { readonly kind: 'optimize'; readonly gridSpec: unknown; readonly minTrades: number; readonly bestParams: Params | null }
  | { readonly kind: 'walkforward'; readonly spec: unknown };

export type StoredRun = RunSummary &
  RunSpec & {
    readonly dataSource: string;
    readonly settings: Readonly<Record<string, unknown>>;
    readonly equity: readonly EquityPoint[];
    readonly tradeCount: number;
    readonly report: RunReport | null;
  };

export interface StoredTrade extends Trade {
  readonly seq: number;
  /** Walk-forward fold the trade was tested in; null for backtest and optimize runs. */
  readonly fold: number | null;
}

export interface StoredGridRow extends GridRow {
  readonly seq: number;
}

export interface StoredFold extends Omit<WalkForwardFold, 'testTrades'> {
  /** The trades themselves page through `getRunTrades(id, { fold })`. */
  readonly testTradeCount: number;
}

export type GridOrder = 'seq' | 'rank' | 'sharpe' | 'netPnl' | 'trades';

/** A stored run's JSON column does not hold what it should; names the run and column so it can be found and fixed. */
export class StoredRunCorruptError extends Error {
  override readonly name = 'StoredRunCorruptError';
  constructor(
    readonly runId: number,
    readonly column: string,
    detail: string,
  ) {
    super(`run ${runId}: column ${column} is unreadable (${detail})`);
  }
}
