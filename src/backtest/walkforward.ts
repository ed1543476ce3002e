import type { BarSeries } from '../domain/bar.ts';
import { toCents } from '../domain/money.ts';
import type { EngineSettings } from '../engine/settings.ts';
import { getStrategy } from '../strategy/registry.ts';
import { ColumnCache } from '../strategy/types.ts';
import { rankRows } from './grid.ts';
import { gridSearch } from './grid-search.ts';
import { computeMetrics } from './metrics.ts';
import { runBacktest } from './run.ts';
import type { BacktestResult, Objective, Params, WalkForwardFold } from './types.ts';

export interface WalkForwardSpec {
  readonly strategy: string;
  readonly paramSets: readonly Params[];
  readonly settings: EngineSettings;
  readonly folds: number;
  /** Share of each fold used for training (0.7 = first 70 %). */
  readonly train: number;
  readonly objective: Objective;
  readonly minTrades: number;
  readonly workers?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface WalkForwardResult {
  readonly folds: readonly WalkForwardFold[];
  /** Out-of-sample trades of every fold, with equity chained fold after fold. */
  readonly aggregate: Omit<BacktestResult, 'run'>;
}

/** Cuts [0, n) into `folds` consecutive folds, each split into train and test parts. */
export function foldRanges(n: number, folds: number, train: number): Array<{ trainFrom: number; trainTo: number; testTo: number }> {
  return Array.from({ length: folds }, (_, k) => {
    const a = Math.floor((k * n) / folds);
    const b = Math.floor(((k + 1) * n) / folds);
    return { trainFrom: a, trainTo: a + Math.floor((b - a) * train), testTo: b };
  });
}

/** Why these folds cannot be run on `n` bars (a fold with an empty train or test part), or null. */
export function foldProblem(n: number, folds: number, train: number): string | null {
  const k = foldRanges(n, folds, train).findIndex((r) => r.trainTo <= r.trainFrom || r.testTo <= r.trainTo);
  return k < 0 ? null : `fold ${k + 1} has an empty train or test part: use fewer folds or more bars (${n} bars)`;
}

/**
 * Walk-forward analysis: in each fold the grid search picks the best parameters on the training
 * part, and they are judged on the test part that follows. Indicators of both parts are warmed up
 * on all the bars before the part (no trading there), so a test starts with live-like indicators.
 */
export async function walkForward(series: BarSeries, spec: WalkForwardSpec): Promise<WalkForwardResult> {
  const def = getStrategy(spec.strategy);
  const ranges = foldRanges(series.length, spec.folds, spec.train);
  const problem = foldProblem(series.length, spec.folds, spec.train);
  if (problem !== null) throw new RangeError(problem);
  const total = spec.folds * spec.paramSets.length;
  const cache = new ColumnCache(series);
  const folds: WalkForwardFold[] = [];
  const testRuns: Array<{ result: BacktestResult; equity: Float64Array }> = [];
  for (const [k, r] of ranges.entries()) {
    const job = { series, strategy: spec.strategy, settings: spec.settings, from: r.trainFrom, to: r.trainTo };
    const metrics = await gridSearch(job, spec.paramSets, {
      workers: spec.workers,
      onProgress: (done) => spec.onProgress?.(k * spec.paramSets.length + done, total),
    });
    const best = rankRows(spec.paramSets.map((params, i) => ({ params, metrics: metrics[i]! })), spec.objective, spec.minTrades)[0];
    const chosen = best && best.rank !== null ? best : null;
    let test: BacktestResult | null = null;
    if (chosen) {
      const equity = new Float64Array(r.testTo - r.trainTo);
      test = runBacktest({ series, strategy: def, params: chosen.params, settings: spec.settings, from: r.trainTo, to: r.testTo, cache, equityOut: equity });
      testRuns.push({ result: test, equity });
    }
    folds.push({
      fold: k + 1,
      train: { from: series.time[r.trainFrom]!, to: series.time[r.trainTo - 1]!, bars: r.trainTo - r.trainFrom },
      test: { from: series.time[r.trainTo]!, to: series.time[r.testTo - 1]!, bars: r.testTo - r.trainTo },
      params: chosen?.params ?? null,
      trainMetrics: chosen?.metrics ?? null,
      testMetrics: test?.metrics ?? null,
      testTrades: test?.trades ?? [],
    });
  }
  return { folds, aggregate: chainTestRuns(testRuns, toCents(spec.settings.initialCapital)) };
}

/** One equity line through the test parts: each starts where the previous ended. */
function chainTestRuns(runs: ReadonlyArray<{ result: BacktestResult; equity: Float64Array }>, initialCents: number): Omit<BacktestResult, 'run'> {
  let offset = 0;
  let peak = initialCents;
  let maxDd = 0;
  let maxDdPeak = initialCents;
  const sessionEquityCents: number[] = [];
  const equity: Array<{ time: number; equity: number }> = [];
  for (const { result, equity: bars } of runs) {
    for (const e of bars) {
      const v = e + offset;
      if (v > peak) peak = v;
      if (peak - v > maxDd) {
        maxDd = peak - v;
        maxDdPeak = peak;
      }
    }
    for (const p of result.equity) {
      const cents = toCents(p.equity) + offset;
      sessionEquityCents.push(cents);
      equity.push({ time: p.time, equity: cents / 100 });
    }
    offset += result.trades.reduce((a, t) => a + t.pnlCents, 0);
  }
  const trades = runs.flatMap((r) => r.result.trades);
  const halts = runs.flatMap((r) => r.result.halts);
  const sessionsHalted = runs.reduce((a, r) => a + r.result.sessionsHalted, 0);
  return { metrics: computeMetrics(trades, { maxDrawdownCents: maxDd, maxDrawdownPeakCents: maxDdPeak, initialCents, sessionEquityCents }), trades, equity, halts, sessionsHalted };
}
