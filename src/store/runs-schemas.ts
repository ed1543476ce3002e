import * as v from 'valibot';
import type { Metrics, Params } from '../domain/research.ts';
import { readJson } from './json-columns.ts';
import { StoredRunCorruptError } from './runs-types.ts';

/** What the JSON columns of research runs must hold to be read back. */

const finite = v.pipe(v.number(), v.finite());
const finiteOrNull = v.nullable(finite);

export const MetricsSchema = v.object({
  trades: v.pipe(v.number(), v.integer()),
  winRate: finiteOrNull,
  netPnl: finite,
  grossProfit: finite,
  grossLoss: finite,
  profitFactor: finiteOrNull,
  expectancy: finiteOrNull,
  maxDrawdown: finite,
  maxDrawdownPct: finite,
  sharpe: finiteOrNull,
  sortino: finiteOrNull,
  avgHoldMinutes: finiteOrNull,
}) satisfies v.GenericSchema<unknown, Metrics>;
export const ParamsSchema = v.record(v.string(), finite) satisfies v.GenericSchema<unknown, Params>;
export const EquitySchema = v.array(v.object({ time: finite, equity: finite }));
export const SettingsSchema = v.record(v.string(), v.unknown());
export const OptimizeSpecSchema = v.object({ grid: v.unknown(), minTrades: finite, bestParams: v.nullable(ParamsSchema) });
export const AnyJson = v.unknown();

export function readRunJson<S extends v.GenericSchema>(schema: S, text: string, runId: number, column: string): v.InferOutput<S> {
  return readJson(schema, text, (detail) => new StoredRunCorruptError(runId, column, detail));
}

export function readNullableRunJson<S extends v.GenericSchema>(
  schema: S,
  text: string | null,
  runId: number,
  column: string,
): v.InferOutput<S> | null {
  return text === null ? null : readRunJson(schema, text, runId, column);
}
