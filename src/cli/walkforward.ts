import { expandGrid } from '../backtest/grid.ts';
import { formatBacktest, formatFolds, walkForwardJson } from '../backtest/report.ts';
import { foldProblem, walkForward } from '../backtest/walkforward.ts';
import { resolveParams } from '../strategy/registry.ts';
import { parseCommand, parseNumberFlag, runMain, UsageError } from './args.ts';
import { GRID_HELP, GRID_OPTIONS, gridSettings } from './grid-options.ts';
import { Progress } from './progress.ts';
import { gridFlags, loadResearchInputs, RESEARCH_HELP, RESEARCH_OPTIONS } from './research-inputs.ts';
import { saveRun } from './save-run.ts';

const spec = {
  name: 'walkforward',
  summary: 'walk-forward analysis: optimise on each fold’s training part, judge on the part after it',
  usage: 'bun run walkforward [--folds 5] [--train 0.7] [--grid lookback=10,20,30 ...] [--objective sharpe] [--data bars.csv] [--json]',
  options: { ...RESEARCH_OPTIONS, ...GRID_OPTIONS, folds: { type: 'string' }, train: { type: 'string' } },
  help: { ...RESEARCH_HELP, ...GRID_HELP, folds: 'consecutive folds (default 5)', train: 'share of each fold used for training, 0.1–0.95 (default 0.7)' },
} as const;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const values = parsed.values;
  const { objective, minTrades, workers } = gridSettings(values);
  const folds = parseNumberFlag('folds', values.folds, { integer: true, min: 1, max: 100 }) ?? 5;
  const train = parseNumberFlag('train', values.train, { min: 0.1, max: 0.95 }) ?? 0.7;
  const inputs = await loadResearchInputs(values);
  const problem = foldProblem(inputs.series.length, folds, train);
  if (problem !== null) throw new UsageError(`--folds ${folds} --train ${train}: ${problem}`);
  const def = inputs.strategy;
  const grid = gridFlags(def, values.grid);
  const paramSets = expandGrid(grid, def.defaults).map((p) => resolveParams(def, p));

  const progress = new Progress(`walk-forward ${folds} folds × ${paramSets.length} sets`, folds * paramSets.length, { quiet: values.json });
  const result = await walkForward(inputs.series, { strategy: def.name, paramSets, settings: inputs.settings, folds, train, objective, minTrades, workers, onProgress: () => progress.tick() });
  progress.finish();

  const info = { strategy: def.name, params: {}, bars: inputs.series.length, from: inputs.series.time[0]!, to: inputs.series.time[inputs.series.length - 1]! };
  const runId = values['no-save']
    ? null
    : saveRun(inputs.config, (runs, createdAt) =>
        runs.saveWalkForward({ strategy: def.name, spec: { folds, train, grid, minTrades }, objective, folds: result.folds, aggregate: result.aggregate, settings: inputs.settings, dataSource: inputs.dataSource, bars: info.bars, from: info.from, to: info.to, createdAt }),
      );
  if (values.json) {
    process.stdout.write(`${JSON.stringify(walkForwardJson({ ...info, objective, folds, train }, result.folds, result.aggregate))}\n`);
    return 0;
  }
  process.stdout.write(`${def.name} walk-forward · ${folds} folds, train ${Math.round(train * 100)} % · ${paramSets.length} sets per fold · ranked by ${objective}\n\n`);
  process.stdout.write(formatFolds(result.folds));
  process.stdout.write(`\nOut-of-sample aggregate (all test parts, equity chained):\n`);
  process.stdout.write(formatBacktest({ run: { ...info, params: {} }, ...result.aggregate }).split('\n').slice(2).join('\n'));
  process.stdout.write(`\nData: ${inputs.dataSource}${runId === null ? '' : ` · saved as run #${runId}`}\n`);
  return 0;
}

await runMain(main);
