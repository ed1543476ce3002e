import { runWithCurve } from '../../src/backtest/curve.ts';
import { rankRows } from '../../src/backtest/grid.ts';
import { gridSearch } from '../../src/backtest/grid-search.ts';
import { walkForward } from '../../src/backtest/walkforward.ts';
import type { HaltSummary } from '../../src/backtest/halt-summary.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/settings.ts';
import { simulateBars } from '../../src/market/simulator.ts';
import { guards } from '../../src/research/guards.ts';
import { dailyPnl, runReport } from '../../src/research/run-report.ts';
import type { Repositories } from '../../src/store/repositories.ts';
import { zscoreStrategy } from '../../src/strategy/zscore.ts';

/** A halt as the engine reports one, for the pages to show. */
export const HALT: HaltSummary = {
  halts: [{ time: Date.UTC(2026, 0, 7, 15, 30), reason: 'drawdown', detail: 'equity 9000.00 is 1000.00 below peak <10000.00>', clearedAt: null }],
  sessionsHalted: 3,
  haltedToEnd: true,
};

/** A real backtest and a real grid search on simulated bars, saved with their reports. */
export async function storeReportedRuns(repos: Pick<Repositories, 'runs'>) {
  const series = simulateBars({ days: 12, seed: 3, regime: 'switching' });
  const settings = DEFAULT_ENGINE_SETTINGS;
  const params = { lookback: 20, entry: 1.5, exit: 0.5 };
  const run = runWithCurve({ series, strategy: zscoreStrategy, params, settings });
  const report = runReport({ series, from: 0, to: series.length, trades: run.result.trades, settings, halts: HALT, dailyPnl: dailyPnl(settings.initialCapital, run.result.equity), seed: 1 });
  const backtestId = repos.runs.saveBacktest({ result: run.result, settings, dataSource: 'simulated', createdAt: Date.UTC(2026, 1, 1), report, curve: run.curve });

  const points = [10, 20, 40].flatMap((lookback) => [100, 200].map((stop) => ({ lookback, entry: 1.5, exit: 0.5, 'risk.stopLossPerContract': stop })));
  const trials = points.map((p) => ({ params: { lookback: p.lookback, entry: 1.5, exit: 0.5 }, settings: { ...settings, stopLossPerContract: p['risk.stopLossPerContract'] } }));
  const results = await gridSearch({ series, strategy: 'zscore', settings, from: 0, to: series.length }, trials, { workers: 0 });
  const rows = rankRows(points.map((p, i) => ({ params: p, metrics: results[i]!.metrics, halted: i === 1, sessionsHalted: i === 1 ? 2 : 0 })), 'sharpe', 1);
  const chosenIndex = points.indexOf(rows[0]!.params as (typeof points)[number]);
  const best = runWithCurve({ series, strategy: zscoreStrategy, params: trials[chosenIndex]!.params, settings: trials[chosenIndex]!.settings });
  const g = guards({ rows, dailyReturns: results.map((r) => r.dailyReturns), chosenIndex, chosen: rows[0]!.params, objective: 'sharpe' });
  const optReport = runReport({ series, from: 0, to: series.length, trades: best.result.trades, settings: trials[chosenIndex]!.settings, halts: { halts: [], sessionsHalted: 0, haltedToEnd: false }, dailyPnl: dailyPnl(settings.initialCapital, best.result.equity), seed: 1, guards: g });
  const optimizeId = repos.runs.saveOptimization({
    strategy: 'zscore', objective: 'sharpe', bars: series.length, from: series.time[0]!, to: series.time[series.length - 1]!, gridSpec: { lookback: [10, 20, 40], 'risk.stopLossPerContract': [100, 200] },
    minTrades: 1, rows, best: best.result, settings, dataSource: 'simulated', createdAt: Date.UTC(2026, 1, 2), report: optReport, curve: best.curve,
  });
  const wf = await walkForward(series, { strategy: 'zscore', points: points.slice(0, 2), trials: trials.slice(0, 2), settings, folds: 4, train: 0.7, objective: 'sharpe', minTrades: 1, workers: 0 });
  const warnings = wf.folds.flatMap((f) => f.warnings ?? []);
  const wfReport = runReport({ series, from: 0, to: series.length, trades: wf.aggregate.trades, settings, halts: { halts: [], sessionsHalted: 0, haltedToEnd: false }, dailyPnl: dailyPnl(settings.initialCapital, wf.aggregate.equity), seed: 1, warnings });
  const walkforwardId = repos.runs.saveWalkForward({
    strategy: 'zscore', objective: 'sharpe', bars: series.length, from: series.time[0]!, to: series.time[series.length - 1]!, spec: { folds: 4, train: 0.7 },
    folds: wf.folds, aggregate: wf.aggregate, curve: wf.curve, report: wfReport, settings, dataSource: 'simulated', createdAt: Date.UTC(2026, 1, 3),
  });
  return { backtestId, optimizeId, walkforwardId, backtest: run, best, wf };
}
