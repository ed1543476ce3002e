import type { Contract, Order as IbOrder } from '@stoqey/ib';
import { MES } from '../../domain/instrument.ts';
import type { Fill, Order, OrderRequest, OrderStatus } from '../../domain/trading.ts';
import type { FutureContract } from './contract.ts';
import { parseIbTime } from './ib-time.ts';

export { parseIbTime } from './ib-time.ts';
import type { Parsed, ExecDetailsArgs, OpenOrderArgs, ContractDetailsArgs } from './schemas.ts';

/** Between our order model and IB's: pure functions, each a place a field could be mistranslated. */

/**
 * The contract as every order and subscription names it: conId and exchange (what IB resolves
 * by), plus the bare 8-digit expiry. Never the expiry text contract details carried: TWS sends
 * it with time and zone ("20260320 08:30:00 US/Central"), @stoqey/ib keeps it whole, and IB
 * refuses it back (478: conflicts with the contract id; a zone it does not know: 10330).
 */
export function futContract(c: FutureContract): Contract {
  return { conId: c.conId, symbol: c.symbol, secType: 'FUT' as Contract['secType'], lastTradeDateOrContractMonth: c.lastTradeDate.slice(0, 8), exchange: c.exchange, currency: c.currency, multiplier: c.multiplier };
}

/** The YYYYMMDD of an expiry text: "20260320", "20260320 08:30:00 US/Central", "20260320-08:30:00"; null when it has none. */
export function expiryDate(text: string | undefined): string | null {
  const m = /^(\d{8})(?:$|[\s-])/.exec((text ?? '').trim());
  return m ? m[1]! : null;
}

/** MES continuous future: IB stitches the expired quarters, so history reaches back across rolls. It is for history only. */
export const CONTINUOUS_MES: Contract = { symbol: MES.symbol, secType: 'CONTFUT' as Contract['secType'], exchange: MES.exchange, currency: MES.currency };

/** The search for listed MES futures (reqContractDetails answers with every unexpired month). */
export const MES_FUTURES: Contract = { symbol: MES.symbol, secType: 'FUT' as Contract['secType'], exchange: MES.exchange, currency: MES.currency };

export function futureFromDetails(d: Parsed<typeof ContractDetailsArgs>[1]): FutureContract | null {
  const c = d.contract;
  const multiplier = Number(c.multiplier);
  // From server version 182 the bare date also comes in its own field.
  const expiry = expiryDate(c.lastTradeDate) ?? expiryDate(c.lastTradeDateOrContractMonth);
  if (c.conId === undefined || expiry === null || !Number.isFinite(multiplier)) return null;
  return { conId: c.conId, symbol: c.symbol ?? '', localSymbol: c.localSymbol ?? '', lastTradeDate: expiry, multiplier, exchange: c.exchange ?? MES.exchange, currency: c.currency ?? '' };
}

/**
 * Our order as IB's. `transmit` false holds it at the gateway until a later order of its bracket
 * is sent with transmit true (IB's bracket: parent and first child false, last child true);
 * `parentId` makes it a child that IB activates when the parent fills. Stop and target are GTC
 * so the protection outlives the trading day. OCA type 2 ("reduce with block"): a fill of one
 * member reduces the others by its size, so a part-filled target leaves the stop sized to what
 * is still open (type 1 would cancel the stop outright and leave contracts unprotected), and an
 * exit that joins the group for the whole position reduces the legs to nothing (cancels them);
 * "block" keeps IB from filling two members at once (overfill protection).
 */
export function toIbOrder(req: OrderRequest, account: string, link: { parentId?: number; transmit?: boolean } = {}): IbOrder {
  const base: IbOrder = {
    action: (req.action === 'buy' ? 'BUY' : 'SELL') as IbOrder['action'],
    totalQuantity: req.qty,
    orderType: (req.type === 'market' ? 'MKT' : req.type === 'limit' ? 'LMT' : 'STP') as IbOrder['orderType'],
    tif: (req.type === 'market' ? 'DAY' : 'GTC') as IbOrder['tif'],
    account,
    orderRef: req.ref,
    transmit: link.transmit ?? true,
    outsideRth: true,
  };
  if (req.type === 'limit') base.lmtPrice = req.price;
  if (req.type === 'stop') base.auxPrice = req.price;
  if (req.ocaGroup !== undefined) {
    base.ocaGroup = req.ocaGroup;
    base.ocaType = 2;
  }
  if (link.parentId !== undefined) base.parentId = link.parentId;
  return base;
}

/** IB's order status words as ours; null for a word IB does not document. */
export function statusOf(ibStatus: string, filled: number, remaining: number): OrderStatus | null {
  switch (ibStatus) {
    case 'ApiPending':
    case 'PendingSubmit':
      return 'pending';
    case 'PreSubmitted':
    case 'Submitted':
    case 'PendingCancel':
      return filled > 0 ? 'partially_filled' : 'submitted';
    case 'Filled':
      return remaining > 0 ? 'partially_filled' : 'filled';
    case 'ApiCancelled':
    case 'Cancelled':
      return 'cancelled';
    // "Inactive" is not final: IB also reports it for an order it holds (outside its hours, being
    // checked) and sends Submitted later. A real rejection or cancel comes as error 201/202.
    case 'Inactive':
      return 'pending';
    default:
      return null;
  }
}

export const isFinal = (s: OrderStatus) => s === 'filled' || s === 'cancelled' || s === 'rejected';

/** Our ref for an IB order: orderRef when set (ours survive restarts that way), else a stand-in from its id. */
export const refOf = (orderRef: string | undefined, orderId: number): string => (orderRef !== undefined && orderRef !== '' ? orderRef : `ib:${orderId}`);

/**
 * An execution as our fill. Its time is read in the gateway's zone when it names none; a time
 * that cannot be read at all is replaced by `receivedAt` (`timeRead` false), because a fill must
 * never be dropped for its timestamp — the position it changes is real.
 */
export function fillFromExec(e: Parsed<typeof ExecDetailsArgs>[2], commissionDollars: number, knownRef: string | undefined, opts: { zone: string | null; receivedAt: number; execId?: string }): { fill: Fill; timeRead: boolean } {
  const parsed = parseIbTime(e.time, opts.zone);
  const time = parsed ?? opts.receivedAt;
  const fill: Fill = {
    orderRef: e.orderRef !== undefined && e.orderRef !== '' ? e.orderRef : (knownRef ?? `ib:${e.orderId}`),
    execId: opts.execId ?? e.execId,
    action: e.side === 'BOT' ? 'buy' : 'sell',
    qty: e.shares,
    price: e.price,
    time,
    commissionCents: Math.round(commissionDollars * 100),
  };
  return { fill, timeRead: parsed !== null };
}

export function orderFromOpenOrder(a: Parsed<typeof OpenOrderArgs>, status: OrderStatus, parentRef: string | undefined): Order {
  const [orderId, , o] = a;
  const type = o.orderType === 'LMT' ? 'limit' : o.orderType === 'STP' ? 'stop' : 'market';
  const price = type === 'limit' ? o.lmtPrice : type === 'stop' ? o.auxPrice : undefined;
  return {
    ref: refOf(o.orderRef, orderId),
    action: o.action === 'BUY' ? 'buy' : 'sell',
    type,
    qty: o.totalQuantity,
    ...(price === undefined ? {} : { price }),
    ...(o.ocaGroup ? { ocaGroup: o.ocaGroup } : {}),
    ...(parentRef === undefined ? {} : { parentRef }),
    status,
    filledQty: o.filledQuantity ?? 0,
    avgFillPrice: null,
    brokerId: orderId,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The execution filter's time: `yyyymmdd-hh:mm:ss` in UTC (second resolution, rounded down). */
export function filterTime(utcMs: number): string {
  const d = new Date(Math.max(0, utcMs));
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** IB's bar size words for N minutes (N divides 60). */
export function barSizeSetting(minutes: number): string {
  if (minutes === 60) return '1 hour';
  return minutes === 1 ? '1 min' : `${minutes} mins`;
}

/**
 * How far back to ask for `count` bars: calendar days, because the market closes daily and at
 * weekends; three extra days cover a weekend plus a holiday. CME trades about 23 hours a day.
 */
export function historyDuration(minutes: number, count: number): string {
  const days = Math.ceil((count * minutes) / (23 * 60)) + 3;
  return `${days} D`;
}
