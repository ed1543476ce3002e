import { availableParallelism } from 'node:os';
import type { GridJob, Trial, TrialResult } from './grid-job.ts';
import { GridPool } from './grid-pool.ts';

export interface GridSearchOptions {
  /** Worker threads; 0 evaluates in this thread. Default: one per core. Ignored when `pool` is given. */
  readonly workers?: number;
  /** A pool kept by the caller across calls (walk-forward folds, repeated grids). */
  readonly pool?: GridPool;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Backtests every trial over the same bars, on Bun Workers that read the bars from shared memory.
 * Results come back in the order of `trials`. Without a pool of the caller's, one is started for
 * this call and closed after it.
 */
export async function gridSearch(job: GridJob, trials: readonly Trial[], opts: GridSearchOptions = {}): Promise<TrialResult[]> {
  if (opts.pool) return opts.pool.run(job, trials, opts.onProgress);
  const pool = new GridPool(Math.min(opts.workers ?? availableParallelism(), trials.length));
  try {
    return await pool.run(job, trials, opts.onProgress);
  } finally {
    pool.close();
  }
}
