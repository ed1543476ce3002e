import { formatBacktest, formatFolds, walkForwardJson } from '../backtest/report.ts';
import { foldProblem, walkForward } from '../backtest/walkforward.ts';
import { breakdowns } from '../research/breakdown.ts';
import { reportJson } from '../research/report-json.ts';
import { formatBreakdowns, formatHalts, formatMonteCarlo } from '../research/report-text.ts';
import { dailyPnl, mergeExposure, runReport } from '../research/run-report.ts';
import { parseCommand, parseNumberFlag, runMain, UsageError } from './args.ts';
import { GRID_HELP, GRID_OPTIONS, gridSettings, gridSpace } from './grid-options.ts';
import { Progress } from './progress.ts';
import { loadResearchInputs, RESEARCH_HELP, RESEARCH_OPTIONS } from './research-inputs.ts';
import { saveRun } from './save-run.ts';

const spec = {
  name: 'walkforward',
  summary: 'walk-forward analysis: optimise on each fold’s training part, judge on the part after it',
  usage: 'bun run walkforward [--folds 5] [--train 0.7] [--grid lookback=10,20,30 ...] [--grid risk.stopLossPerContract=100,200] [--objective sharpe] [--data bars.csv] [--json]',
  options: { ...RESEARCH_OPTIONS, ...GRID_OPTIONS, folds: { type: 'string' }, train: { type: 'string' }, 'mc-seed': { type: 'string' } },
  help: { ...RESEARCH_HELP, ...GRID_HELP, folds: 'consecutive folds (default 5)', train: 'share of each fold used for training, 0.1–0.95 (default 0.7)', 'mc-seed': 'Monte Carlo seed (default 1)' },
} as const;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const values = parsed.values;
  const { objective, minTrades, workers } = gridSettings(values);
  const folds = parseNumberFlag('folds', values.folds, { integer: true, min: 1, max: 100 }) ?? 5;
  const train = parseNumberFlag('train', values.train, { min: 0.1, max: 0.95 }) ?? 0.7;
  const mcSeed = parseNumberFlag('mc-seed', values['mc-seed'], { integer: true, min: 0 }) ?? 1;
  const inputs = await loadResearchInputs(values);
  const { series, settings } = inputs;
  const problem = foldProblem(series.length, folds, train);
  if (problem !== null) throw new UsageError(`--folds ${folds} --train ${train}: ${problem}`);
  const def = inputs.strategy;
  const space = gridSpace(def, values);

  const progress = new Progress(`walk-forward ${folds} folds × ${space.points.length} sets`, folds * space.points.length, { quiet: values.json });
  const result = await walkForward(series, { strategy: def.name, points: space.points, trials: space.trials, settings, folds, train, objective, minTrades, workers, onProgress: () => progress.tick() });
  progress.finish();

  const trades = result.aggregate.trades;
  const warnings = result.folds.flatMap((f) => f.warnings ?? []);
  if (result.foldsWithoutChoice > 0) warnings.unshift(`${result.foldsWithoutChoice} of ${folds} folds chose nothing (no set reached ${minTrades} trades in training)`);
  const base = runReport({ series, from: 0, to: series.length, trades, settings, halts: result.halts, dailyPnl: dailyPnl(settings.initialCapital, result.aggregate.equity), seed: mcSeed, warnings });
  // Exposure counts the test parts' bars only, the bars the aggregate traded.
  const exposure = mergeExposure(result.testRanges.map((r) => breakdowns(series, r.from, r.to, trades).exposure));
  const report = { ...base, breakdowns: { ...base.breakdowns, exposure }, foldsWithoutChoice: result.foldsWithoutChoice };

  const info = { strategy: def.name, params: {}, bars: series.length, from: series.time[0]!, to: series.time[series.length - 1]! };
  const runId = values['no-save']
    ? null
    : saveRun(inputs.config, (runs, createdAt) =>
        runs.saveWalkForward({ strategy: def.name, spec: { folds, train, grid: space.grid, minTrades }, objective, folds: result.folds, aggregate: result.aggregate, curve: result.curve, report, settings, dataSource: inputs.dataSource, bars: info.bars, from: info.from, to: info.to, createdAt }),
      );
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...walkForwardJson({ ...info, objective, folds, train }, result.folds, result.aggregate), foldsWithoutChoice: result.foldsWithoutChoice, ...reportJson(report) })}\n`);
    return 0;
  }
  process.stdout.write(`${def.name} walk-forward · ${folds} folds, train ${Math.round(train * 100)} % · ${space.points.length} sets per fold · ranked by ${objective}\n\n`);
  process.stdout.write(formatFolds(result.folds));
  process.stdout.write(warnings.length > 0 ? `\nWarnings:\n${warnings.map((w) => `  ! ${w}`).join('\n')}\n` : '\nWarnings: none\n');
  process.stdout.write(`\nOut-of-sample aggregate (all test parts, equity chained):\n`);
  process.stdout.write(formatBacktest({ run: { ...info, params: {} }, ...result.aggregate }).split('\n').slice(2).join('\n'));
  process.stdout.write(`\n${formatHalts(report.halts)}\n${formatBreakdowns(report.breakdowns, ['exitReason', 'side', 'month'])}\n${formatMonteCarlo(report.monteCarlo)}`);
  process.stdout.write(`\nData: ${inputs.dataSource}${runId === null ? '' : ` · saved as run #${runId}`}\n`);
  return 0;
}

await runMain(main);
