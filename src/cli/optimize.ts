import { expandGrid, rankRows } from '../backtest/grid.ts';
import { gridSearch } from '../backtest/grid-search.ts';
import { formatGrid, formatParams, gridJson } from '../backtest/report.ts';
import { runBacktest } from '../backtest/run.ts';
import { resolveParams } from '../strategy/registry.ts';
import { parseCommand, parseNumberFlag, runMain } from './args.ts';
import { GRID_HELP, GRID_OPTIONS, gridSettings } from './grid-options.ts';
import { Progress } from './progress.ts';
import { gridFlags, loadResearchInputs, RESEARCH_HELP, RESEARCH_OPTIONS } from './research-inputs.ts';
import { saveRun } from './save-run.ts';

const spec = {
  name: 'optimize',
  summary: 'grid-search strategy parameters in parallel and rank them',
  usage: 'bun run optimize [--grid lookback=10,20,30 ...] [--objective sharpe] [--min-trades 30] [--data bars.csv] [--json]',
  options: { ...RESEARCH_OPTIONS, ...GRID_OPTIONS, top: { type: 'string' } },
  help: { ...RESEARCH_HELP, ...GRID_HELP, top: 'rows of the ranked table to print (default 20)' },
} as const;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const values = parsed.values;
  const { objective, minTrades, workers } = gridSettings(values);
  const top = parseNumberFlag('top', values.top, { integer: true, min: 1 }) ?? 20;
  const inputs = await loadResearchInputs(values);
  const def = inputs.strategy;
  const grid = gridFlags(def, values.grid);
  const paramSets = expandGrid(grid, def.defaults).map((p) => resolveParams(def, p));
  const job = { series: inputs.series, strategy: def.name, settings: inputs.settings, from: 0, to: inputs.series.length };

  const progress = new Progress(`optimize ${paramSets.length} sets`, paramSets.length, { quiet: values.json });
  const started = performance.now();
  const metrics = await gridSearch(job, paramSets, { workers, onProgress: () => progress.tick() });
  progress.finish();
  const seconds = (performance.now() - started) / 1000;
  const rows = rankRows(paramSets.map((params, i) => ({ params, metrics: metrics[i]! })), objective, minTrades);

  const winner = rows[0]?.rank != null ? rows[0] : null;
  const best = winner ? runBacktest({ series: inputs.series, strategy: def, params: winner.params, settings: inputs.settings }) : null;
  const info = { strategy: def.name, params: winner?.params ?? {}, bars: inputs.series.length, from: inputs.series.time[0]!, to: inputs.series.time[inputs.series.length - 1]! };
  const runId = values['no-save']
    ? null
    : saveRun(inputs.config, (runs, createdAt) =>
        runs.saveOptimization({ strategy: def.name, gridSpec: grid, objective, minTrades, rows, best, settings: inputs.settings, dataSource: inputs.dataSource, bars: info.bars, from: info.from, to: info.to, createdAt }),
      );

  if (values.json) {
    process.stdout.write(`${JSON.stringify(gridJson({ ...info, objective, minTrades, grid }, rows))}\n`);
    return 0;
  }
  process.stdout.write(`${def.name} · ${paramSets.length} parameter sets · ${info.bars.toLocaleString('en-US')} bars · ranked by ${objective} (min ${minTrades} trades) · ${seconds.toFixed(2)} s on ${workers || 'no'} workers\n\n`);
  process.stdout.write(formatGrid(rows, top));
  const ranked = rows.filter((r) => r.rank !== null).length;
  process.stdout.write(`\n${ranked} of ${rows.length} sets ranked; best: ${winner ? formatParams(winner.params) : 'none reached the minimum trade count'}`);
  process.stdout.write(`\nData: ${inputs.dataSource}${runId === null ? '' : ` · saved as run #${runId}`}\n`);
  return 0;
}

await runMain(main);
