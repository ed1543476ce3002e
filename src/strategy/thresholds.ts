import type { Sign, Threshold } from '../indicators/threshold.ts';
import { negate, threshold } from '../indicators/threshold.ts';
import { DIRECTION_OF, SIGNAL_EXIT, SIGNAL_NONE, SIGNALS, type PositionDirection, type PositionState, type Signal, type SignalCode } from './types.ts';

/** sign(value − t), decided exactly by the indicator; null before it is warmed up. */
export type Compare = (t: Threshold) => Sign | null;

export interface ReversionLevels {
  readonly enterLong: Threshold;
  readonly enterShort: Threshold;
  readonly exitLong: Threshold;
  readonly exitShort: Threshold;
}

/** Levels of an oscillator centred at 0 (z-score, Bollinger in band widths): ∓entry, ∓exit. */
export function centredLevels(entry: number, exit: number): ReversionLevels {
  const e = threshold(entry);
  const x = threshold(exit);
  return { enterLong: negate(e), enterShort: e, exitLong: negate(x), exitShort: x };
}

/**
 * Which levels a bar's value reached, as bits: READY once the indicator is warmed up (no other
 * bit without it), then one bit per level. Ties (value exactly on a level) count as reached. A
 * batch strategy computes this once per bar of a series (`reachedColumn`), so replaying a bar is
 * one array read and `signalOf`; the live path computes it bar by bar. One rule either way.
 */
export const READY = 1;
export const ENTER_LONG = 2;
export const ENTER_SHORT = 4;
export const EXIT_LONG = 8;
export const EXIT_SHORT = 16;

/** value ≤ enterLong, value ≥ enterShort, value ≥ exitLong, value ≤ exitShort — decided exactly by `compare`. */
export function reachedLevels(compare: Compare, levels: ReversionLevels): number {
  const low = compare(levels.enterLong);
  if (low === null) return 0;
  let bits = READY;
  if (low <= 0) bits |= ENTER_LONG;
  if (compare(levels.enterShort)! >= 0) bits |= ENTER_SHORT;
  if (compare(levels.exitLong)! >= 0) bits |= EXIT_LONG;
  if (compare(levels.exitShort)! <= 0) bits |= EXIT_SHORT;
  return bits;
}

/**
 * Mean reversion on the levels a bar reached: flat and value ≤ enterLong → long; value ≥
 * enterShort → short; a long exits once value ≥ exitLong, a short once value ≤ exitShort. Not
 * warmed up advises nothing.
 */
export function signalCodeOf(reached: number, direction: PositionDirection): SignalCode {
  if (direction === 0) return ENTRY_SIGNAL[reached & (ENTER_LONG | ENTER_SHORT)]!;
  return reached & (direction > 0 ? EXIT_LONG : EXIT_SHORT) ? SIGNAL_EXIT : SIGNAL_NONE;
}

/** signalCodeOf as a Signal. */
export function signalOf(reached: number, position: PositionState): Signal {
  return SIGNALS[signalCodeOf(reached, DIRECTION_OF[position])]!;
}

/** By the entry bits of `reached`: a value at both entry levels (only if they cross) goes long (codes of SIGNALS). A table keeps signalCodeOf small enough to inline. */
const ENTRY_SIGNAL: readonly SignalCode[] = [0, 0, 1, 1, 2, 2, 1, 1];

/** Mean reversion on an indicator compared exactly with its levels (`reachedLevels`, `signalOf`). */
export function reversionSignal(compare: Compare, position: PositionState, levels: ReversionLevels): Signal {
  return signalOf(reachedLevels(compare, levels), position);
}

/** reversionSignal as a code. */
export function reversionSignalCode(compare: Compare, direction: PositionDirection, levels: ReversionLevels): SignalCode {
  return signalCodeOf(reachedLevels(compare, levels), direction);
}
