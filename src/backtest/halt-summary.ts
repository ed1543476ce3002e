import type { BacktestResult } from './types.ts';

/** A halt of trading during a run, as the engine reports it. */
export interface HaltRecord {
  /** Bar time the halt began (epoch ms). */
  readonly time: number;
  readonly reason: 'drawdown' | 'daily_loss';
  /** e.g. "equity 9000.00 is 1000.00 below peak 10000.00" */
  readonly detail: string;
  /** Time trading resumed; null = halted for the rest of the run. */
  readonly clearedAt: number | null;
}

export interface HaltSummary {
  readonly halts: readonly HaltRecord[];
  /** Sessions in the data in which entries were refused by a halt. */
  readonly sessionsHalted: number;
  /** A drawdown halt that never cleared: the run stopped trading before its data ended. */
  readonly haltedToEnd: boolean;
}

export const NO_HALTS: HaltSummary = { halts: [], sessionsHalted: 0, haltedToEnd: false };

/** The halts of a result (none when the engine reported none). */
export function haltsOf(result: BacktestResult): HaltSummary {
  const r = result as BacktestResult & { readonly halts?: readonly HaltRecord[]; readonly sessionsHalted?: number };
  const halts = r.halts ?? [];
  return { halts, sessionsHalted: r.sessionsHalted ?? 0, haltedToEnd: halts.some((h) => h.clearedAt === null) };
}
