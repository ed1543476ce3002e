import type { BarSeries } from '../domain/bar.ts';
import { DataError } from '../market/data-error.ts';
import { isMarketOpen, nextOpen } from '../market/calendar.ts';
import type { RawBars } from './parse-file.ts';

const MINUTE = 60_000;

/** What an import did to the rows it read: every dropped or changed bar is counted here. */
export interface ImportCounts {
  /** Rows read from the file. */
  readonly rows: number;
  /** 1-minute bars kept. */
  readonly bars: number;
  /** The file's bar length in seconds (1, 5, 60…), before aggregation to 1 minute. */
  readonly sourceBarSeconds: number;
  /** Rows with a time already seen (the first one is kept). */
  readonly duplicates: number;
  /** Rows earlier than the row before them (the file is sorted). */
  readonly outOfOrder: number;
  /** Bars with a price off the 0.25 grid, rounded to the nearest tick. */
  readonly offGrid: number;
  /** Breaks between bars during which the market was open: missing data, not a halt or weekend. */
  readonly gaps: number;
}

/**
 * The most common step under six hours between the first bars: the file's bar length (longer
 * steps are halts and weekends). Without one, the shortest step, or a minute for two bars.
 */
function barLength(t: Float64Array, n: number): number {
  const counts = new Map<number, number>();
  let shortest = Number.POSITIVE_INFINITY;
  for (let i = 1; i < Math.min(n, 5001); i++) {
    const d = t[i]! - t[i - 1]!;
    if (d > 0 && d < shortest) shortest = d;
    if (d > 0 && d < 6 * 60 * MINUTE) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  if (counts.size === 0) return n > 2 ? shortest : MINUTE;
  let best = MINUTE;
  let most = 0;
  for (const [d, c] of counts) {
    if (c > most || (c === most && d < best)) {
      best = d;
      most = c;
    }
  }
  return best;
}

function sortRaw(r: RawBars): number {
  let outOfOrder = 0;
  for (let i = 1; i < r.length; i++) if (r.time[i]! < r.time[i - 1]!) outOfOrder++;
  if (outOfOrder === 0) return 0;
  const idx = new Uint32Array(r.length);
  for (let i = 0; i < r.length; i++) idx[i] = i;
  // A stable sort by time, so the first of two rows with one time stays first.
  idx.sort((a, b) => r.time[a]! - r.time[b]! || a - b);
  for (const k of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
    const src = r[k];
    const dst = new Float64Array(r.length);
    for (let i = 0; i < r.length; i++) dst[i] = src[idx[i]!]!;
    r[k] = dst;
  }
  return outOfOrder;
}

/** Breaks between consecutive bars with at least one open minute in between. */
export function countGaps(time: Float64Array, n: number): number {
  let gaps = 0;
  for (let i = 1; i < n; i++) {
    const next = time[i - 1]! + MINUTE;
    if (time[i]! > next && (isMarketOpen(next) || nextOpen(next) < time[i]!)) gaps++;
  }
  return gaps;
}

/**
 * Turns rows as read into 1-minute bars, in place: sorted by time, one bar per time (the first
 * row wins), shorter bars (1 s, 5 s, …) combined into the minute they start in, bar-end stamps
 * (NinjaTrader) moved to the bar's start. Longer bars are refused: the store keeps 1-minute bars.
 */
export function normalize(r: RawBars, source: string, stampsBarEnd: boolean): { series: BarSeries; counts: ImportCounts } {
  const rows = r.length;
  const outOfOrder = sortRaw(r);
  const step = barLength(r.time, rows);
  if (step > MINUTE) {
    throw new DataError(`${source}: bars are ${step / MINUTE} minutes long; the store keeps 1-minute bars, so export 1-minute (or 1-second, 5-second) bars instead`);
  }
  const shift = stampsBarEnd ? step : 0;
  const { time, open, high, low, close, volume } = r;
  let w = -1;
  let duplicates = 0;
  let prevRaw = Number.NaN;
  for (let i = 0; i < rows; i++) {
    const raw = time[i]!;
    if (raw === prevRaw) {
      duplicates++;
      continue;
    }
    prevRaw = raw;
    const minute = Math.floor((raw - shift) / MINUTE) * MINUTE;
    if (w >= 0 && time[w] === minute) {
      if (high[i]! > high[w]!) high[w] = high[i]!;
      if (low[i]! < low[w]!) low[w] = low[i]!;
      close[w] = close[i]!;
      volume[w] = volume[w]! + volume[i]!;
      continue;
    }
    w++;
    time[w] = minute;
    open[w] = open[i]!;
    high[w] = high[i]!;
    low[w] = low[i]!;
    close[w] = close[i]!;
    volume[w] = volume[i]!;
  }
  const n = w + 1;
  const series: BarSeries = { length: n, time: time.subarray(0, n), open: open.subarray(0, n), high: high.subarray(0, n), low: low.subarray(0, n), close: close.subarray(0, n), volume: volume.subarray(0, n) };
  const counts: ImportCounts = { rows, bars: n, sourceBarSeconds: step / 1000, duplicates, outOfOrder, offGrid: r.offGrid, gaps: countGaps(series.time, n) };
  return { series, counts };
}
