import type { BarSeries } from '../domain/bar.ts';
import { runBacktest, type BacktestInput } from './run.ts';
import type { BacktestResult, EquityPoint, Metrics } from '../domain/research.ts';

/**
 * The equity curve per bar: the initial capital one bar step before the first traded bar, then
 * the equity at the close of every traded bar (plotted at the bar's time); the last point is the
 * final equity, after the end-of-data close and its commission. The run's max drawdown is taken
 * over this curve, from its running peak, so the drawdown chart bottoms exactly at the metric.
 */
export interface CurveRun {
  readonly result: BacktestResult;
  readonly curve: readonly EquityPoint[];
}

/** Scratch space reused across the runs of one grid worker: one Float64Array per run is garbage. */
export class CurveScratch {
  private buf = new Float64Array(0);
  take(n: number): Float64Array {
    if (this.buf.length < n) this.buf = new Float64Array(n);
    return this.buf.subarray(0, n);
  }
}

export function runWithCurve(input: BacktestInput, scratch = new CurveScratch()): CurveRun {
  const { result, equityCents } = runMeasured(input, scratch);
  return { result, curve: barCurve(input.series, input.from ?? 0, equityCents, Math.round(input.settings.initialCapital * 100)) };
}

/**
 * The run with its max drawdown taken over the per-bar curve, without building the curve's points
 * (a grid search needs the metrics only). `equityCents` lives in `scratch` until its next use.
 */
export function runMeasured(input: BacktestInput, scratch = new CurveScratch()): { result: BacktestResult; equityCents: Float64Array } {
  const from = input.from ?? 0;
  const to = input.to ?? input.series.length;
  const cents = scratch.take(Math.max(0, to - from));
  const raw = runBacktest({ ...input, equityOut: cents });
  const initialCents = Math.round(input.settings.initialCapital * 100);
  const finalCents = initialCents + raw.trades.reduce((a, t) => a + t.pnlCents, 0);
  if (cents.length > 0) cents[cents.length - 1] = finalCents;
  const dd = drawdownOf(cents, initialCents);
  const metrics: Metrics = { ...raw.metrics, maxDrawdown: dd.cents / 100, maxDrawdownPct: dd.peakCents > 0 ? (dd.cents / dd.peakCents) * 100 : 0 };
  return { result: { ...raw, metrics }, equityCents: cents };
}

/** Largest fall from the running peak (starting at the initial capital), in cents, and that peak. */
export function drawdownOf(equityCents: ArrayLike<number>, initialCents: number): { cents: number; peakCents: number } {
  let peak = initialCents;
  let worst = 0;
  let worstPeak = initialCents;
  for (let i = 0; i < equityCents.length; i++) {
    const e = equityCents[i]!;
    if (e > peak) peak = e;
    if (peak - e > worst) {
      worst = peak - e;
      worstPeak = peak;
    }
  }
  return { cents: Math.round(worst), peakCents: worstPeak };
}

/** Per-bar points from `equityCents` (bar `from + i`), after a first point at the initial capital. */
export function barCurve(series: BarSeries, from: number, equityCents: ArrayLike<number>, initialCents: number): EquityPoint[] {
  const t0 = series.time[from]!;
  const step = from + 1 < series.length ? series.time[from + 1]! - t0 : 60_000;
  const out: EquityPoint[] = [{ time: t0 - step, equity: initialCents / 100 }];
  for (let i = 0; i < equityCents.length; i++) out.push({ time: series.time[from + i]!, equity: equityCents[i]! / 100 });
  return out;
}

/** Largest fall from the running peak of a curve, in dollars to the cent: what the drawdown chart bottoms at. */
export function curveMaxDrawdown(points: readonly EquityPoint[]): number {
  let peak = Number.NEGATIVE_INFINITY;
  let worst = 0;
  for (const p of points) {
    if (p.equity > peak) peak = p.equity;
    if (peak - p.equity > worst) worst = peak - p.equity;
  }
  return Math.round(worst * 100) / 100;
}
