import type * as v from 'valibot';
import type { BarSeries } from '../domain/bar.ts';

/** What a strategy advises at a bar's close. It never places orders; the engine decides. */
export type Signal = 'none' | 'enter_long' | 'enter_short' | 'exit';
export type PositionState = 'flat' | 'long' | 'short';

/**
 * A Signal as a small integer, for the backtest's per-bar path (`Strategy.next`); `SIGNALS[code]`
 * is the Signal. The engine's decision codes give an entry the same number as its signal.
 */
export type SignalCode = 0 | 1 | 2 | 3;
export const SIGNAL_NONE = 0;
export const SIGNAL_ENTER_LONG = 1;
export const SIGNAL_ENTER_SHORT = 2;
export const SIGNAL_EXIT = 3;
export const SIGNALS: readonly Signal[] = ['none', 'enter_long', 'enter_short', 'exit'];
export const SIGNAL_CODE: Readonly<Record<Signal, SignalCode>> = { none: SIGNAL_NONE, enter_long: SIGNAL_ENTER_LONG, enter_short: SIGNAL_ENTER_SHORT, exit: SIGNAL_EXIT };

/** A position as a direction: 0 flat, +1 long, −1 short. */
export type PositionDirection = 0 | 1 | -1;
export const DIRECTION_OF: Readonly<Record<PositionState, PositionDirection>> = { flat: 0, long: 1, short: -1 };
export const POSITION_OF: Readonly<Record<PositionDirection, PositionState>> = { 0: 'flat', 1: 'long', [-1]: 'short' };

export type StrategyParams = Readonly<Record<string, number>>;

export interface Strategy {
  /** Feeds the next closed bar and returns the advice for the given position. */
  onBar(close: number, position: PositionState): Signal;
  /**
   * The same advice as onBar, as a code, for a position direction: what a backtest calls per bar.
   * Called as a plain function (not bound to the strategy). Optional for strategies written
   * against onBar alone (`signalSource` adapts them); `strategyOf` builds both from it.
   */
  readonly next?: (close: number, direction: PositionDirection) => SignalCode;
}

/** A strategy from its advice as codes: onBar is `next` read as a Signal, so the two cannot differ. */
export function strategyOf(next: (close: number, direction: PositionDirection) => SignalCode): Strategy {
  return { next, onBar: (close, position) => SIGNALS[next(close, DIRECTION_OF[position])]! };
}

/** The strategy's per-bar advice as a code: its own `next`, or its onBar translated. */
export function signalSource(strategy: Strategy): (close: number, direction: PositionDirection) => SignalCode {
  if (strategy.next !== undefined) return strategy.next;
  return (close, direction) => SIGNAL_CODE[strategy.onBar(close, POSITION_OF[direction])];
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
