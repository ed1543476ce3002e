import { availableParallelism } from 'node:os';
import { OBJECTIVES } from '../backtest/grid.ts';
import type { Objective } from '../backtest/types.ts';
import { parseNumberFlag, UsageError } from './args.ts';

/** Flags shared by optimize and walkforward. */
export const GRID_OPTIONS = {
  grid: { type: 'string', multiple: true },
  objective: { type: 'string' },
  'min-trades': { type: 'string' },
  workers: { type: 'string' },
} as const;

export const GRID_HELP = {
  grid: "values to try, e.g. --grid lookback=10,20,30 (repeatable; default: the strategy's grid)",
  objective: `ranking objective: ${OBJECTIVES.join('|')} (default sharpe)`,
  'min-trades': 'parameter sets with fewer trades are not ranked (default 30)',
  workers: `worker threads (default: one per core, ${availableParallelism()} here; 0 = none)`,
} as const;

export function gridSettings(values: { objective?: string; 'min-trades'?: string; workers?: string }): { objective: Objective; minTrades: number; workers: number } {
  const objective = (values.objective ?? 'sharpe') as Objective;
  if (!OBJECTIVES.includes(objective)) throw new UsageError(`--objective must be one of ${OBJECTIVES.join(', ')}, got '${values.objective}'`);
  return {
    objective,
    minTrades: parseNumberFlag('min-trades', values['min-trades'], { integer: true, min: 0 }) ?? 30,
    workers: parseNumberFlag('workers', values.workers, { integer: true, min: 0, max: 256 }) ?? availableParallelism(),
  };
}
