import { runWithCurve } from '../backtest/curve.ts';
import { rankRows } from '../backtest/grid.ts';
import { haltsOf, NO_HALTS } from '../backtest/halt-summary.ts';
import { formatGrid, formatParams, gridJson } from '../backtest/report.ts';
import { guards } from '../research/guards.ts';
import { reportJson } from '../research/report-json.ts';
import { formatBreakdowns, formatGuards, formatHalts, formatMonteCarlo } from '../research/report-text.ts';
import { dailyPnl, runReport } from '../research/run-report.ts';
import { parseCommand, parseNumberFlag, runMain } from './args.ts';
import { GRID_HELP, GRID_OPTIONS, gridSettings, searchSpace } from './grid-options.ts';
import { runSearch, searchChoice, SEARCH_HELP, SEARCH_OPTIONS } from './optimize-search.ts';
import { Progress } from './progress.ts';
import { loadResearchInputs, RESEARCH_HELP, RESEARCH_OPTIONS } from './research-inputs.ts';
import { saveRun } from './save-run.ts';

const spec = {
  name: 'optimize',
  summary: 'grid-search strategy parameters and settings in parallel, rank them, and test the winner for overfitting',
  usage: 'bun run optimize [--grid lookback=10,20,30 ...] [--grid risk.stopLossPerContract=100,150,200] [--search tpe --trials 200] [--objective sharpe] [--min-trades 30] [--data bars.csv] [--json]',
  options: { ...RESEARCH_OPTIONS, ...GRID_OPTIONS, ...SEARCH_OPTIONS, top: { type: 'string' }, 'mc-seed': { type: 'string' } },
  help: { ...RESEARCH_HELP, ...GRID_HELP, ...SEARCH_HELP, top: 'rows of the ranked table to print (default 20)', 'mc-seed': 'Monte Carlo seed (default 1)' },
} as const;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const values = parsed.values;
  const { objective, minTrades, workers } = gridSettings(values);
  const top = parseNumberFlag('top', values.top, { integer: true, min: 1 }) ?? 20;
  const mcSeed = parseNumberFlag('mc-seed', values['mc-seed'], { integer: true, min: 0 }) ?? 1;
  const inputs = await loadResearchInputs(values);
  const def = inputs.strategy;
  const { series, settings } = inputs;
  const choice = searchChoice(values);
  const search = searchSpace(def, values);
  const job = { series, strategy: def.name, settings, from: 0, to: series.length };

  const planned = choice.search === 'grid' ? search.size : Math.min(choice.budget, search.size);
  const progress = new Progress(`optimize ${planned} sets`, planned, { quiet: values.json });
  const started = performance.now();
  const space = await runSearch(search, job, choice, { workers, objective, minTrades, onProgress: () => progress.tick() });
  const { results } = space;
  progress.finish();
  const seconds = (performance.now() - started) / 1000;
  const rows = rankRows(space.points.map((params, i) => ({ params, metrics: results[i]!.metrics, halted: results[i]!.halted, sessionsHalted: results[i]!.sessionsHalted })), objective, minTrades);

  const winner = rows[0]?.rank != null ? rows[0] : null;
  const chosenIndex = winner ? space.points.indexOf(winner.params) : -1;
  const trial = chosenIndex >= 0 ? space.trials[chosenIndex]! : null;
  const best = trial ? runWithCurve({ series, strategy: def, params: trial.params, settings: trial.settings ?? settings }) : null;
  const bestSettings = trial?.settings ?? settings;
  const report = best
    ? runReport({
        series, from: 0, to: series.length, trades: best.result.trades, settings: bestSettings, halts: haltsOf(best.result),
        dailyPnl: dailyPnl(bestSettings.initialCapital, best.result.equity), seed: mcSeed,
        guards: guards({ rows, dailyReturns: results.map((r) => r.dailyReturns), chosenIndex, chosen: winner!.params, objective }),
      })
    : null;
  const info = { strategy: def.name, params: winner?.params ?? {}, bars: series.length, from: series.time[0]!, to: series.time[series.length - 1]! };
  const runId = values['no-save']
    ? null
    : saveRun(inputs.config, (runs, createdAt) =>
        runs.saveOptimization({
          strategy: def.name, gridSpec: search.grid, objective, minTrades, rows, best: best?.result ?? null, settings, dataSource: inputs.dataSource,
          bars: info.bars, from: info.from, to: info.to, createdAt, ...(best ? { curve: best.curve } : {}), report,
        }),
      );

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...gridJson({ ...info, objective, minTrades, grid: search.grid }, rows), search: { method: choice.search, space: search.size, evaluated: rows.length, ...(choice.search === 'grid' ? {} : { seed: choice.seed }) }, ...(report ? { best: reportJson(report) } : { best: null }) })}\n`);
    return 0;
  }
  const how = choice.search === 'grid' ? '' : ` (${choice.search} search of ${search.size.toLocaleString('en-US')} points, seed ${choice.seed})`;
  process.stdout.write(`${def.name} · ${space.points.length} parameter sets${how} · ${info.bars.toLocaleString('en-US')} bars · ranked by ${objective} (min ${minTrades} trades) · ${seconds.toFixed(2)} s on ${workers || 'no'} workers\n\n`);
  process.stdout.write(formatGrid(rows, top));
  const ranked = rows.filter((r) => r.rank !== null).length;
  const halted = rows.filter((r) => r.halted).length;
  process.stdout.write(`\n${ranked} of ${rows.length} sets ranked${halted > 0 ? `; ${halted} halted before the data ended (marked H)` : ''}; best: ${winner ? formatParams(winner.params) : 'none reached the minimum trade count'}\n`);
  if (report) {
    process.stdout.write(`\nOverfitting guards for the best set\n${formatGuards(report.guards!)}\n${formatMonteCarlo(report.monteCarlo)}\n${formatHalts(report.halts ?? NO_HALTS)}\nBest set's breakdowns\n${formatBreakdowns(report.breakdowns, ['exitReason', 'side', 'weekday', 'month'])}`);
  }
  process.stdout.write(`\nData: ${inputs.dataSource}${runId === null ? '' : ` · saved as run #${runId}`}\n`);
  return 0;
}

await runMain(main);
