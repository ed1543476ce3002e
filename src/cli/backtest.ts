import { runWithCurve } from '../backtest/curve.ts';
import { haltsOf } from '../backtest/halt-summary.ts';
import { formatBacktest, backtestJson } from '../backtest/report.ts';
import { describeZScoreImpl } from '../indicators/zscore.ts';
import { formatBreakdowns, formatHalts, formatMonteCarlo } from '../research/report-text.ts';
import { reportJson } from '../research/report-json.ts';
import { dailyPnl, runReport } from '../research/run-report.ts';
import { parseCommand, parseNumberFlag, runMain } from './args.ts';
import { loadResearchInputs, RESEARCH_HELP, RESEARCH_OPTIONS, strategyParams } from './research-inputs.ts';
import { saveRun } from './save-run.ts';

const spec = {
  name: 'backtest',
  summary: 'backtest a strategy on simulated or CSV bars and print its metrics, breakdowns, halts and a Monte Carlo',
  usage: 'bun run backtest [--data bars.csv] [--strategy zscore] [--param lookback=20 ...] [--set path=value ...] [--json]',
  options: { ...RESEARCH_OPTIONS, param: { type: 'string', multiple: true }, 'mc-seed': { type: 'string' } },
  help: { ...RESEARCH_HELP, param: 'strategy parameter, e.g. --param lookback=30 (repeatable)', 'mc-seed': 'Monte Carlo seed (default 1)' },
} as const;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const values = parsed.values;
  const mcSeed = parseNumberFlag('mc-seed', values['mc-seed'], { integer: true, min: 0 }) ?? 1;
  const inputs = await loadResearchInputs(values);
  const params = strategyParams(inputs.strategy, inputs.config, values.param);
  const { series, settings } = inputs;
  const { result, curve } = runWithCurve({ series, strategy: inputs.strategy, params, settings });
  const halts = haltsOf(result);
  const report = runReport({ series, from: 0, to: series.length, trades: result.trades, settings, halts, dailyPnl: dailyPnl(settings.initialCapital, result.equity), seed: mcSeed });
  const runId = values['no-save'] ? null : saveRun(inputs.config, (runs, createdAt) => runs.saveBacktest({ result, settings, dataSource: inputs.dataSource, createdAt, report, curve }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...backtestJson(result), ...reportJson(report) })}\n`);
  } else {
    process.stdout.write(formatBacktest(result));
    process.stdout.write(`\n${formatHalts(halts)}\n${formatBreakdowns(report.breakdowns)}\n${formatMonteCarlo(report.monteCarlo)}`);
    process.stdout.write(`\nData: ${inputs.dataSource} · Z-Score: ${describeZScoreImpl()}${runId === null ? '' : ` · saved as run #${runId} in ${inputs.config.store.path}`}\n`);
  }
  return 0;
}

await runMain(main);
