import type { BacktestResult, HaltRecord } from '../domain/research.ts';

export type { HaltRecord } from '../domain/research.ts';

/** A run's halts as a report shows them. */
export interface HaltSummary {
  readonly halts: readonly HaltRecord[];
  /** Sessions in the data in which entries were refused by a halt. */
  readonly sessionsHalted: number;
  /** A halt that never cleared: the run stopped trading before its data ended. */
  readonly haltedToEnd: boolean;
}

export const NO_HALTS: HaltSummary = { halts: [], sessionsHalted: 0, haltedToEnd: false };

export function haltsOf(result: Pick<BacktestResult, 'halts' | 'sessionsHalted'>): HaltSummary {
  return { halts: result.halts, sessionsHalted: result.sessionsHalted, haltedToEnd: result.halts.some((h) => h.clearedAt === null) };
}
