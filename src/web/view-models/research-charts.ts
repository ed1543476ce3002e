import type { EquityPoint, StoredRun } from '../../app/research.ts';
import { toNyWallMs } from '../../domain/session.ts';

/**
 * The charts of a run for lightweight-charts, which draws times as UTC seconds: with tz 'ny' every
 * time is shifted to New York wall-clock time first, so the axis reads New York time.
 * The drawdown is measured from the running peak of the stored (thinned) equity, whose thinning
 * keeps every trough with its peak, so its lowest point is the run's max drawdown.
 */

export type Tz = 'utc' | 'ny';
type Point = { time: number; value: number };
type Whitespace = { time: number };

export interface RunCharts {
  readonly tz: Tz;
  readonly equity: Point[];
  readonly drawdown: Point[];
  readonly price: {
    readonly candles: Array<{ time: number; open: number; high: number; low: number; close: number }>;
    readonly markers: Array<{ time: number; position: 'aboveBar' | 'belowBar'; shape: 'arrowUp' | 'arrowDown' | 'circle' | 'square'; color: string; text: string }>;
    readonly stops: Array<Point | Whitespace>;
    readonly targets: Array<Point | Whitespace>;
    readonly barsPerCandle: number;
    readonly omittedTrades: number;
  } | null;
}

export const shiftFor = (tz: Tz) => (ms: number) => (tz === 'ny' ? toNyWallMs(ms) : ms);

export function equityAndDrawdown(points: readonly EquityPoint[], tz: Tz): { equity: Point[]; drawdown: Point[] } {
  const shift = shiftFor(tz);
  let peak = Number.NEGATIVE_INFINITY;
  const equity: Point[] = [];
  const drawdown: Point[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    const time = Math.floor(shift(p.time) / 1000);
    peak = Math.max(peak, p.equity);
    const dd = Math.round((p.equity - peak) * 100) / 100;
    // The library refuses equal times: of two points in one second keep the lower drawdown's.
    if (time <= last) {
      if (dd < drawdown.at(-1)!.value) {
        equity[equity.length - 1] = { time: last, value: p.equity };
        drawdown[drawdown.length - 1] = { time: last, value: dd };
      }
      continue;
    }
    equity.push({ time, value: p.equity });
    drawdown.push({ time, value: dd });
    last = time;
  }
  return { equity, drawdown };
}

const EXIT_COLOUR: Record<string, string> = { stop: '#f85149', target: '#3fb950', signal: '#d2a8ff', max_hold: '#e3b341', daily_loss: '#ff7b72', drawdown: '#ff7b72', end_of_data: '#8b949e' };

export function runCharts(run: Pick<StoredRun, 'equity' | 'report'>, tz: Tz): RunCharts {
  const shift = shiftFor(tz);
  const { equity, drawdown } = equityAndDrawdown(run.equity, tz);
  const p = run.report?.price ?? null;
  if (!p) return { tz, equity, drawdown, price: null };
  const candles = p.candles.map((c) => ({ ...c, time: Math.floor(shift(c.time) / 1000) }));
  const times = candles.map((c) => c.time);
  /** The candle a time falls in: the last one starting at or before it. */
  const snap = (ms: number) => {
    const t = Math.floor(shift(ms) / 1000);
    let lo = 0;
    let hi = times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (times[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const markers: NonNullable<RunCharts['price']>['markers'] = [];
  const stops: Array<Point | Whitespace> = [];
  const targets: Array<Point | Whitespace> = [];
  const push = (line: Array<Point | Whitespace>, item: Point | Whitespace) => {
    const prev = line.at(-1);
    if (prev && prev.time === item.time && !('value' in prev) && 'value' in item) line[line.length - 1] = item;
    else if (!prev || prev.time < item.time) line.push(item);
  };
  for (const t of p.trades) {
    const a = snap(t.entryTime);
    const b = snap(t.exitTime);
    const long = t.side === 'long';
    markers.push({ time: times[a]!, position: long ? 'belowBar' : 'aboveBar', shape: long ? 'arrowUp' : 'arrowDown', color: long ? '#3fb950' : '#f85149', text: '' });
    markers.push({ time: times[b]!, position: long ? 'aboveBar' : 'belowBar', shape: 'circle', color: EXIT_COLOUR[t.exitReason] ?? '#c9d1d9', text: t.exitReason });
    for (const [line, level] of [[stops, t.stop], [targets, t.target]] as const) {
      push(line, { time: times[a]!, value: level });
      if (b > a) push(line, { time: times[b]!, value: level });
      if (b + 1 < times.length) push(line, { time: times[b + 1]! });
    }
  }
  markers.sort((x, y) => x.time - y.time);
  return { tz, equity, drawdown, price: { candles, markers, stops, targets, barsPerCandle: p.barsPerCandle, omittedTrades: p.omittedTrades } };
}

/** "2026-01-05 14:03 UTC" or "2026-01-05 09:03 NY". */
export function timeText(ms: number | null | undefined, tz: Tz): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return `${new Date(shiftFor(tz)(ms)).toISOString().slice(0, 16).replace('T', ' ')} ${tz === 'ny' ? 'NY' : 'UTC'}`;
}
