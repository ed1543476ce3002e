import { availableParallelism } from 'node:os';
import { expandGrid, isSettingPath, OBJECTIVES, splitPoint } from '../backtest/grid.ts';
import type { Trial } from '../backtest/grid-job.ts';
import type { Objective, Params } from '../domain/research.ts';
import { loadConfig } from '../config/load.ts';
import { engineSettings } from '../config/to-engine.ts';
import type { EngineSettings } from '../engine/settings.ts';
import { resolveParams } from '../strategy/registry.ts';
import type { StrategyDefinition } from '../strategy/types.ts';
import { keyValues, parseNumberFlag, UsageError } from './args.ts';
import { gridFlags } from './research-inputs.ts';

/** Flags shared by optimize and walkforward. */
export const GRID_OPTIONS = {
  grid: { type: 'string', multiple: true },
  objective: { type: 'string' },
  'min-trades': { type: 'string' },
  workers: { type: 'string' },
} as const;

export const GRID_HELP = {
  grid: "values to try: a strategy parameter (--grid lookback=10,20,30) or any --set path (--grid risk.stopLossPerContract=100,150,200); repeatable; default: the strategy's grid",
  objective: `ranking objective: ${OBJECTIVES.join('|')} (default sharpe)`,
  'min-trades': 'parameter sets with fewer trades are not ranked (default 30)',
  workers: `worker threads (default: one per core, ${availableParallelism()} here; 0 = none)`,
} as const;

export function gridSettings(values: { objective?: string; 'min-trades'?: string; workers?: string }): { objective: Objective; minTrades: number; workers: number } {
  const objective = (values.objective ?? 'sharpe') as Objective;
  if (!OBJECTIVES.includes(objective)) throw new UsageError(`--objective must be one of ${OBJECTIVES.join(', ')}, got '${values.objective}'`);
  return {
    objective,
    minTrades: parseNumberFlag('min-trades', values['min-trades'], { integer: true, min: 0 }) ?? 30,
    workers: parseNumberFlag('workers', values.workers, { integer: true, min: 0, max: 256 }) ?? availableParallelism(),
  };
}

export interface GridSpace {
  /** Every value tried, by strategy parameter name or setting path. */
  readonly grid: Record<string, number[]>;
  /** Points in grid order, strategy defaults filled in (what the tables and the store show), and what each runs. */
  readonly points: Params[];
  readonly trials: Trial[];
}

export interface SearchSpace {
  readonly grid: Record<string, number[]>;
  readonly size: number;
  /** Every point, in grid order (only for spaces small enough to enumerate). */
  all(): GridSpace;
  /** The point with one value index per grid key, in the grid's key order. */
  at(indices: readonly number[]): { point: Params; trial: Trial };
}

/**
 * `--grid` over strategy parameters and setting paths. A point's settings are the config (file and
 * --set) with the point's setting values written over it, validated exactly like --set.
 */
export function searchSpace(def: StrategyDefinition, values: { config?: string; set?: string[]; grid?: string[] }): SearchSpace {
  const flags = values.grid ?? [];
  const settingFlags = flags.filter((f) => isSettingPath(f.slice(0, Math.max(0, f.indexOf('=')))));
  const paramFlags = flags.filter((f) => !settingFlags.includes(f));
  const strategyGrid = paramFlags.length === 0 && settingFlags.length > 0 ? {} : gridFlags(def, paramFlags);
  const settingGrid: Record<string, number[]> = {};
  for (const [path, list] of keyValues('grid', settingFlags)) {
    const items = list.split(',').map((s) => s.trim());
    const bad = items.find((s) => s === '' || !Number.isFinite(Number(s)));
    if (bad !== undefined) throw new UsageError(`--grid ${path}: '${bad}' is not a number (expected e.g. --grid ${path}=100,150,200)`);
    if (path in settingGrid) throw new UsageError(`--grid ${path} is given twice`);
    settingGrid[path] = items.map(Number);
  }
  const grid = { ...strategyGrid, ...settingGrid };
  const keys = Object.keys(grid);
  const cache = new Map<string, EngineSettings>();
  const settingsFor = (overrides: Params): EngineSettings | undefined => {
    const entries = Object.entries(overrides);
    if (entries.length === 0) return undefined;
    const key = JSON.stringify(entries);
    let s = cache.get(key);
    if (!s) {
      const { config } = loadConfig({ path: values.config, overrides: [...keyValues('set', values.set), ...entries.map(([k, v]) => [k, String(v)] as const)], env: process.env });
      s = engineSettings(config);
      cache.set(key, s);
    }
    return s;
  };
  const make = (raw: Params) => {
    const { params, settings } = splitPoint(raw);
    const strategy = resolveParams(def, params);
    const s = settingsFor(settings);
    // A point shows the resolved strategy parameters, then its settings.
    return { point: { ...strategy, ...settings }, trial: s === undefined ? { params: strategy } : { params: strategy, settings: s } };
  };
  return {
    grid,
    size: keys.reduce((a, k) => a * grid[k]!.length, 1),
    all() {
      const made = expandGrid(grid, def.defaults).map(make);
      return { grid, points: made.map((m) => m.point), trials: made.map((m) => m.trial) };
    },
    at(indices) {
      const raw: Record<string, number> = { ...def.defaults };
      keys.forEach((k, j) => (raw[k] = grid[k]![indices[j]!]!));
      return make(raw);
    },
  };
}

/** Every point of the grid (see searchSpace). */
export function gridSpace(def: StrategyDefinition, values: { config?: string; set?: string[]; grid?: string[] }): GridSpace {
  return searchSpace(def, values).all();
}
