import type * as v from 'valibot';
import type { BarSeries } from '../domain/bar.ts';

/** What a strategy advises at a bar's close. It never places orders; the engine decides. */
export type Signal = 'none' | 'enter_long' | 'enter_short' | 'exit';
export type PositionState = 'flat' | 'long' | 'short';

export type StrategyParams = Readonly<Record<string, number>>;

export interface Strategy {
  /** Feeds the next closed bar and returns the advice for the given position. */
  onBar(close: number, position: PositionState): Signal;
}

/**
 * Precomputed indicator columns over a whole series, shared by every parameter set of a grid
 * search that needs the same column (e.g. one z-score column per lookback).
 */
export class ColumnCache {
  private readonly columns = new Map<string, Float64Array>();
  constructor(readonly series: BarSeries) {}
  get(key: string, compute: () => Float64Array): Float64Array {
    let col = this.columns.get(key);
    if (!col) {
      col = compute();
      this.columns.set(key, col);
    }
    return col;
  }
}

export interface ParamProblem {
  readonly param: string;
  readonly message: string;
}

export interface StrategyDefinition {
  readonly name: string;
  readonly description: string;
  /** Validates and defaults the parameters; unknown names are rejected. */
  readonly schema: v.GenericSchema<Record<string, unknown>, StrategyParams>;
  readonly defaults: StrategyParams;
  readonly defaultGrid: Readonly<Record<string, readonly number[]>>;
  /** Cross-parameter checks a schema cannot express (e.g. exit below entry). */
  check(params: StrategyParams): ParamProblem[];
  /** Bars needed before the first signal can appear. */
  warmupBars(params: StrategyParams): number;
  /**
   * Incremental instance (live path). With `batch`, an instance that replays precomputed columns
   * of that series from its first bar on: it must then be fed every bar of the series in order.
   */
  create(params: StrategyParams, batch?: ColumnCache): Strategy;
}
