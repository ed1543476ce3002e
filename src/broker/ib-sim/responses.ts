import type { Field } from './codec.ts';

/**
 * The gateway's messages, laid out field by field for SERVER_VERSION (100) exactly as
 * @stoqey/ib's decoder (dist/core/io/decoder.js) reads them at that version; message versions
 * are the ones TWS sent at that server version. The decoder checks that a message has neither
 * too few nor too many fields, so tests/broker/ib/responses.test.ts runs each of these through
 * the library's own decoder.
 */

export const IN = {
  ORDER_STATUS: 3, ERR_MSG: 4, OPEN_ORDER: 5, NEXT_VALID_ID: 9, CONTRACT_DATA: 10, EXECUTION_DATA: 11, MANAGED_ACCTS: 15,
  HISTORICAL_DATA: 17, CURRENT_TIME: 49, REAL_TIME_BARS: 50, CONTRACT_DATA_END: 52, OPEN_ORDER_END: 53, EXECUTION_DATA_END: 55,
  COMMISSION_REPORT: 59, POSITION: 61, POSITION_END: 62, ACCOUNT_SUMMARY: 63, ACCOUNT_SUMMARY_END: 64,
} as const;

/** IB's "no value" for a double (Java Double.MAX_VALUE); the decoder turns it into undefined. */
export const UNSET_DOUBLE = '1.7976931348623157E308';

/** A futures contract as the gateway lists it. */
export interface SimContract {
  readonly conId: number;
  readonly symbol: string;
  readonly secType: 'FUT';
  /** YYYYMMDD. */
  readonly lastTradeDate: string;
  readonly localSymbol: string;
  readonly multiplier: number;
  readonly exchange: string;
  readonly currency: string;
  readonly minTick: number;
}

/** conId, symbol, secType, expiry, strike, right — the head every contract block starts with. */
const head = (c: SimContract): Field[] => [c.conId, c.symbol, c.secType, c.lastTradeDate, 0, ''];

export const nextValidId = (id: number): Field[] => [IN.NEXT_VALID_ID, 1, id];
export const managedAccounts = (accounts: string): Field[] => [IN.MANAGED_ACCTS, 1, accounts];
export const currentTime = (epochSeconds: number): Field[] => [IN.CURRENT_TIME, 1, epochSeconds];
export const errorMessage = (id: number, code: number, message: string): Field[] => [IN.ERR_MSG, 2, id, code, message];

export function contractData(reqId: number, c: SimContract): Field[] {
  return [
    IN.CONTRACT_DATA, 8, reqId, c.symbol, c.secType, c.lastTradeDate, 0, '', c.exchange, c.currency, c.localSymbol,
    c.symbol, c.symbol, c.conId, c.minTick, c.multiplier, 'LMT,MKT,STP', c.exchange, 1, 0,
    'Micro E-Mini S&P 500 Stock Price Index', '', c.lastTradeDate.slice(0, 6), '', '', '', 'US/Central', '', '', '', '', 0,
  ];
}
export const contractDataEnd = (reqId: number): Field[] => [IN.CONTRACT_DATA_END, 1, reqId];

export interface WireBar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** One 5-second bar; `time` is epoch seconds of its start. */
export function realTimeBar(reqId: number, b: WireBar): Field[] {
  const wap = (b.open + b.high + b.low + b.close) / 4;
  return [IN.REAL_TIME_BARS, 3, reqId, b.time, b.open, b.high, b.low, b.close, b.volume, wap, Math.max(1, Math.round(b.volume / 3))];
}

/** History with formatDate 2: bar dates are epoch seconds. */
export function historicalData(reqId: number, start: string, end: string, bars: readonly WireBar[]): Field[] {
  const out: Field[] = [IN.HISTORICAL_DATA, 3, reqId, start, end, bars.length];
  for (const b of bars) out.push(String(b.time), b.open, b.high, b.low, b.close, b.volume, (b.high + b.low + b.close) / 3, 0, Math.max(1, Math.round(b.volume / 3)));
  return out;
}

export interface WireOrder {
  readonly orderId: number;
  readonly clientId: number;
  readonly permId: number;
  readonly parentId: number;
  readonly contract: SimContract;
  readonly action: 'BUY' | 'SELL';
  readonly qty: number;
  readonly orderType: 'MKT' | 'LMT' | 'STP';
  readonly lmtPrice: number | null;
  readonly auxPrice: number | null;
  readonly tif: string;
  readonly ocaGroup: string;
  readonly account: string;
  readonly orderRef: string;
  /** The TWS status text: PreSubmitted, Submitted, Filled, Cancelled, Inactive. */
  readonly status: string;
  readonly filled: number;
  readonly avgFillPrice: number;
  readonly lastFillPrice: number;
}

export function orderStatus(o: WireOrder): Field[] {
  return [IN.ORDER_STATUS, 6, o.orderId, o.status, o.filled, o.qty - o.filled, o.avgFillPrice, o.permId, o.parentId, o.lastFillPrice, o.clientId, ''];
}

/** openOrder, message version 34 (the last before ORDER_CONTAINER dropped the field). */
export function openOrder(o: WireOrder): Field[] {
  const c = o.contract;
  return [
    IN.OPEN_ORDER, 34, o.orderId,
    ...head(c), c.multiplier, c.exchange, c.currency, c.localSymbol, c.symbol,
    o.action, o.qty, o.orderType, o.lmtPrice ?? '', o.auxPrice ?? '', o.tif, o.ocaGroup, o.account, '', 0, o.orderRef,
    o.clientId, o.permId, 1, 0, 0, '', '', // clientId permId outsideRth hidden discretionaryAmt goodAfterTime sharesAllocation
    '', '', '', '', // faGroup faMethod faPercentage faProfile
    '', '', '', '', // goodTillDate rule80A percentOffset settlingFirm
    0, '', -1, // shortSaleSlot designatedLocation exemptCode
    0, '', '', '', '', '', '', // auctionStrategy startingPrice stockRefPrice delta stockRangeLower stockRangeUpper displaySize
    0, 0, 0, '', o.ocaGroup === '' ? 0 : 2, 0, 0, '', // blockOrder sweepToFill allOrNone minQty ocaType eTradeOnly firmQuoteOnly nbboPriceCap
    o.parentId, 0, // parentId triggerMethod
    '', 0, '', '', 0, 0, // volatility volatilityType deltaNeutralOrderType deltaNeutralAuxPrice continuousUpdate referencePriceType
    '', '', '', '', // trailStopPrice trailingPercent basisPoints basisPointsType
    '', 0, 0, 0, // comboLegsDescription comboLegs orderComboLegs smartComboRoutingParams
    '', '', '', // scaleInitLevelSize scaleSubsLevelSize scalePriceIncrement
    '', 0, '', '', 0, 0, '', 0, // hedgeType optOutSmartRouting clearingAccount clearingIntent notHeld deltaNeutral algoStrategy solicited
    0, o.status, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, '', '', // whatIf status margins commission…
    0, 0, // randomizeSize randomizePrice
  ];
}
export const openOrderEnd = (): Field[] => [IN.OPEN_ORDER_END, 1];

export interface WireExecution {
  readonly orderId: number;
  readonly clientId: number;
  readonly permId: number;
  readonly execId: string;
  /** "YYYYMMDD hh:mm:ss US/Eastern", as TWS writes it. */
  readonly time: string;
  /** The same instant in epoch ms, for the gateway's own filtering (not sent). */
  readonly timeMs: number;
  readonly account: string;
  readonly side: 'BOT' | 'SLD';
  readonly shares: number;
  readonly price: number;
  readonly cumQty: number;
  readonly avgPrice: number;
  readonly orderRef: string;
  readonly contract: SimContract;
  /** Dollars. */
  readonly commission: number;
}

export function executionData(reqId: number, e: WireExecution): Field[] {
  const c = e.contract;
  return [
    IN.EXECUTION_DATA, 10, reqId, e.orderId, ...head(c), c.multiplier, c.exchange, c.currency, c.localSymbol, c.symbol,
    e.execId, e.time, e.account, c.exchange, e.side, e.shares, e.price, e.permId, e.clientId, 0, e.cumQty, e.avgPrice, e.orderRef, '', '',
  ];
}
export const executionDataEnd = (reqId: number): Field[] => [IN.EXECUTION_DATA_END, 1, reqId];

export function commissionReport(e: WireExecution): Field[] {
  return [IN.COMMISSION_REPORT, 1, e.execId, e.commission, 'USD', UNSET_DOUBLE, UNSET_DOUBLE, 0];
}

/** avgCost is IB's: price × multiplier. */
export function position(account: string, c: SimContract, qty: number, avgCost: number): Field[] {
  return [IN.POSITION, 3, account, ...head(c), c.multiplier, c.exchange, c.currency, c.localSymbol, c.symbol, qty, avgCost];
}
export const positionEnd = (): Field[] => [IN.POSITION_END, 1];

export const accountSummary = (reqId: number, account: string, tag: string, value: string, currency: string): Field[] => [IN.ACCOUNT_SUMMARY, 1, reqId, account, tag, value, currency];
export const accountSummaryEnd = (reqId: number): Field[] => [IN.ACCOUNT_SUMMARY_END, 1, reqId];
