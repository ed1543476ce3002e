import type { Field } from './codec.ts';
import { V } from './versions.ts';

/**
 * The gateway's messages. Each builder returns a `Message`: the field list for a negotiated
 * server version, laid out as IB's encoder lays it out at that version (a message version field
 * where TWS still sends one, each field from the version that introduced it). The layouts follow
 * IB's decoders (EDecoder in IB's clients; @stoqey/ib's dist/core/io/decoder.js; ib_async's
 * decoder.py); tests/broker/ib-sim/responses.test.ts runs every message at every tested version
 * through @stoqey/ib's decoder, which reports too few or too many fields.
 * Orders and executions are in order-messages.ts, market data in market-messages.ts.
 */

export type Message = (version: number) => Field[];

export const IN = {
  ACCT_VALUE: 6, ACCT_UPDATE_TIME: 8, ACCT_DOWNLOAD_END: 54, ACCOUNT_UPDATE_MULTI_END: 74, COMPLETED_ORDERS_END: 102,
  TICK_PRICE: 1, TICK_SIZE: 2, ORDER_STATUS: 3, ERR_MSG: 4, OPEN_ORDER: 5, NEXT_VALID_ID: 9, CONTRACT_DATA: 10, EXECUTION_DATA: 11,
  MANAGED_ACCTS: 15, HISTORICAL_DATA: 17, CURRENT_TIME: 49, REAL_TIME_BARS: 50, CONTRACT_DATA_END: 52, OPEN_ORDER_END: 53,
  EXECUTION_DATA_END: 55, MARKET_DATA_TYPE: 58, COMMISSION_REPORT: 59, POSITION: 61, POSITION_END: 62, ACCOUNT_SUMMARY: 63,
  ACCOUNT_SUMMARY_END: 64,
} as const;

/** IB's "no value" for a double (Java Double.MAX_VALUE); decoders turn it into unset. */
export const UNSET_DOUBLE = '1.7976931348623157E308';

/** A futures contract as the gateway lists it. */
export interface SimContract {
  readonly conId: number;
  readonly symbol: string;
  readonly secType: 'FUT';
  /** YYYYMMDD. */
  readonly lastTradeDate: string;
  /** The last trading time and zone as contract details give them, e.g. "08:30:00 US/Central". */
  readonly lastTradeTime: string;
  readonly localSymbol: string;
  readonly multiplier: number;
  readonly exchange: string;
  readonly currency: string;
  readonly minTick: number;
}

/** conId … tradingClass: the contract block of executions, positions and open orders (expiry as YYYYMMDD). */
export const contractBlock = (c: SimContract): Field[] => [c.conId, c.symbol, c.secType, c.lastTradeDate, 0, '', c.multiplier, c.exchange, c.currency, c.localSymbol, c.symbol];

const fixed = (fields: Field[]): Message => () => fields;

export const nextValidId = (id: number): Message => fixed([IN.NEXT_VALID_ID, 1, id]);
export const managedAccounts = (accounts: string): Message => fixed([IN.MANAGED_ACCTS, 1, accounts]);
export const currentTime = (epochSeconds: number): Message => fixed([IN.CURRENT_TIME, 1, epochSeconds]);

/** From 166 an error carries an advanced-reject JSON (empty unless an order was rejected with one). */
export const errorMessage = (id: number, code: number, message: string): Message => (v) => [IN.ERR_MSG, 2, id, code, message, ...(v >= V.ADVANCED_ORDER_REJECT ? [''] : [])];

/**
 * Contract details. The expiry field carries date, time and zone ("20260320 08:30:00 US/Central")
 * as TWS sends it for futures (IB's EDecoder splits it on whitespace); from 182 the bare last
 * trade date follows in its own field. The message version disappears at 164 (SIZE_RULES).
 */
export function contractData(reqId: number, c: SimContract): Message {
  return (v) => {
    const f: Field[] = [IN.CONTRACT_DATA];
    if (v < V.SIZE_RULES) f.push(8);
    f.push(reqId, c.symbol, c.secType, `${c.lastTradeDate} ${c.lastTradeTime}`);
    if (v >= V.LAST_TRADE_DATE) f.push(c.lastTradeDate);
    f.push(0, '', c.exchange, c.currency, c.localSymbol, c.symbol, c.symbol, c.conId, c.minTick);
    if (v >= 110 && v < V.SIZE_RULES) f.push(1); // mdSizeMultiplier
    f.push(c.multiplier, 'ACTIVETIM,ADJUST,ALERT,ALLOC,DAY,GTC,LMT,MKT,OCA,STP,STPLMT', c.exchange, 1, 0, 'Micro E-Mini S&P 500 Stock Price Index', '', c.lastTradeDate.slice(0, 6));
    f.push('', '', '', 'US/Central', '', '', '', '', 0); // industry category subcategory timeZoneId tradingHours liquidHours evRule evMultiplier secIdListCount
    if (v >= 121) f.push(1); // aggGroup
    if (v >= 122) f.push('ES', 'IND'); // underSymbol underSecType
    if (v >= 126) f.push('67'); // marketRuleIds
    if (v >= 134) f.push(c.lastTradeDate); // realExpirationDate
    if (v >= 152) f.push(''); // stockType
    if (v === V.FRACTIONAL_SIZE_SUPPORT) f.push(1); // sizeMinTick (163 only)
    if (v >= V.SIZE_RULES) f.push(1, 1, 1); // minSize sizeIncrement suggestedSizeIncrement
    if (v >= V.INELIGIBILITY_REASONS) f.push(0);
    return f;
  };
}
export const contractDataEnd = (reqId: number): Message => fixed([IN.CONTRACT_DATA_END, 1, reqId]);

/** avgCost is IB's: price × multiplier. */
export const position = (account: string, c: SimContract, qty: number, avgCost: number): Message => fixed([IN.POSITION, 3, account, ...contractBlock(c), qty, avgCost]);
export const positionEnd = (): Message => fixed([IN.POSITION_END, 1]);

export const accountSummary = (reqId: number, account: string, tag: string, value: string, currency: string): Message => fixed([IN.ACCOUNT_SUMMARY, 1, reqId, account, tag, value, currency]);
export const accountSummaryEnd = (reqId: number): Message => fixed([IN.ACCOUNT_SUMMARY_END, 1, reqId]);

/** reqAccountUpdates: the account's values, the update time, the end of the download (portfolio lines are not sent). */
export const accountValue = (key: string, value: string, currency: string, account: string): Message => fixed([IN.ACCT_VALUE, 2, key, value, currency, account]);
export const accountUpdateTime = (hhmm: string): Message => fixed([IN.ACCT_UPDATE_TIME, 1, hhmm]);
export const accountDownloadEnd = (account: string): Message => fixed([IN.ACCT_DOWNLOAD_END, 1, account]);
export const accountUpdateMultiEnd = (reqId: number): Message => fixed([IN.ACCOUNT_UPDATE_MULTI_END, 1, reqId]);
/** Completed orders are not kept by this gateway: the answer is the end marker alone. */
export const completedOrdersEnd = (): Message => fixed([IN.COMPLETED_ORDERS_END]);
