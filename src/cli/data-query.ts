import { table } from '../backtest/report.ts';
import { parseRange } from '../data/range.ts';
import { countGaps } from '../data/normalize.ts';
import { describeRoll, parseAdjust, storedSeries } from '../data/series-source.ts';
import { utcMinute } from '../data/summary.ts';
import { formatBarsCsv, writeBarsCsv } from '../market/csv.ts';
import { parseCommand } from './args.ts';
import { configOf, STORE_HELP, STORE_OPTIONS, withBars } from './data-store.ts';
import { continuousSeries } from '../data/continuous.ts';

const listSpec = {
  name: 'data list',
  summary: 'show the stored bars per contract (from, to, bars, gaps) and the continuous series\' roll points',
  usage: 'bun run data list [--json] [--set store.path=…]',
  options: { json: { type: 'boolean' }, ...STORE_OPTIONS },
  help: { json: 'print one JSON document', ...STORE_HELP },
} as const;

export async function listCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand(listSpec, argv);
  if (!parsed) return 0;
  const config = configOf(parsed.values);
  const rollDays = config.ib.rollDaysBeforeExpiry;
  return withBars(config, (bars) => {
    const rows = bars.ranges().map((r) => ({ ...r, gaps: countGaps(bars.load(r.contract).time, r.bars), noData: bars.emptyRequests(r.contract).length }));
    const rolls = continuousSeries(bars, 'MES', { rollDays, adjust: 'none' }).rolls;
    if (parsed.values.json) {
      process.stdout.write(`${JSON.stringify({ store: config.store.path, contracts: rows, rolls })}\n`);
      return 0;
    }
    if (rows.length === 0) {
      process.stdout.write(`${config.store.path}: no bars stored; add some with 'bun run data import FILE --symbol MES' or 'bun run data download'\n`);
      return 0;
    }
    const body = rows.map((r) => [r.contract, utcMinute(r.from), utcMinute(r.to), r.bars.toLocaleString('en-US'), String(r.gaps), r.lastTradeDay === null ? 'as given' : new Date(r.lastTradeDay).toISOString().slice(0, 10)]);
    process.stdout.write(`Bars in ${config.store.path} (times UTC)\n${table(['Contract', 'From', 'To', 'Bars', 'Gaps', 'Last trade'], body)}\n`);
    for (const r of rolls) process.stdout.write(`${describeRoll(r)}\n`);
    return 0;
  });
}

const exportSpec = {
  name: 'data export',
  summary: 'write stored bars as CSV (time,open,high,low,close,volume): the continuous series or one contract',
  usage: 'bun run data export [--symbol MES|MESH6] [--from 2024-01-01] [--to 2024-12-31] [--adjust difference|ratio|none] [--out bars.csv]',
  options: { symbol: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, adjust: { type: 'string' }, out: { type: 'string' }, ...STORE_OPTIONS },
  help: {
    symbol: 'MES for the continuous series (default) or a stored contract such as MESH6',
    from: 'first day (UTC date or ISO time)',
    to: 'last day, included (UTC date or ISO time)',
    adjust: 'continuous series at a roll: difference (default), ratio, or none',
    out: 'file to write (through a temporary file); default: standard output',
    ...STORE_HELP,
  },
} as const;

export async function exportCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand(exportSpec, argv);
  if (!parsed) return 0;
  const v = parsed.values;
  const config = configOf(v);
  const range = parseRange(v);
  const adjust = parseAdjust(v.adjust);
  const got = withBars(config, (bars) => storedSeries(bars, v.symbol ?? 'MES', { rollDays: config.ib.rollDaysBeforeExpiry, adjust, ...range, storePath: config.store.path }));
  for (const r of got.rolls) process.stderr.write(`${describeRoll(r)}\n`);
  if (v.out === undefined) process.stdout.write(formatBarsCsv(got.series));
  else {
    await writeBarsCsv(v.out, got.series);
    process.stderr.write(`wrote ${got.series.length.toLocaleString('en-US')} bars of ${got.label} to ${v.out}\n`);
  }
  return 0;
}
