import type { Bar } from '../../domain/bar.ts';
import { MES } from '../../domain/instrument.ts';
import { DAY } from '../../domain/session.ts';
import { BarAggregator } from '../../market/aggregate.ts';
import type { SimFeed } from '../sim/feed.ts';
import { HISTORY_KEEP } from '../sim/feed.ts';
import type { GatewayBook, Outgoing } from './book.ts';
import type { RangeHistory } from './history-range.ts';
import type { ClientRequest, ContractFields } from './requests.ts';
import * as out from './responses.ts';
import type { Session } from './session.ts';
import { execTime } from './wire-order.ts';

export interface GatewayContext {
  readonly account: string;
  readonly book: GatewayBook;
  readonly feed: SimFeed;
  /** The market's clock: the end of the last simulated bar. */
  marketNow(): number;
  /** Sends messages to the sessions of their client ids, after `delayMs` when given. */
  deliver(msgs: readonly Outgoing[], delayMs?: number): void;
  readonly faults: { delayAcksMs: number; pacingLeft: number };
  /** History by date range (`endDateTime` set), with IB's pacing rules. */
  readonly rangeHistory?: RangeHistory;
}

const PACING = 'Historical Market Data Service error message:Historical data request pacing violation';
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
      if (found.length === 0) return s.sendError(req.reqId, 200, NO_SECDEF);
      for (const c of found) s.send(out.contractData(req.reqId, c));
      return s.send(out.contractDataEnd(req.reqId));
    }
    case 'realTimeBars': {
      if (req.contract.secType === 'CONTFUT') return s.sendError(req.reqId, 321, 'Error validating request: real-time bars need a FUT contract; CONTFUT is for historical data only');
      if (matching(ctx, req.contract, now, false).length === 0) return s.sendError(req.reqId, 200, NO_SECDEF);
      if (req.barSize !== 5) return s.sendError(req.reqId, 321, `Error validating request: real-time bars are 5 seconds, got ${req.barSize}`);
      s.bars.add(req.reqId);
      return;
    }
    case 'cancelRealTimeBars':
      s.bars.delete(req.reqId);
      return;
    case 'historicalData':
      if (req.endDateTime !== '' && ctx.rangeHistory && ctx.faults.pacingLeft === 0) return ctx.rangeHistory.handle(s, req);
      return history(ctx, s, req, now);
    case 'placeOrder':
      return ctx.deliver(ctx.book.place(s.clientId, req.orderId, req.contract, req.order, now), ctx.faults.delayAcksMs);
    case 'cancelOrder':
      return ctx.deliver(ctx.book.cancel(s.clientId, req.orderId));
    case 'globalCancel':
      return ctx.deliver(ctx.book.globalCancel());
    case 'openOrders': {
      for (const o of ctx.book.workingOrders(req.all ? null : s.clientId)) {
        s.send(out.openOrder(o));
        s.send(out.orderStatus(o));
      }
      return s.send(out.openOrderEnd());
    }
    case 'executions': {
      const since = parseFilterTime(req.time);
      if (since === null) return s.sendError(req.reqId, 321, `Error validating request: execution filter time must be 'yyyymmdd-hh:mm:ss' (UTC), got '${req.time}'`);
      // Like TWS for a non-master client: the executions of this client id's own orders.
      for (const e of ctx.book.executions) {
        if (e.clientId !== s.clientId || e.timeMs < since || (req.acctCode !== '' && req.acctCode !== e.account) || (req.symbol !== '' && req.symbol !== e.contract.symbol)) continue;
        s.send(out.executionData(req.reqId, e));
        s.send(out.commissionReport(e));
      }
      return s.send(out.executionDataEnd(req.reqId));
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
    case 'cancelHistoricalData':
    case 'cancelAccountSummary':
    case 'ignored':
    case 'startApi':
      return;
  }
}

/** The listed contracts a request's contract names; CONTFUT stands for the front month, as in TWS. */
function matching(ctx: GatewayContext, c: ContractFields, now: number, allowContinuous: boolean): out.SimContract[] {
  if (c.symbol !== MES.symbol && c.localSymbol === '' && c.conId === 0) return [];
  const listed = ctx.book.contracts(now);
  if (c.secType === 'CONTFUT') return allowContinuous ? listed.slice(0, 1) : [];
  if (c.secType !== 'FUT' && c.secType !== '') return [];
  return listed.filter(
    (x) =>
      (c.conId === 0 || c.conId === x.conId) &&
      (c.lastTradeDate === '' || x.lastTradeDate.startsWith(c.lastTradeDate)) &&
      (c.localSymbol === '' || c.localSymbol === x.localSymbol) &&
      (c.symbol === '' || c.symbol === x.symbol),
  );
}

function history(ctx: GatewayContext, s: Session, req: Extract<ClientRequest, { type: 'historicalData' }>, now: number): void {
  if (ctx.faults.pacingLeft > 0) {
    ctx.faults.pacingLeft--;
    return s.sendError(req.reqId, 162, PACING);
  }
  if (matching(ctx, req.contract, now, true).length === 0) return s.sendError(req.reqId, 200, NO_SECDEF);
  const minutes = barSizeMinutes(req.barSize);
  const span = durationMs(req.duration);
  if (minutes === null) return s.sendError(req.reqId, 321, `Error validating request: bar size '${req.barSize}' is not supported here; use '1 min', 'N mins' or '1 hour'`);
  if (span === null) return s.sendError(req.reqId, 321, `Error validating request: duration '${req.duration}' must be like '3600 S', '2 D' or '1 W'`);
  if (req.formatDate !== 2) return s.sendError(req.reqId, 321, 'Error validating request: this gateway sends bar dates as epoch seconds only (formatDate 2)');
  if (req.endDateTime !== '') return s.sendError(req.reqId, 321, 'Error validating request: only endDateTime "" (now) is supported');
  const minuteBars = ctx.feed.history(HISTORY_KEEP).filter((b) => b.time >= now - span);
  // Like TWS, the last bar may be the period still in progress.
  const agg = new BarAggregator({ periodMinutes: minutes });
  const bars: Bar[] = [];
  for (const b of minuteBars) bars.push(...agg.push(b));
  const last = agg.flush(Number.POSITIVE_INFINITY);
  if (last) bars.push(last);
  const wire = bars.map((b) => ({ ...b, time: Math.floor(b.time / 1000) }));
  s.send(out.historicalData(req.reqId, execTime(now - span).replace(' US/Eastern', ''), execTime(now).replace(' US/Eastern', ''), wire));
}

function barSizeMinutes(size: string): number | null {
  const m = /^(\d+) (min|mins|hour|hours)$/.exec(size.trim());
  if (!m) return null;
  const n = Number(m[1]) * (m[2]!.startsWith('hour') ? 60 : 1);
  return n >= 1 && 60 % n === 0 ? n : null;
}

function durationMs(duration: string): number | null {
  const m = /^(\d+) ([SDW])$/.exec(duration.trim());
  if (!m) return null;
  const unit = m[2] === 'S' ? 1000 : m[2] === 'D' ? DAY : 7 * DAY;
  return Number(m[1]) * unit;
}

/** "" (everything) or "yyyymmdd-hh:mm:ss" in UTC, as the IB API documents the execution filter. */
export function parseFilterTime(text: string): number | null {
  if (text.trim() === '') return Number.NEGATIVE_INFINITY;
  const m = /^(\d{4})(\d{2})(\d{2})[- ](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

