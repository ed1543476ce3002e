import { sliceSeries, type BarSeries } from '../domain/bar.ts';
import { toCents } from '../domain/money.ts';
import type { EngineSettings } from '../engine/settings.ts';
import { getStrategy } from '../strategy/registry.ts';
import { ColumnCache } from '../strategy/types.ts';
import { runWithCurve } from './curve.ts';
import { rankRows } from './grid.ts';
import { warmupStart, type Trial } from './grid-job.ts';
import { GridPool } from './grid-pool.ts';
import { haltsOf, type HaltRecord, type HaltSummary } from './halt-summary.ts';
import { computeMetrics } from './metrics.ts';
import type { BacktestResult, EquityPoint, Objective, Params, WalkForwardFold } from '../domain/research.ts';
import { foldWarnings } from './walkforward-warnings.ts';

export interface WalkForwardSpec {
  readonly strategy: string;
  /** Grid points (strategy parameters and setting paths) and the trial each one runs. */
  readonly points: readonly Params[];
  readonly trials: readonly Trial[];
  readonly settings: EngineSettings;
  readonly folds: number;
  /** Share of each fold used for training (0.7 = first 70 %). */
  readonly train: number;
  readonly objective: Objective;
  readonly minTrades: number;
  readonly workers?: number;
  /** A pool kept by the caller; otherwise one is started for this walk-forward (all its folds). */
  readonly pool?: GridPool;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface WalkForwardResult {
  readonly folds: readonly WalkForwardFold[];
  /** Out-of-sample trades of every fold, with equity chained fold after fold. */
  readonly aggregate: Omit<BacktestResult, 'run'>;
  /** The chained out-of-sample equity per bar (test parts only), starting at the initial capital. */
  readonly curve: readonly EquityPoint[];
  /** Folds in which no set reached the minimum trade count, so nothing was tested. */
  readonly foldsWithoutChoice: number;
  /** Halts in the test parts, fold after fold. */
  readonly halts: HaltSummary;
  /** Bar ranges [from, to) of the test parts that were run. */
  readonly testRanges: ReadonlyArray<{ readonly from: number; readonly to: number }>;
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
 * part, and they are judged on the test part that follows. Each part starts at its own bars, its
 * indicators warmed on the bars just before it (`warmupStart`), not on everything before, so the
 * time per fold depends on its length only. One Worker pool serves every fold.
 */
export async function walkForward(series: BarSeries, spec: WalkForwardSpec): Promise<WalkForwardResult> {
  const def = getStrategy(spec.strategy);
  const ranges = foldRanges(series.length, spec.folds, spec.train);
  const problem = foldProblem(series.length, spec.folds, spec.train);
  if (problem !== null) throw new RangeError(problem);
  const warmBars = Math.max(...spec.trials.map((t) => def.warmupBars(t.params)));
  const total = spec.folds * spec.trials.length;
  const pool = spec.pool ?? new GridPool(Math.min(spec.workers ?? navigator.hardwareConcurrency, spec.trials.length));
  const folds: WalkForwardFold[] = [];
  const testRuns: Array<{ result: BacktestResult; curve: readonly EquityPoint[] }> = [];
  const testRanges: Array<{ from: number; to: number }> = [];
  const halts: HaltRecord[] = [];
  try {
    for (const [k, r] of ranges.entries()) {
      const job = { series, strategy: spec.strategy, settings: spec.settings, from: r.trainFrom, to: r.trainTo, warmFrom: warmupStart(r.trainFrom, warmBars) };
      const results = await pool.run(job, spec.trials, (done) => spec.onProgress?.(k * spec.trials.length + done, total));
      const ranked = rankRows(spec.points.map((params, i) => ({ params, metrics: results[i]!.metrics, halted: results[i]!.halted, sessionsHalted: results[i]!.sessionsHalted })), spec.objective, spec.minTrades);
      const best = ranked[0];
      const chosenIndex = best && best.rank !== null ? spec.points.indexOf(best.params) : -1;
      let test: BacktestResult | null = null;
      if (chosenIndex >= 0) {
        const trial = spec.trials[chosenIndex]!;
        const warm = warmupStart(r.trainTo, def.warmupBars(trial.params));
        const slice = sliceSeries(series, warm, r.testTo);
        const run = runWithCurve({ series: slice, strategy: def, params: trial.params, settings: trial.settings ?? spec.settings, from: r.trainTo - warm, to: r.testTo - warm, cache: new ColumnCache(slice) });
        test = run.result;
        testRuns.push(run);
        testRanges.push({ from: r.trainTo, to: r.testTo });
      }
      const h = test ? haltsOf(test) : null;
      if (h) halts.push(...h.halts);
      const testSessions = test ? test.equity.length : 0;
      const fold = {
        fold: k + 1,
        train: { from: series.time[r.trainFrom]!, to: series.time[r.trainTo - 1]!, bars: r.trainTo - r.trainFrom },
        test: { from: series.time[r.trainTo]!, to: series.time[r.testTo - 1]!, bars: r.testTo - r.trainTo },
        params: chosenIndex >= 0 ? spec.points[chosenIndex]! : null,
        trainMetrics: chosenIndex >= 0 ? best!.metrics : null,
        testMetrics: test?.metrics ?? null,
        testTrades: test?.trades ?? [],
        testSessions,
        testHalted: h?.haltedToEnd ?? false,
        testSessionsHalted: h?.sessionsHalted ?? 0,
      };
      folds.push({ ...fold, warnings: foldWarnings(fold, spec.objective, spec.minTrades) });
    }
  } finally {
    if (!spec.pool) pool.close();
  }
  const initial = toCents(spec.settings.initialCapital);
  const chained = chainTestRuns(testRuns, initial);
  const summary = { halts, sessionsHalted: folds.reduce((a, f) => a + (f.testSessionsHalted ?? 0), 0), haltedToEnd: folds.some((f) => f.testHalted) };
  return { folds, ...chained, foldsWithoutChoice: folds.filter((f) => f.params === null).length, halts: summary, testRanges };
}

/** One equity line through the test parts: each starts where the previous ended. */
function chainTestRuns(runs: ReadonlyArray<{ result: BacktestResult; curve: readonly EquityPoint[] }>, initialCents: number): { aggregate: Omit<BacktestResult, 'run'>; curve: EquityPoint[] } {
  let offset = 0;
  let peak = initialCents;
  let maxDd = 0;
  let maxDdPeak = initialCents;
  const sessionEquityCents: number[] = [];
  const equity: EquityPoint[] = [];
  const curve: EquityPoint[] = [];
  for (const [k, { result, curve: bars }] of runs.entries()) {
    // Each part's curve starts at the initial capital; chained, that point is the previous end.
    for (const [i, p] of bars.entries()) {
      if (i === 0 && k > 0) continue;
      const v = Math.round(p.equity * 100) + offset;
      curve.push({ time: p.time, equity: v / 100 });
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
  return { aggregate: { metrics: computeMetrics(trades, { maxDrawdownCents: maxDd, maxDrawdownPeakCents: maxDdPeak, initialCents, sessionEquityCents }), trades, equity, halts, sessionsHalted }, curve };
}
