import { importParts, parseImportOptions } from '../data/import.ts';
import { VENDOR_LABEL } from '../data/layout.ts';
import { describeCounts } from '../data/summary.ts';
import { parseCommand, runMain, UsageError } from './args.ts';
import { configOf, STORE_HELP, STORE_OPTIONS, withBars } from './data-store.ts';
import { exportCommand, listCommand } from './data-query.ts';
import { downloadCommand } from './data-download.ts';

const importSpec = {
  name: 'data import',
  summary: 'read vendor bar files (TradingView, NinjaTrader, Sierra Chart, Databento, FirstRate, any CSV with a header) into the bar store',
  usage: 'bun run data import FILE... --symbol MES [--format auto] [--tz America/Chicago] [--contract MESH6]',
  positionals: true,
  options: {
    symbol: { type: 'string' },
    format: { type: 'string' },
    tz: { type: 'string' },
    contract: { type: 'string' },
    ...STORE_OPTIONS,
  },
  help: {
    symbol: 'the instrument the files hold: MES',
    format: 'auto|tradingview|ninjatrader|sierra|databento|firstrate|generic (default auto: detected)',
    tz: 'zone of times written without one, e.g. America/Chicago, America/New_York, UTC',
    contract: 'file the bars under a dated contract (MESH6); default: the symbol\'s series as given, no roll',
    ...STORE_HELP,
  },
} as const;

async function importCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand(importSpec, argv);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError("data import needs at least one FILE; run 'bun run data import --help'");
  if (values.symbol === undefined) throw new UsageError('data import needs --symbol MES');
  if (values.symbol.toUpperCase() !== 'MES') throw new UsageError(`--symbol must be MES (the only instrument supported), got '${values.symbol.slice(0, 20)}'`);
  const opts = parseImportOptions({ format: values.format, tz: values.tz, contract: values.contract });
  const config = configOf(values);
  return withBars(config, (bars) => {
    for (const file of positionals) {
      const got = importParts(file, opts);
      const first = got.parts[0]!;
      const zone = opts.tz === undefined ? '' : ` (${opts.tz})`;
      process.stdout.write(`${file}: ${VENDOR_LABEL[first.vendor]}, times as ${first.timeForm}${zone}\n`);
      if (got.skippedRows > 0) process.stdout.write(`  skipped ${got.skippedRows.toLocaleString('en-US')} rows of ${got.skippedSymbols.slice(0, 6).join(', ')}${got.skippedSymbols.length > 6 ? ', …' : ''} (not a dated MES future${opts.contract ? ` or not ${opts.contract}` : ''})\n`);
      for (const part of got.parts) {
        const contract = part.contract?.name ?? 'MES';
        bars.ensureContract({ contract, symbol: 'MES', lastTradeDay: part.contract?.lastTradeDay ?? null }, Date.now());
        const w = bars.write(contract, part.series, `import:${file.slice(-200)}`);
        process.stdout.write(`${describeCounts(part.counts, part.series.time[0]!, part.series.time[part.series.length - 1]!)}\n`);
        process.stdout.write(`  stored under ${contract}${part.contract ? '' : " (the symbol's series as given: no roll applied)"} in ${config.store.path}; ${w.replaced} replaced bars already there\n`);
      }
    }
    return 0;
  });
}

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = { import: importCommand, list: listCommand, export: exportCommand, download: downloadCommand };

const USAGE = `data — market data: vendor imports, IB history download, the bar store

Usage: bun run data <command> [options]   (bun run data <command> --help for its options)

Commands:
  import FILE...   read vendor bar files into the store
  download         1-minute MES history from TWS / IB Gateway (or gateway:sim)
  list             what is stored: contract, from, to, bars, gaps
  export           write stored bars (a contract or the continuous series) as CSV
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown data command '${command.slice(0, 20)}'; expected one of ${Object.keys(COMMANDS).join(', ')}`);
  return run(rest);
}


await runMain(main);
