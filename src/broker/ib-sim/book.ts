import type { Bar } from '../../domain/bar.ts';
import { MES } from '../../domain/instrument.ts';
import type { OrderRequest } from '../../domain/trading.ts';
import { SimExchange, type ExchangeEvent } from '../sim/exchange.ts';
import type { Field } from './codec.ts';
import { listedContracts } from './contracts.ts';
import type { ContractFields, OrderFields } from './requests.ts';
import * as out from './responses.ts';
import { execTime, type GwOrder, statusText, toWireOrder } from './wire-order.ts';

/** A message for the sessions of one client id (orders and executions belong to the client that placed them). */
export interface Outgoing {
  readonly clientId: number;
  readonly fields: Field[];
}

export interface BookSettings {
  readonly account: string;
  readonly slippageTicks: number;
  readonly commissionPerContract: number;
}

type Deferred = { readonly order: GwOrder; readonly exec: out.WireExecution };

/**
 * The gateway's account: the paper exchange (which matches orders against the simulated bars)
 * plus what TWS adds on top of it — order ids per client id, permIds, orderRef, TWS status
 * texts, held (untransmitted) orders and the execution list with commissions. Exchange events
 * are translated into the messages TWS would send the owning client. Fault injections that
 * change what the exchange does (reject, duplicate id, partial report) live here too.
 */
export class GatewayBook {
  readonly exchange: SimExchange;
  private readonly orders = new Map<string, GwOrder>();
  private readonly held: Array<{ clientId: number; orderId: number; contract: ContractFields; order: OrderFields }> = [];
  private readonly nextIds = new Map<number, number>();
  readonly executions: out.WireExecution[] = [];
  private nextPermId = 1_000_000_001;
  private nextExec = 1;
  private deferred: Deferred[] = [];
  rejectReason: string | null = null;
  partialQty: number | null = null;
  duplicateIdNext = false;

  constructor(readonly settings: BookSettings) {
    this.exchange = new SimExchange({ slippageTicks: settings.slippageTicks, commissionPerContract: settings.commissionPerContract });
  }

  /** The market's clock: the end of the last bar the exchange closed (or `fallback` before any). */
  now(fallback: number): number {
    const last = this.exchange.clock.lastBarTime;
    return last === null ? fallback : last + 60_000;
  }

  contracts(nowMs: number): out.SimContract[] {
    return listedContracts(nowMs);
  }

  nextValidId(clientId: number): number {
    return this.nextIds.get(clientId) ?? 1;
  }

  place(clientId: number, orderId: number, contract: ContractFields, order: OrderFields, nowMs: number): Outgoing[] {
    const key = `${clientId}:${orderId}`;
    const err = (code: number, text: string): Outgoing[] => [{ clientId, fields: out.errorMessage(orderId, code, text) }];
    const existing = this.orders.get(key);
    if (this.duplicateIdNext || (existing !== undefined && existing.orderRef !== order.orderRef)) {
      this.duplicateIdNext = false;
      return err(103, 'Duplicate order id');
    }
    // Re-sending a working order with its id is a modification in TWS; this gateway has nothing to modify.
    if (existing !== undefined) return [{ clientId, fields: out.openOrder(toWireOrder(existing)) }, { clientId, fields: out.orderStatus(toWireOrder(existing)) }];
    const c = this.contracts(nowMs).find((x) => x.conId === contract.conId || (contract.conId === 0 && x.lastTradeDate.startsWith(contract.lastTradeDate) && contract.lastTradeDate !== ''));
    if ((contract.symbol !== MES.symbol && contract.symbol !== '') || (contract.secType !== 'FUT' && contract.secType !== '') || c === undefined) return err(200, 'No security definition has been found for the request');
    this.nextIds.set(clientId, Math.max(this.nextValidId(clientId), orderId + 1));
    if (!order.transmit) {
      this.held.push({ clientId, orderId, contract, order });
      return [];
    }
    // An order transmitted with transmit=true releases the untransmitted members of its bracket first.
    const group = this.held.filter((h) => h.clientId === clientId && (h.orderId === order.parentId || (order.parentId !== 0 && h.order.parentId === order.parentId)));
    const msgs: Outgoing[] = [];
    for (const h of group) {
      this.held.splice(this.held.indexOf(h), 1);
      msgs.push(...this.placeNow(h.clientId, h.orderId, h.order, c));
    }
    msgs.push(...this.placeNow(clientId, orderId, order, c));
    return msgs;
  }

  cancel(clientId: number, orderId: number): Outgoing[] {
    const o = this.orders.get(`${clientId}:${orderId}`);
    if (o === undefined) return [{ clientId, fields: out.errorMessage(orderId, 10147, `OrderId ${orderId} that needs to be cancelled is not found.`) }];
    if (o.status === 'Filled' || o.status === 'Cancelled' || o.status === 'Inactive') {
      return [{ clientId, fields: out.errorMessage(orderId, 10148, `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${o.status}.`) }];
    }
    return [{ clientId, fields: out.errorMessage(orderId, 202, 'Order Canceled - reason:') }, ...this.translate(this.exchange.cancel(o.ref))];
  }

  globalCancel(): Outgoing[] {
    return this.translate(this.exchange.cancelAll());
  }

  openPhase(bar: Bar): Outgoing[] {
    return this.translate(this.exchange.openPhase(bar));
  }

  rangePhase(bar: Bar): Outgoing[] {
    return this.translate(this.exchange.rangePhase(bar));
  }

  closePhase(bar: Bar): void {
    this.exchange.closePhase(bar);
  }

  /** Reports what a partial-fill injection held back: the rest of the execution and the final status. */
  releaseDeferred(): Outgoing[] {
    const msgs: Outgoing[] = [];
    for (const d of this.deferred.splice(0)) {
      d.order.filled += d.exec.shares;
      d.order.lastFillPrice = d.exec.price;
      d.order.status = d.order.filled >= d.order.qty ? 'Filled' : d.order.status;
      const exec = { ...d.exec, cumQty: d.order.filled };
      this.executions.push(exec);
      msgs.push(...this.execMessages(exec), { clientId: d.order.clientId, fields: out.orderStatus(toWireOrder(d.order)) });
    }
    return msgs;
  }

  workingOrders(clientId: number | null): GwOrder[] {
    return [...this.orders.values()].filter((o) => (clientId === null || o.clientId === clientId) && (o.status === 'Submitted' || o.status === 'PreSubmitted'));
  }

  /** Where the position is booked: the contract last traded, else the front month. */
  positionContract(nowMs: number): out.SimContract {
    const last = this.executions.at(-1);
    return last?.contract ?? this.contracts(nowMs)[0]!;
  }

  private placeNow(clientId: number, orderId: number, order: OrderFields, contract: out.SimContract): Outgoing[] {
    const ref = `${clientId}:${orderId}`;
    const parent = order.parentId === 0 ? undefined : this.orders.get(`${clientId}:${order.parentId}`);
    const o: GwOrder = {
      ref, orderId, clientId, permId: this.nextPermId++, parentId: order.parentId, contract, action: order.action === 'SELL' ? 'SELL' : 'BUY', qty: order.qty,
      orderType: order.orderType === 'LMT' ? 'LMT' : order.orderType === 'STP' ? 'STP' : 'MKT', lmtPrice: order.lmtPrice, auxPrice: order.auxPrice, tif: order.tif || 'DAY',
      ocaGroup: order.ocaGroup, account: order.account || this.settings.account, orderRef: order.orderRef, status: 'PendingSubmit', filled: 0, avgFillPrice: 0, lastFillPrice: 0,
    };
    this.orders.set(ref, o);
    let reject = this.rejectReason ?? undefined;
    this.rejectReason = null;
    if (o.account !== this.settings.account) reject = `The account ${o.account} is not managed by this session (${this.settings.account})`;
    else if (!['MKT', 'LMT', 'STP'].includes(order.orderType)) reject = `order type ${order.orderType} is not supported by this gateway; use MKT, LMT or STP`;
    else if (order.action !== 'BUY' && order.action !== 'SELL') reject = `action must be BUY or SELL, got ${order.action}`;
    const req: OrderRequest = {
      ref, action: o.action === 'BUY' ? 'buy' : 'sell', type: o.orderType === 'MKT' ? 'market' : o.orderType === 'LMT' ? 'limit' : 'stop', qty: o.qty,
      ...(o.orderType === 'LMT' && o.lmtPrice !== null ? { price: o.lmtPrice } : {}), ...(o.orderType === 'STP' && o.auxPrice !== null ? { price: o.auxPrice } : {}),
      ...(o.ocaGroup === '' ? {} : { ocaGroup: `${o.account}/${o.ocaGroup}` }), ...(parent === undefined && order.parentId === 0 ? {} : { parentRef: parent?.ref ?? `${clientId}:${order.parentId}` }),
    };
    return this.translate(this.exchange.place(req, reject).events);
  }

  private translate(events: readonly ExchangeEvent[]): Outgoing[] {
    const msgs: Outgoing[] = [];
    for (const e of events) {
      if (e.type === 'error') {
        const o = e.payload.ref === undefined ? undefined : this.orders.get(e.payload.ref);
        if (o) msgs.push({ clientId: o.clientId, fields: out.errorMessage(o.orderId, e.payload.code, e.payload.message) });
        continue;
      }
      const o = this.orders.get(e.type === 'fill' ? e.payload.orderRef : e.payload.ref);
      if (o === undefined) continue;
      if (e.type === 'fill') msgs.push(...this.fill(o, e.payload.execId, e.payload.qty, e.payload.price, e.payload.time, e.payload.commissionCents));
      else {
        const first = o.status === 'PendingSubmit';
        const pending = this.deferred.some((d) => d.order === o);
        if (e.payload.status === 'rejected') msgs.push({ clientId: o.clientId, fields: out.errorMessage(o.orderId, 201, `Order rejected - reason:${e.payload.message ?? ''}`) });
        // While part of a fill is held back, the order still shows as working.
        o.status = pending && e.payload.status === 'filled' ? 'Submitted' : statusText(e.payload.status);
        if (first || o.status === 'Filled') msgs.push({ clientId: o.clientId, fields: out.openOrder(toWireOrder(o)) });
        msgs.push({ clientId: o.clientId, fields: out.orderStatus(toWireOrder(o)) });
      }
    }
    return msgs;
  }

  private fill(o: GwOrder, execId: string, qty: number, price: number, time: number, commissionCents: number): Outgoing[] {
    const make = (shares: number, cents: number, suffix: string): out.WireExecution => ({
      orderId: o.orderId, clientId: o.clientId, permId: o.permId, execId: `0000e${String(this.nextExec++).padStart(4, '0')}.${execId}${suffix}`, time: execTime(time), timeMs: time,
      account: o.account, side: o.action === 'BUY' ? 'BOT' : 'SLD', shares, price, cumQty: 0, avgPrice: price, orderRef: o.orderRef, contract: o.contract, commission: cents / 100,
    });
    const partial = this.partialQty !== null && this.partialQty > 0 && this.partialQty < qty ? this.partialQty : null;
    this.partialQty = partial === null ? this.partialQty : null;
    const firstQty = partial ?? qty;
    const firstCents = Math.round((commissionCents * firstQty) / qty);
    if (partial !== null) this.deferred.push({ order: o, exec: make(qty - partial, commissionCents - firstCents, '.2') });
    o.filled += firstQty;
    o.avgFillPrice = price;
    o.lastFillPrice = price;
    const first = { ...make(firstQty, firstCents, partial === null ? '' : '.1'), cumQty: o.filled };
    this.executions.push(first);
    return this.execMessages(first);
  }

  private execMessages(e: out.WireExecution): Outgoing[] {
    return [{ clientId: e.clientId, fields: out.executionData(-1, e) }, { clientId: e.clientId, fields: out.commissionReport(e) }];
  }
}
