import type { EquityPoint, Metrics, StoredGridRow } from '../../app/research.ts';
import { downsampleEquity } from '../../app/research.ts';

export type { Metrics, Objective, RunKind, RunSummary, StoredFold, StoredGridRow, StoredRun, StoredTrade } from '../../app/research.ts';

export const OBJECTIVES = ['sharpe', 'sortino', 'netPnl', 'profitFactor', 'expectancy'] as const;
export type HeatObjective = (typeof OBJECTIVES)[number];

/** Equity and its drawdown from the running peak, in lightweight-charts' UTC seconds. */
export function equityCurves(points: readonly EquityPoint[]): { equity: { time: number; value: number }[]; drawdown: { time: number; value: number }[] } {
  let peak = Number.NEGATIVE_INFINITY;
  const equity: { time: number; value: number }[] = [];
  const drawdown: { time: number; value: number }[] = [];
  let lastTime = Number.NEGATIVE_INFINITY;
  for (const p of downsampleEquity(points)) {
    const time = Math.floor(p.time / 1000);
    // The chart library refuses equal or decreasing times; two points in one second keep the later.
    if (time <= lastTime) {
      equity.pop();
      drawdown.pop();
    }
    peak = Math.max(peak, p.equity);
    equity.push({ time, value: p.equity });
    drawdown.push({ time, value: Math.round((p.equity - peak) * 100) / 100 });
    lastTime = time;
  }
  return { equity, drawdown };
}

export interface HeatCell {
  readonly value: number | null;
  /** −5 … 5: the colour step, 0 the neutral value of the objective. Null when there is no value. */
  readonly step: number | null;
  readonly trades: number;
  readonly ranked: boolean;
}

export interface Heatmap {
  readonly params: readonly string[];
  readonly x: string;
  readonly y: string | null;
  readonly objective: HeatObjective;
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** cells[row][column]: row per y value, column per x value. */
  readonly cells: readonly (readonly (HeatCell | null)[])[];
}

const sortedUnique = (values: number[]) => [...new Set(values)].sort((a, b) => a - b);
/** Profit factor breaks even at 1; every other objective at 0. */
const neutral = (objective: HeatObjective) => (objective === 'profitFactor' ? 1 : 0);

/**
 * The objective over two chosen parameters. When the grid has more parameters, a cell shows the
 * best set among those sharing its two values (what an optimiser would pick there); sets with too
 * few trades count only when no ranked set shares the cell.
 */
export function heatmap(rows: readonly StoredGridRow[], objective: HeatObjective, x?: string, y?: string): Heatmap | null {
  const params = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
  if (params.length === 0) return null;
  const px = x && params.includes(x) ? x : params[0]!;
  const rest = params.filter((p) => p !== px);
  const py = params.length === 1 ? null : y && rest.includes(y) ? y : rest[0]!;
  const xs = sortedUnique(rows.map((r) => r.params[px]).filter((v): v is number => v !== undefined));
  const ys = py === null ? [0] : sortedUnique(rows.map((r) => r.params[py]).filter((v): v is number => v !== undefined));
  const best = new Map<string, StoredGridRow>();
  const score = (r: StoredGridRow) => (r.metrics[objective as keyof Metrics] as number | null) ?? Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    const key = `${r.params[px]}|${py === null ? 0 : r.params[py]}`;
    const held = best.get(key);
    const better = !held || (r.rank !== null && held.rank === null) || ((r.rank !== null) === (held.rank !== null) && score(r) > score(held));
    if (better) best.set(key, r);
  }
  const values = [...best.values()].map(score).filter(Number.isFinite);
  const center = neutral(objective);
  const span = Math.max(...values.map((v) => Math.abs(v - center)), 1e-12);
  const cells = ys.map((yv) =>
    xs.map((xv) => {
      const r = best.get(`${xv}|${yv}`);
      if (!r) return null;
      const value = r.metrics[objective as keyof Metrics] as number | null;
      // Any value off neutral gets at least the palest colour of its side, so a sign always shows.
      const step = value === null ? null : value === center ? 0 : Math.sign(value - center) * Math.max(1, Math.round((Math.abs(value - center) / span) * 5));
      return { value, step, trades: r.metrics.trades, ranked: r.rank !== null };
    }),
  );
  return { params, x: px, y: py, objective, xs, ys, cells };
}
