import type { BarSeries } from '../domain/bar.ts';
import type { EngineSettings } from '../engine/settings.ts';
import { getStrategy } from '../strategy/registry.ts';
import { ColumnCache } from '../strategy/types.ts';
import { runBacktest } from './run.ts';
import type { Metrics, Params } from './types.ts';

/** What every worker of a grid search shares: the bars (in shared memory) and the run's settings. */
export interface GridJob {
  readonly series: BarSeries;
  readonly strategy: string;
  readonly settings: EngineSettings;
  readonly from: number;
  readonly to: number;
}

/**
 * Evaluates parameter sets of one job. Its column cache lives as long as it does, so sets that
 * share an indicator column (the same z-score lookback) compute it once per worker.
 */
export function gridEvaluator(job: GridJob): (params: Params) => Metrics {
  const def = getStrategy(job.strategy);
  const cache = new ColumnCache(job.series);
  return (params) => runBacktest({ series: job.series, strategy: def, params, settings: job.settings, from: job.from, to: job.to, cache }).metrics;
}
