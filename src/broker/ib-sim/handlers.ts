import { MES } from '../../domain/instrument.ts';
import type { SimFeed } from '../sim/feed.ts';
import type { GatewayBook, Outgoing } from './book.ts';
import { history, parseEndTime } from './history.ts';
import { HISTORY_KEEP } from '../sim/feed.ts';
import { marketDataType, tickPrice, tickSize, TICK } from './market-messages.ts';
import * as om from './order-messages.ts';
import type { RangeHistory } from './history-range.ts';
import type { ClientRequest, ContractFields } from './requests.ts';
import * as out from './responses.ts';
import type { Session } from './session.ts';
import { wallParts, zoneMidnight } from './zone-time.ts';

/** A market data permission IB refuses a request with, and its text (as public reports quote them). */
export interface DataDenial {
  readonly code: 354 | 10089 | 10167 | 420;
  readonly message: string;
}

export const DATA_DENIALS: Record<DataDenial['code'], string> = {
  354: 'Requested market data is not subscribed.Delayed market data is not enabled.',
  10089: "Requested market data requires additional subscription for API. See link in 'Market Data Connections' dialog for more details.",
  10167: 'Requested market data is not subscribed. Displaying delayed market data.',
  420: 'Invalid Real-time Query:No market data permissions for CME FUT.',
};

export interface GatewayContext {
  readonly account: string;
  readonly book: GatewayBook;
  readonly feed: SimFeed;
  /** The gateway's time zone (IANA). */
  readonly timeZone: string;
  /** The market's clock: the end of the last simulated bar. */
  marketNow(): number;
  /** Sends messages to the sessions of their client ids, after `delayMs` when given. */
  deliver(msgs: readonly Outgoing[], delayMs?: number): void;
  readonly faults: { delayAcksMs: number; pacingLeft: number; dataDenied: DataDenial['code'] | null };
  /** History by date range (`endDateTime` set), with IB's pacing rules. */
  readonly rangeHistory?: RangeHistory;
}

const NO_SECDEF = 'No security definition has been found for the request';

/** Answers one request of a started session, as TWS would for an MES paper account. */
export function handleRequest(ctx: GatewayContext, s: Session, req: ClientRequest): void {
  const now = ctx.marketNow();
  switch (req.type) {
    case 'reqIds':
      return s.send(out.nextValidId(ctx.book.nextValidId(s.clientId)));
    case 'currentTime':
      return s.send(out.currentTime(Math.floor(now / 1000)));
    case 'managedAccounts':
      return s.send(out.managedAccounts(ctx.account));
    case 'contractDetails': {
      const found = matching(ctx, req.contract, now, true);
      if (typeof found === 'string') return s.sendError(req.reqId, 200, found);
      for (const c of found) s.send(out.contractData(req.reqId, c));
      return s.send(out.contractDataEnd(req.reqId));
    }
    case 'realTimeBars': {
      if (req.contract.secType === 'CONTFUT') return s.sendError(req.reqId, 321, 'Error validating request: real-time bars need a FUT contract; CONTFUT is for historical data only');
      const found = one(ctx, req.contract, now);
      if (typeof found === 'string') return s.sendError(req.reqId, found.startsWith('Parameters') ? 478 : 200, found);
      if (req.barSize !== 5) return s.sendError(req.reqId, 321, `Error validating request: real-time bars are 5 seconds, got ${req.barSize}`);
      // Delayed data (10167) is no substitute: real-time bars need the real-time subscription.
      if (ctx.faults.dataDenied !== null) return s.sendError(req.reqId, ctx.faults.dataDenied === 10167 ? 354 : ctx.faults.dataDenied, DATA_DENIALS[ctx.faults.dataDenied === 10167 ? 354 : ctx.faults.dataDenied]);
      s.bars.add(req.reqId);
      return;
    }
    case 'cancelRealTimeBars':
      s.bars.delete(req.reqId);
      return;
    case 'marketData': {
      const found = one(ctx, req.contract, now);
      if (typeof found === 'string') return s.sendError(req.reqId, 200, found);
      const denied = ctx.faults.dataDenied;
      if (denied !== null && denied !== 10167) return s.sendError(req.reqId, denied, DATA_DENIALS[denied]);
      if (denied === 10167) s.sendError(req.reqId, 10167, DATA_DENIALS[10167]);
      s.ticks.set(req.reqId, denied === 10167 ? 3 : 1);
      s.send(marketDataType(req.reqId, denied === 10167 ? 3 : 1));
      return sendQuote(s, req.reqId, ctx.feed.history(1)[0]?.close ?? 0);
    }
    case 'cancelMarketData':
      s.ticks.delete(req.reqId);
      return;
    case 'historicalData':
      // Before the simulated market began, history comes from the range archive (expired contracts, downloads).
      if (ctx.rangeHistory && ctx.faults.pacingLeft === 0 && beforeMarket(ctx, req.endDateTime, now)) return ctx.rangeHistory.handle(s, req);
      return history(ctx, s, req, now);
    case 'placeOrder': {
      const found = one(ctx, req.contract, now);
      if (typeof found === 'string') return s.sendError(req.orderId, found.startsWith('Parameters') ? 478 : 200, found);
      return ctx.deliver(ctx.book.place(s.clientId, req.orderId, found, req.order), ctx.faults.delayAcksMs);
    }
    case 'cancelOrder':
      return ctx.deliver(ctx.book.cancel(s.clientId, req.orderId));
    case 'globalCancel':
      return ctx.deliver(ctx.book.globalCancel());
    case 'openOrders': {
      for (const o of ctx.book.workingOrders(req.all ? null : s.clientId)) {
        s.send(om.openOrder(o));
        s.send(om.orderStatus(o));
      }
      return s.send(om.openOrderEnd());
    }
    case 'executions': {
      const since = parseFilterTime(req.time);
      if (since === null) return s.sendError(req.reqId, 321, `Error validating request: execution filter time must be 'yyyymmdd-hh:mm:ss' (UTC), got '${req.time}'`);
      // TWS answers with the current day's executions only (since midnight in its own zone), whatever the filter says.
      const today = zoneMidnight(now, ctx.timeZone);
      // Like TWS for a non-master client: the executions of this client id's own orders.
      for (const e of ctx.book.executions) {
        if (e.clientId !== s.clientId || e.timeMs < since || e.timeMs < today || (req.acctCode !== '' && req.acctCode !== e.account) || (req.symbol !== '' && req.symbol !== e.contract.symbol)) continue;
        s.send(om.executionData(req.reqId, e));
        s.send(om.commissionReport(e));
      }
      return s.send(om.executionDataEnd(req.reqId));
    }
    case 'positions': {
      for (const p of ctx.book.exchange.positions()) s.send(out.position(ctx.account, ctx.book.positionContract(now), p.qty, p.avgPrice * MES.multiplier));
      return s.send(out.positionEnd());
    }
    case 'accountSummary': {
      const { realisedCents, unrealisedCents } = ctx.book.exchange.accountPnl();
      const tags = req.tags.split(',').map((t) => t.trim());
      const ledger = tags.some((t) => t.startsWith('$LEDGER'));
      const values: Record<string, number> = { RealizedPnL: realisedCents / 100, UnrealizedPnL: unrealisedCents / 100 };
      for (const [tag, value] of Object.entries(values)) if (ledger || tags.includes(tag)) s.send(out.accountSummary(req.reqId, ctx.account, tag, value.toFixed(2), 'USD'));
      return s.send(out.accountSummaryEnd(req.reqId));
    }
    case 'accountUpdates': {
      if (!req.subscribe) return;
      const { realisedCents, unrealisedCents } = ctx.book.exchange.accountPnl();
      for (const [key, value] of [['AccountType', 'INDIVIDUAL'], ['RealizedPnL', (realisedCents / 100).toFixed(2)], ['UnrealizedPnL', (unrealisedCents / 100).toFixed(2)]] as const) {
        s.send(out.accountValue(key, value, key === 'AccountType' ? '' : 'USD', ctx.account));
      }
      const { hms } = wallParts(now, ctx.timeZone);
      s.send(out.accountUpdateTime(hms.slice(0, 5)));
      return s.send(out.accountDownloadEnd(ctx.account));
    }
    case 'accountUpdatesMulti':
      return s.send(out.accountUpdateMultiEnd(req.reqId));
    case 'completedOrders':
      return s.send(out.completedOrdersEnd());
    case 'cancelHistoricalData':
    case 'cancelAccountSummary':
    case 'marketDataType':
    case 'ignored':
    case 'startApi':
      return;
  }
}

/** Bid, ask and last around `price`, with sizes: what a reqMktData subscriber sees on each trade. */
export function sendQuote(s: Session, reqId: number, price: number): void {
  if (!(price > 0)) return;
  s.send(tickPrice(reqId, TICK.BID, price - MES.tickSize, 12));
  s.send(tickPrice(reqId, TICK.ASK, price, 9));
  s.send(tickPrice(reqId, TICK.LAST, price, 1));
  s.send(tickSize(reqId, TICK.VOLUME, 100));
}

const EXPIRY = /^(\d{6}|\d{8})?$/;

/**
 * The listed contracts a request's contract names; CONTFUT stands for the front month, as in TWS.
 * A message (string) when none: TWS answers 200, or 478 when a conId's other fields conflict
 * with it, e.g. an expiry sent back with its time and zone ("20260320 08:30:00 US/Central").
 */
export function matching(ctx: GatewayContext, c: ContractFields, now: number, allowContinuous: boolean): out.SimContract[] | string {
  if (c.symbol !== MES.symbol && c.symbol !== '' && c.conId === 0) return NO_SECDEF;
  if (c.symbol === '' && c.localSymbol === '' && c.conId === 0) return NO_SECDEF;
  const listed = ctx.book.contracts(now);
  if (c.secType === 'CONTFUT') return allowContinuous ? listed.slice(0, 1) : NO_SECDEF;
  if (c.secType !== 'FUT' && c.secType !== '') return NO_SECDEF;
  if (!EXPIRY.test(c.lastTradeDate)) {
    const byId = listed.find((x) => x.conId === c.conId);
    if (byId !== undefined) return `Parameters in request conflicts with contract parameters received by contract id: requested expiry ${c.lastTradeDate}, in contract ${byId.lastTradeDate}`;
    return NO_SECDEF;
  }
  const found = listed.filter(
    (x) =>
      (c.conId === 0 || c.conId === x.conId) &&
      (c.lastTradeDate === '' || x.lastTradeDate.startsWith(c.lastTradeDate)) &&
      (c.localSymbol === '' || c.localSymbol === x.localSymbol) &&
      (c.symbol === '' || c.symbol === x.symbol) &&
      (c.exchange === '' || c.exchange === x.exchange),
  );
  return found.length === 0 ? NO_SECDEF : found;
}

/** Exactly one listed contract (orders and subscriptions), or the error text. */
function one(ctx: GatewayContext, c: ContractFields, now: number): out.SimContract | string {
  const found = matching(ctx, c, now, false);
  if (typeof found === 'string') return found;
  if (found.length > 1) return 'The contract description specified for MES is ambiguous.';
  return found[0]!;
}

/** "" (everything) or "yyyymmdd-hh:mm:ss" in UTC, as the IB API documents the execution filter. */
export function parseFilterTime(text: string): number | null {
  if (text.trim() === '') return Number.NEGATIVE_INFINITY;
  const m = /^(\d{4})(\d{2})(\d{2})[- ](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/** A history request that ends at or before the simulated market's first bar. */
function beforeMarket(ctx: GatewayContext, endDateTime: string, now: number): boolean {
  const end = parseEndTime(endDateTime, now);
  const first = ctx.feed.history(HISTORY_KEEP)[0]?.time;
  return end !== null && endDateTime.trim() !== '' && (first === undefined || end <= first);
}
