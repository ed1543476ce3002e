import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';

/**
 * What the GET routes answer, as valibot schemas: turned into the OpenAPI document's response
 * schemas (documentation only: Elysia does not re-validate answers), and checked against real
 * answers by the tests, so the document cannot drift from what the routes send.
 */
const n = v.number();
const nn = v.nullable(v.number());
const s = v.string();
const ns = v.nullable(v.string());

const d = <T extends v.GenericSchema>(schema: T, description: string) => v.pipe(schema, v.description(description));

export const Bar = v.object({ time: d(n, 'bar open, ms since the epoch (UTC)'), open: n, high: n, low: n, close: n, volume: n });

export const Position = v.object({
  side: v.picklist(['long', 'short']),
  qty: d(n, 'contracts'),
  entryPrice: n,
  entryTime: d(n, 'ms since the epoch (UTC)'),
  stop: n,
  target: n,
  markPrice: d(nn, 'the last bar’s close'),
  unrealised: d(nn, 'dollars'),
});

export const Pnl = v.object({
  session: d(nn, 'start of the current CME session, ms (UTC)'),
  today: v.object({ realised: n, unrealised: n, total: n }),
  week: d(n, 'realised this week, dollars'),
  sinceStart: d(n, 'realised since the service’s first trade, dollars'),
  equity: n,
  dailyLossUsed: n,
  dailyLossLimit: n,
  drawdown: n,
  maxDrawdown: n,
  dailyLossUsedPct: n,
});

export const TradingState = v.variant('kind', [
  v.object({ kind: v.literal('ACTIVE') }),
  v.object({ kind: v.literal('PAUSED') }),
  v.object({ kind: v.literal('COOLDOWN'), until: d(n, 'ms (UTC)') }),
  v.object({ kind: v.literal('HALTED'), reason: d(s, 'daily_loss, drawdown, supervisor, manual, … as the breaker reports it') }),
]);

export const Contract = v.object({
  localSymbol: d(s, 'e.g. MESH6'),
  conId: d(n, 'IB contract id'),
  exchange: s,
  expiry: d(ns, 'the last trading day, YYYY-MM-DD'),
  daysToExpiry: d(nn, 'calendar days from today (New York, market clock) to the last trading day'),
  rollDays: d(n, 'ib.rollDaysBeforeExpiry'),
  inRollWindow: d(v.boolean(), 'within rollDays of the expiry: the next entry trades the next month'),
});

export const Status = v.object({
  mode: v.picklist(['sim', 'paper', 'live']),
  connection: d(s, 'the connection machine’s state, e.g. ready.watching, backoff, lost'),
  contract: d(v.nullable(Contract), 'the contract in use; null in sim (one continuous simulated series) and until paper/live has resolved its front month'),
  trading: TradingState,
  position: v.nullable(Position),
  pnl: Pnl,
  zscore: d(s, 'native or ts'),
  uptimeSec: n,
  lastBar: v.nullable(Bar),
});

export const Trade = v.looseObject({
  id: n,
  side: v.picklist(['long', 'short']),
  qty: n,
  entryTime: n,
  entryPrice: n,
  exitTime: n,
  exitPrice: n,
  exitReason: s,
  commissionCents: n,
  pnlCents: d(n, 'net of commission, integer cents'),
});

export const TradesPage = v.object({ total: n, limit: n, offset: n, trades: v.array(Trade) });

export const Breakers = v.looseObject({
  state: d(s, 'closed, cooldown or halted'),
  reason: ns,
  until: nn,
  events: v.array(v.looseObject({ time: n, kind: s })),
});

export const Actor = v.object({ id: s, state: s, failed: v.boolean(), restarts: n, lastError: ns, context: v.unknown() });

/** OpenAPI `responses` for a GET route answering `schema`. */
export function jsonResponse(schema: v.GenericSchema, description: string) {
  // JSON Schema and OpenAPI 3.1's schema object are the same thing; the two libraries type them apart.
  const json = toJsonSchema(schema, { errorMode: 'ignore' }) as Record<string, unknown> as { type: 'object' };
  return { 200: { description, content: { 'application/json': { schema: json } } } };
}
