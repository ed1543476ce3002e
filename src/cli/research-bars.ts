import type { Config } from '../config/schema.ts';
import { sliceSeries, type BarSeries } from '../domain/bar.ts';
import { parseRange } from '../data/range.ts';
import { describeRoll, parseAdjust, storedSeries } from '../data/series-source.ts';
import { UsageError } from './args.ts';
import { withBars } from './data-store.ts';

interface Source {
  readonly series: BarSeries;
  readonly dataSource: string;
}

/** `--symbol`: the stored series, already cut to --from/--to (the store reads only those hours). */
export function loadStoredBars(symbol: string, values: { from?: string; to?: string; adjust?: string }, config: Config): Source {
  const range = parseRange(values);
  const got = withBars(config, (bars) => storedSeries(bars, symbol, { rollDays: config.ib.rollDaysBeforeExpiry, adjust: parseAdjust(values.adjust), ...range, storePath: config.store.path }));
  const rolls = got.rolls.length === 0 ? '' : `; ${got.rolls.map(describeRoll).join('; ')}`;
  return { series: got.series, dataSource: `${got.label}${rolls}` };
}

function lowerBound(t: Float64Array, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** --from / --to applied to bars from any source; the data source then says which range. */
export function inRange(src: Source, values: { from?: string; to?: string }): Source {
  const { from, to } = parseRange(values);
  if (from === undefined && to === undefined) return src;
  const a = from === undefined ? 0 : lowerBound(src.series.time, from);
  const b = to === undefined ? src.series.length : lowerBound(src.series.time, to);
  if (b - a < 2) throw new UsageError(`${src.dataSource}: ${b - a} bars between --from ${values.from ?? '(start)'} and --to ${values.to ?? '(end)'}; the bars run ${new Date(src.series.time[0]!).toISOString()} to ${new Date(src.series.time[src.series.length - 1]!).toISOString()}`);
  return { series: sliceSeries(src.series, a, b), dataSource: `${src.dataSource} [${values.from ?? 'start'} → ${values.to ?? 'end'}]` };
}
