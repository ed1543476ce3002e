import type { PositionState, Signal } from './types.ts';

/**
 * Mean reversion on an oscillator centred at `centre`: enter long when it is at or below
 * centre − entry, short at or above centre + entry; a long exits once it is back at or above
 * centre − exit, a short at or below centre + exit. NaN (not warmed up) advises nothing.
 */
export function reversionSignal(value: number, position: PositionState, centre: number, entry: number, exit: number): Signal {
  if (Number.isNaN(value)) return 'none';
  if (position === 'flat') {
    if (value <= centre - entry) return 'enter_long';
    if (value >= centre + entry) return 'enter_short';
    return 'none';
  }
  if (position === 'long') return value >= centre - exit ? 'exit' : 'none';
  return value <= centre + exit ? 'exit' : 'none';
}
