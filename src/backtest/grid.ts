import type { Metrics, Objective, GridRow, Params } from '../domain/research.ts';

export const OBJECTIVES: readonly Objective[] = ['sharpe', 'sortino', 'netPnl', 'profitFactor', 'expectancy'];

/** Every combination of the grid's values, each merged over the strategy's defaults, in a stable order. */
export function expandGrid(grid: Readonly<Record<string, readonly number[]>>, defaults: Params): Params[] {
  let sets: Params[] = [{ ...defaults }];
  for (const [name, values] of Object.entries(grid)) {
    sets = sets.flatMap((base) => values.map((value) => ({ ...base, [name]: value })));
  }
  return sets;
}

/**
 * Ranks parameter sets by the objective, best first. Sets with fewer than `minTrades` trades get
 * rank null and go last; an objective that is undefined for a set (null) sorts after every number;
 * ties keep the grid order, so the ranking is deterministic.
 */
export function rankRows(results: ReadonlyArray<{ params: Params; metrics: Metrics; halted?: boolean; sessionsHalted?: number }>, objective: Objective, minTrades: number): GridRow[] {
  const indexed = results.map((r, i) => ({ ...r, i }));
  const eligible = indexed.filter((r) => r.metrics.trades >= minTrades);
  const rest = indexed.filter((r) => r.metrics.trades < minTrades);
  eligible.sort((a, b) => {
    const x = a.metrics[objective];
    const y = b.metrics[objective];
    if (x === y) return a.i - b.i;
    if (x === null) return 1;
    if (y === null) return -1;
    return y - x || a.i - b.i;
  });
  const row = (r: (typeof indexed)[number], rank: number | null): GridRow => ({ params: r.params, metrics: r.metrics, rank, halted: r.halted ?? false, sessionsHalted: r.sessionsHalted ?? 0 });
  return [...eligible.map((r, k) => row(r, k + 1)), ...rest.map((r) => row(r, null))];
}

/** A grid key with a dot is a setting path (`risk.stopLossPerContract`); the others are strategy parameters. */
export const isSettingPath = (key: string): boolean => key.includes('.');

/** A grid point's strategy parameters and its setting overrides. */
export function splitPoint(point: Params): { params: Params; settings: Params } {
  const params: Record<string, number> = {};
  const settings: Record<string, number> = {};
  for (const [k, v] of Object.entries(point)) (isSettingPath(k) ? settings : params)[k] = v;
  return { params, settings };
}
