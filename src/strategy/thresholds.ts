import type { Sign, Threshold } from '../indicators/threshold.ts';
import { negate, threshold } from '../indicators/threshold.ts';
import type { PositionState, Signal } from './types.ts';

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
 * Mean reversion on an indicator compared exactly with its levels: flat and value ≤ enterLong →
 * long; value ≥ enterShort → short; a long exits once value ≥ exitLong, a short once value ≤
 * exitShort. Ties (value exactly on a level) count as reached. Not warmed up advises nothing.
 */
export function reversionSignal(compare: Compare, position: PositionState, levels: ReversionLevels): Signal {
  if (position === 'flat') {
    const low = compare(levels.enterLong);
    if (low === null) return 'none';
    if (low <= 0) return 'enter_long';
    return compare(levels.enterShort)! >= 0 ? 'enter_short' : 'none';
  }
  const c = compare(position === 'long' ? levels.exitLong : levels.exitShort);
  if (c === null) return 'none';
  return (position === 'long' ? c >= 0 : c <= 0) ? 'exit' : 'none';
}
