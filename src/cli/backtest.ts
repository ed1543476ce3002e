import { formatBacktest, backtestJson } from '../backtest/report.ts';
import { runBacktest } from '../backtest/run.ts';
import { describeZScoreImpl } from '../indicators/zscore.ts';
import { parseCommand, runMain } from './args.ts';
import { loadResearchInputs, RESEARCH_HELP, RESEARCH_OPTIONS, strategyParams } from './research-inputs.ts';
import { saveRun } from './save-run.ts';

const spec = {
  name: 'backtest',
  summary: 'backtest a strategy on simulated or CSV bars and print its metrics',
  usage: 'bun run backtest [--data bars.csv] [--strategy zscore] [--param lookback=20 ...] [--set path=value ...] [--json]',
  options: { ...RESEARCH_OPTIONS, param: { type: 'string', multiple: true } },
  help: { ...RESEARCH_HELP, param: 'strategy parameter, e.g. --param lookback=30 (repeatable)' },
} as const;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const values = parsed.values;
  const inputs = await loadResearchInputs(values);
  const params = strategyParams(inputs.strategy, inputs.config, values.param);
  const result = runBacktest({ series: inputs.series, strategy: inputs.strategy, params, settings: inputs.settings });
  const runId = values['no-save'] ? null : saveRun(inputs.config, (runs, createdAt) => runs.saveBacktest({ result, settings: inputs.settings, dataSource: inputs.dataSource, createdAt }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(backtestJson(result))}\n`);
  } else {
    process.stdout.write(formatBacktest(result));
    process.stdout.write(`\nData: ${inputs.dataSource} · Z-Score: ${describeZScoreImpl()}${runId === null ? '' : ` · saved as run #${runId} in ${inputs.config.store.path}`}\n`);
  }
  return 0;
}

await runMain(main);
