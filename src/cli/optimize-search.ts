import type { GridJob, Trial, TrialResult } from '../backtest/grid-job.ts';
import { GridPool } from '../backtest/grid-pool.ts';
import type { Objective, Params } from '../domain/research.ts';
import { sampledSearch, type Sampler } from '../research/tpe.ts';
import { parseNumberFlag, UsageError } from './args.ts';
import type { SearchSpace } from './grid-options.ts';

export const SEARCH_OPTIONS = { search: { type: 'string' }, trials: { type: 'string' }, 'search-seed': { type: 'string' } } as const;
export const SEARCH_HELP = {
  search: 'grid (every point, default) | random | tpe (sampled, for spaces too large to enumerate)',
  trials: 'points a random or TPE search evaluates (default 100)',
  'search-seed': 'seed of the random or TPE search (default 1)',
} as const;

export interface SearchChoice {
  readonly search: 'grid' | Sampler;
  readonly budget: number;
  readonly seed: number;
}

/** Largest grid enumerated without --search: beyond it a sampled search is the way. */
export const MAX_GRID_POINTS = 100_000;

export function searchChoice(values: { search?: string; trials?: string; 'search-seed'?: string }): SearchChoice {
  const search = values.search ?? 'grid';
  if (search !== 'grid' && search !== 'random' && search !== 'tpe') throw new UsageError(`--search must be one of grid, random, tpe, got '${search}'`);
  return {
    search,
    budget: parseNumberFlag('trials', values.trials, { integer: true, min: 1, max: 1_000_000 }) ?? 100,
    seed: parseNumberFlag('search-seed', values['search-seed'], { integer: true, min: 0 }) ?? 1,
  };
}

/** Evaluates the grid, or the points a sampled search picks, on one pool; in evaluation order. */
export async function runSearch(space: SearchSpace, job: GridJob, choice: SearchChoice, opts: { workers: number; objective: Objective; minTrades: number; onProgress: (done: number, total: number) => void }): Promise<{ points: Params[]; trials: Trial[]; results: TrialResult[] }> {
  if (choice.search === 'grid') {
    if (space.size > MAX_GRID_POINTS) throw new UsageError(`the grid has ${space.size.toLocaleString('en-US')} points (more than ${MAX_GRID_POINTS.toLocaleString('en-US')}): use --search random or --search tpe with --trials`);
    const { points, trials } = space.all();
    const pool = new GridPool(Math.min(opts.workers, trials.length));
    try {
      return { points, trials, results: await pool.run(job, trials, opts.onProgress) };
    } finally {
      pool.close();
    }
  }
  const dims = Object.values(space.grid);
  const points: Params[] = [];
  const trials: Trial[] = [];
  const results: TrialResult[] = [];
  const total = Math.min(choice.budget, space.size);
  const pool = new GridPool(opts.workers);
  try {
    await sampledSearch(dims, { sampler: choice.search, budget: choice.budget, seed: choice.seed, batch: Math.max(1, opts.workers) * 2 }, async (batch) => {
      const made = batch.map((idx) => space.at(idx));
      const done = results.length;
      const out = await pool.run(job, made.map((m) => m.trial), (k) => opts.onProgress(done + k, total));
      made.forEach((m, i) => {
        points.push(m.point);
        trials.push(m.trial);
        results.push(out[i]!);
      });
      return out.map((r) => (r.metrics.trades >= opts.minTrades ? r.metrics[opts.objective] : null));
    });
  } finally {
    pool.close();
  }
  return { points, trials, results };
}
