import type { BarSeries } from '../domain/bar.ts';
import { loadConfig } from '../config/load.ts';
import { engineSettings } from '../config/to-engine.ts';
import type { Config } from '../config/schema.ts';
import type { EngineSettings } from '../engine/settings.ts';
import { readBarsCsv } from '../market/csv.ts';
import { inRange, loadStoredBars } from './research-bars.ts';
import { simulateBars } from '../market/simulator.ts';
import { getStrategy, resolveParams } from '../strategy/registry.ts';
import type { StrategyDefinition, StrategyParams } from '../strategy/types.ts';
import { keyValues, parseNumberFlag, UsageError } from './args.ts';

/** Flags shared by backtest, optimize and walkforward. */
export const RESEARCH_OPTIONS = {
  config: { type: 'string' },
  set: { type: 'string', multiple: true },
  data: { type: 'string' },
  symbol: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  adjust: { type: 'string' },
  days: { type: 'string' },
  seed: { type: 'string' },
  regime: { type: 'string' },
  strategy: { type: 'string' },
  json: { type: 'boolean' },
  'no-save': { type: 'boolean' },
} as const;

export const RESEARCH_HELP = {
  config: 'config file (YAML); default: built-in defaults',
  set: 'override a setting, e.g. --set risk.dailyLossLimit=750 (repeatable)',
  data: 'CSV of bars (time,open,high,low,close,volume); default: simulated bars',
  symbol: 'bars from the store (store.path): MES = the continuous series, or a stored contract such as MESH6',
  from: 'first day of bars to use (UTC date 2024-01-02 or ISO time), any source',
  to: 'last day of bars to use, included (UTC date or ISO time), any source',
  adjust: 'with --symbol MES, at each roll: difference (default), ratio, or none',
  days: 'days of simulated bars when no --data (default 60)',
  seed: 'simulator seed (default: sim.seed from the config)',
  regime: 'simulated regime: bullish|bearish|sideways|volatile|switching (default: sim.regime)',
  strategy: 'strategy name: zscore|bollinger|rsi (default: trading.strategy)',
  json: 'print one JSON document instead of tables (no progress output)',
  'no-save': 'do not store the run in SQLite',
} as const;

export interface ResearchValues {
  config?: string;
  set?: string[];
  data?: string;
  symbol?: string;
  from?: string;
  to?: string;
  adjust?: string;
  days?: string;
  seed?: string;
  regime?: string;
  strategy?: string;
  json?: boolean;
  'no-save'?: boolean;
}

export interface ResearchInputs {
  readonly config: Config;
  readonly settings: EngineSettings;
  readonly series: BarSeries;
  readonly dataSource: string;
  readonly strategy: StrategyDefinition;
}

const REGIMES = ['bullish', 'bearish', 'sideways', 'volatile', 'switching'] as const;

/** Config (file + --set), bars (CSV or simulator) and the strategy, validated, with clear errors. */
export async function loadResearchInputs(values: ResearchValues): Promise<ResearchInputs> {
  const { config } = await loadConfig({ path: values.config, overrides: keyValues('set', values.set), env: process.env });
  const strategy = getStrategy(values.strategy ?? config.trading.strategy);
  const { series, dataSource } = inRange(await loadBars(values, config), values);
  if (series.length < 2) throw new UsageError(`${dataSource}: need at least 2 bars, got ${series.length}`);
  return { config, settings: engineSettings(config), series, dataSource, strategy };
}

async function loadBars(values: ResearchValues, config: Config): Promise<{ series: BarSeries; dataSource: string }> {
  if (values.symbol !== undefined) {
    if (values.data !== undefined) throw new UsageError('--symbol (bars from the store) and --data (a CSV file) cannot be combined: choose one');
    for (const flag of ['days', 'seed', 'regime'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} applies to simulated bars and cannot be combined with --symbol`);
    }
    return loadStoredBars(values.symbol, values, config);
  }
  if (values.adjust !== undefined) throw new UsageError('--adjust applies to --symbol MES (the stored continuous series)');
  if (values.data !== undefined) {
    for (const flag of ['days', 'seed', 'regime'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} applies to simulated bars and cannot be combined with --data`);
    }
    return { series: await readBarsCsv(values.data), dataSource: values.data };
  }
  const days = parseNumberFlag('days', values.days, { integer: true, min: 1, max: 3650 }) ?? 60;
  const seed = parseNumberFlag('seed', values.seed, { integer: true, min: 0 }) ?? config.sim.seed;
  const regime = values.regime ?? config.sim.regime;
  if (!(REGIMES as readonly string[]).includes(regime)) throw new UsageError(`--regime must be one of ${REGIMES.join(', ')}, got '${regime}'`);
  const series = simulateBars({ days, seed, regime: regime as (typeof REGIMES)[number], startPrice: config.sim.startPrice });
  return { series, dataSource: `simulated days=${days} seed=${seed} regime=${regime}` };
}

/** Strategy parameters: config trading.params, then --param flags on top. */
export function strategyParams(def: StrategyDefinition, config: Config, flags: string[] | undefined): StrategyParams {
  const raw: Record<string, unknown> = config.trading.strategy === def.name ? { ...config.trading.params } : {};
  for (const [k, v] of keyValues('param', flags)) {
    const n = Number(v);
    if (v === '' || !Number.isFinite(n)) throw new UsageError(`--param ${k}=${v}: expected a number`);
    raw[k] = n;
  }
  return resolveParams(def, raw);
}

/** `--grid name=v1,v2,…` flags, or the strategy's default grid. */
export function gridFlags(def: StrategyDefinition, flags: string[] | undefined): Record<string, number[]> {
  if (!flags || flags.length === 0) return Object.fromEntries(Object.entries(def.defaultGrid).map(([k, v]) => [k, [...v]]));
  const grid: Record<string, number[]> = {};
  for (const [k, list] of keyValues('grid', flags)) {
    if (!Object.hasOwn(def.defaults, k)) throw new UsageError(`--grid ${k}: unknown parameter for ${def.name} (known: ${Object.keys(def.defaults).join(', ')})`);
    const values = list.split(',').map((s) => s.trim());
    const nums = values.map(Number);
    const bad = values.findIndex((s, i) => s === '' || !Number.isFinite(nums[i]));
    if (bad >= 0) throw new UsageError(`--grid ${k}: '${values[bad]}' is not a number (expected e.g. --grid ${k}=10,20,30)`);
    if (Object.hasOwn(grid, k)) throw new UsageError(`--grid ${k} is given twice`);
    grid[k] = nums;
  }
  return grid;
}
