import { sliceSeries, type BarSeries } from '../domain/bar.ts';
import type { EngineSettings } from '../engine/settings.ts';
import { getStrategy } from '../strategy/registry.ts';
import { ColumnCache, type StrategyParams } from '../strategy/types.ts';
import { CurveScratch, runMeasured } from './curve.ts';
import { haltsOf } from './halt-summary.ts';
import { dailyReturns } from './metrics.ts';
import type { Metrics } from '../domain/research.ts';

/** What every worker of a grid search shares: the bars (in shared memory), the strategy and the bar range. */
export interface GridJob {
  readonly series: BarSeries;
  readonly strategy: string;
  /** Settings of every trial that does not bring its own. */
  readonly settings: EngineSettings;
  readonly from: number;
  readonly to: number;
  /**
   * First bar the indicators are warmed up from (default 0). A walk-forward fold starts a few
   * indicator lengths before its own bars instead of at the start of the data, so the cost of a
   * fold does not grow with the bars before it.
   */
  readonly warmFrom?: number;
}

/** One parameter set: strategy parameters and, when the grid varies a setting, its own settings. */
export interface Trial {
  readonly params: StrategyParams;
  readonly settings?: EngineSettings;
}

export interface TrialResult {
  readonly metrics: Metrics;
  /** rᵢ = Eᵢ / Eᵢ₋₁ − 1 per session (the Sharpe's returns), for the overfitting guards. */
  readonly dailyReturns: readonly number[];
  /** A drawdown halt held to the end of the run. */
  readonly halted: boolean;
  readonly halts: number;
  readonly sessionsHalted: number;
}

/**
 * Evaluates trials of one job. Its column cache lives as long as it does, so trials that share an
 * indicator column (the same z-score lookback) compute it once per worker.
 */
export function gridEvaluator(job: GridJob): (trial: Trial) => TrialResult {
  const def = getStrategy(job.strategy);
  const warm = Math.max(0, Math.min(job.warmFrom ?? 0, job.from));
  const series = warm > 0 ? sliceSeries(job.series, warm, job.to) : job.series;
  const cache = new ColumnCache(series);
  const scratch = new CurveScratch();
  return (trial) => {
    const settings = trial.settings ?? job.settings;
    const { result } = runMeasured({ series, strategy: def, params: trial.params, settings, from: job.from - warm, to: job.to - warm, cache }, scratch);
    const h = haltsOf(result);
    const initial = Math.round(settings.initialCapital * 100);
    return {
      metrics: result.metrics,
      dailyReturns: dailyReturns(initial, result.equity.map((p) => Math.round(p.equity * 100))),
      halted: h.haltedToEnd,
      halts: h.halts.length,
      sessionsHalted: h.sessionsHalted,
    };
  };
}

/** Bars of indicator warm-up before a fold: enough for any smoothing to forget where it started. */
export function warmupStart(from: number, warmupBars: number): number {
  return Math.max(0, from - Math.max(1000, 20 * warmupBars));
}
