import { defaultConfig } from '../config/schema.ts';
import type { BarSeries } from '../domain/bar.ts';
import { fromNyWallMs, sessionStart } from '../domain/session.ts';
import { writeBarsCsv } from '../market/csv.ts';
import { REGIME_OPTIONS, type RegimeOption } from '../market/regimes.ts';
import { DEFAULT_START, DEFAULT_START_PRICE, simulateBars } from '../market/simulator.ts';
import { parseCommand, parseNumberFlag, runMain, UsageError, type CommandSpec } from './args.ts';
import { Progress } from './progress.ts';

const options = {
  out: { type: 'string' },
  days: { type: 'string' },
  regime: { type: 'string' },
  seed: { type: 'string' },
  start: { type: 'string' },
  'start-price': { type: 'string' },
  'bar-minutes': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The same defaults as backtest, optimize and walkforward without a config, so `simulate` writes the bars they would test on. */
const DEFAULT_DAYS = 60;
const DEFAULT_SEED = defaultConfig().sim.seed;

const spec: CommandSpec<typeof options> = {
  name: 'simulate',
  summary: 'write simulated MES bars on the CME Globex calendar to a CSV file',
  usage: 'bun run simulate --out bars.csv [--days 60] [--regime switching] [--seed 7] [--start 2026-01-05] [--start-price 5000] [--bar-minutes 1] [--json]',
  options,
  help: {
    out: 'CSV file to write (required)',
    days: `trading sessions to simulate, 1–2000 (default ${DEFAULT_DAYS}, as backtest; a session is ~23 h)`,
    regime: `${REGIME_OPTIONS.join(' | ')} (default switching)`,
    seed: `random seed, an integer; the same seed gives the same bars (default ${DEFAULT_SEED}, the config's sim.seed default, as backtest)`,
    start: 'trading date YYYY-MM-DD (its session opens 18:00 New York the evening before) or an ISO time (default 2026-01-05)',
    'start-price': 'price of the first bar, rounded to the 0.25 tick (default 5000)',
    'bar-minutes': 'bar length in minutes: 1, 2, 3, 5, 10, 15, 30 or 60 (default 1)',
    json: 'print the summary as one JSON object and no progress bar',
  },
};

/** A trading date means its CME session, which opens at 18:00 New York the evening before. */
function parseStart(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_START;
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  if (date) {
    const noonWall = Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, 12);
    if (Number.isNaN(noonWall) || new Date(noonWall).getUTCDate() !== +date[3]!) throw new UsageError(`--start '${raw}' is not a valid date`);
    return sessionStart(fromNyWallMs(noonWall));
  }
  const t = /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/i.test(raw.trim()) ? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(t)) throw new UsageError(`--start must be a date YYYY-MM-DD or an ISO time with Z or an offset, got '${raw}'`);
  return t;
}

function parseRegime(raw: string | undefined): RegimeOption {
  const r = raw ?? 'switching';
  if (!(REGIME_OPTIONS as readonly string[]).includes(r)) throw new UsageError(`--regime must be one of ${REGIME_OPTIONS.join(', ')}, got '${r}'`);
  return r as RegimeOption;
}

export interface SimulateSummary {
  readonly out: string;
  readonly bars: number;
  readonly from: string;
  readonly to: string;
  readonly first: number;
  readonly last: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(out: string, s: BarSeries): SimulateSummary {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.low[i]! < min) min = s.low[i]!;
    if (s.high[i]! > max) max = s.high[i]!;
  }
  const last = s.length - 1;
  return { out, bars: s.length, from: new Date(s.time[0]!).toISOString(), to: new Date(s.time[last]!).toISOString(), first: s.open[0]!, last: s.close[last]!, min, max };
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const f = parsed.values;
  if (typeof f.out !== 'string' || f.out.trim() === '') throw new UsageError(`--out is required: the CSV file to write\nRun 'bun run simulate --help' for the options.`);
  const days = parseNumberFlag('days', f.days, { integer: true, min: 1, max: 2000 }) ?? DEFAULT_DAYS;
  const seed = parseNumberFlag('seed', f.seed, { integer: true }) ?? DEFAULT_SEED;
  const startPrice = parseNumberFlag('start-price', f['start-price'], { min: 1, max: 999_999 }) ?? DEFAULT_START_PRICE;
  const barMinutes = parseNumberFlag('bar-minutes', f['bar-minutes'], { integer: true, min: 1, max: 60 }) ?? 1;
  if (60 % barMinutes !== 0) throw new UsageError(`--bar-minutes must divide 60 (1, 2, 3, 5, 10, 15, 30, 60), got '${barMinutes}'`);
  const regime = parseRegime(f.regime);
  const start = parseStart(f.start);
  const json = f.json === true;

  let progress: Progress | undefined;
  let reported = 0;
  const series = simulateBars({ days, seed, regime, start, startPrice, barMinutes }, (done, total) => {
    progress ??= new Progress('simulate', total, { quiet: json });
    progress.tick(done - reported);
    reported = done;
  });
  progress?.finish();
  try {
    await writeBarsCsv(f.out, series);
  } catch (e) {
    throw new UsageError(`cannot write --out '${f.out}': ${e instanceof Error ? e.message : String(e)}`);
  }

  const s = summarize(f.out, series);
  process.stdout.write(
    json
      ? `${JSON.stringify(s)}\n`
      : `wrote ${s.bars} bars to ${s.out}: ${s.from} → ${s.to}, first ${s.first} last ${s.last} min ${s.min} max ${s.max}\n`,
  );
  return 0;
}

if (import.meta.main) await runMain(main);
