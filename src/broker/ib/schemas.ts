import * as v from 'valibot';

/**
 * What @stoqey/ib hands the adapter, checked before it is trusted. The library decodes TWS
 * fields leniently (an unparsable number becomes NaN, a missing one 0 or undefined), so a
 * garbled message would otherwise walk into the journal as a fill at NaN. Each schema takes the
 * event's argument list; objects are loose because the library adds many fields we do not read.
 */

const finite = v.pipe(v.number(), v.finite());
const int = v.pipe(v.number(), v.integer());
const positive = v.pipe(v.number(), v.finite(), v.gtValue(0));
const text = v.string();
const optText = v.optional(v.string());

export const ErrorArgs = v.tuple([v.unknown(), int, v.optional(int)]);
export const InfoArgs = v.tuple([text, int]);

export const NextValidIdArgs = v.tuple([v.pipe(int, v.minValue(0))]);
export const ManagedAccountsArgs = v.tuple([text]);
export const CurrentTimeArgs = v.tuple([v.pipe(int, v.minValue(0))]);

const ContractShape = v.looseObject({
  conId: v.optional(int),
  symbol: optText,
  secType: optText,
  lastTradeDateOrContractMonth: optText,
  /** From server version 182 (contract details): the bare YYYYMMDD. */
  lastTradeDate: optText,
  multiplier: v.optional(v.union([finite, text])),
  exchange: optText,
  currency: optText,
  localSymbol: optText,
});

export const ContractDetailsArgs = v.tuple([int, v.looseObject({ contract: ContractShape })]);
export const EndArgs = v.tuple([int]);

/** (reqId, time s, open, high, low, close, volume, wap, count) */
export const RealtimeBarArgs = v.tuple([int, v.pipe(int, v.minValue(0)), positive, positive, positive, positive, v.optional(v.pipe(v.number(), v.finite(), v.minValue(0)))]);

/** (reqId, date, open, high, low, close, volume, …); the end marker has date "finished…" and −1 prices. */
export const HistoricalDataArgs = v.tuple([int, text, finite, finite, finite, finite, v.optional(v.number())]);

/** (orderId, status, filled, remaining, avgFillPrice, permId, parentId, lastFillPrice, clientId, whyHeld) */
export const OrderStatusArgs = v.tuple([int, text, v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))), v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))), v.optional(finite)]);

export const OpenOrderArgs = v.tuple([
  int,
  ContractShape,
  v.looseObject({
    action: v.picklist(['BUY', 'SELL']),
    totalQuantity: positive,
    orderType: text,
    lmtPrice: v.optional(finite),
    auxPrice: v.optional(finite),
    ocaGroup: optText,
    account: optText,
    orderRef: optText,
    parentId: v.optional(int),
    filledQuantity: v.optional(finite),
  }),
  v.looseObject({ status: text }),
]);

export const ExecDetailsArgs = v.tuple([
  int,
  ContractShape,
  v.looseObject({
    orderId: int,
    execId: v.pipe(text, v.minLength(1)),
    time: text,
    acctNumber: optText,
    side: v.picklist(['BOT', 'SLD']),
    shares: positive,
    price: positive,
    permId: v.optional(int),
    orderRef: optText,
  }),
]);

/** The commission is absent (IB's "unset") when TWS has not priced the execution yet. */
export const CommissionReportArgs = v.tuple([v.looseObject({ execId: v.pipe(text, v.minLength(1)), commission: v.optional(finite), currency: optText })]);

/** (account, contract, position, avgCost) */
export const PositionArgs = v.tuple([text, ContractShape, finite, v.optional(finite)]);

/** (reqId, account, tag, value, currency) */
export const AccountSummaryArgs = v.tuple([int, text, text, text, text]);

export type Parsed<S extends v.GenericSchema> = v.InferOutput<S>;

/**
 * Validates one event's arguments. On failure the message names the event, the field (by its
 * position or path) and the value, so the operator can tell a garbled message from a bug.
 */
export function parseArgs<S extends v.GenericSchema>(schema: S, args: readonly unknown[], what: string): { ok: true; value: v.InferOutput<S> } | { ok: false; message: string } {
  const result = v.safeParse(schema, args);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = (issue.path ?? []).map((p) => String(p.key)).join('.') || '(arguments)';
  let shown: string;
  try {
    shown = JSON.stringify(issue.input) ?? String(issue.input);
  } catch {
    shown = String(issue.input);
  }
  return { ok: false, message: `IB sent a malformed ${what}: argument ${path} ${issue.message.replace(/^Invalid \w+: /, '')} (got ${shown.slice(0, 80)}); the message was ignored` };
}
