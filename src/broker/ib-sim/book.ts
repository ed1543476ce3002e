import type { Bar } from '../../domain/bar.ts';
import { MES } from '../../domain/instrument.ts';
import type { OrderRequest } from '../../domain/trading.ts';
import { SimExchange, type ExchangeEvent } from '../sim/exchange.ts';
import { listedContracts } from './contracts.ts';
import { IdSource, type IdState } from './ids.ts';
import type { SimVenueState } from '../sim/venue-state.ts';
import * as om from './order-messages.ts';
import type { ContractFields, OrderFields } from './requests.ts';
import { errorMessage, type Message, type SimContract } from './responses.ts';
import { statusText, toWireOrder, type GwOrder } from './wire-order.ts';
import { execTime, type ExecTimeStyle } from './zone-time.ts';

/** A message for the sessions of one client id (orders and executions belong to the client that placed them). */
export interface Outgoing {
  readonly clientId: number;
  readonly msg: Message;
  /** Sent this much later than the messages around it (a commission report TWS has not priced yet). */
  readonly delayMs?: number;
}

export interface BookSettings {
  readonly account: string;
  readonly slippageTicks: number;
  readonly commissionPerContract: number;
  /** The gateway's time zone (IANA), in which it writes execution times. */
  readonly timeZone: string;
  readonly execTimeStyle: ExecTimeStyle;
  /** Base of execution and perm ids; differs per instance so a restarted gateway never reuses one. */
  readonly idSeed: number;
  readonly commissionDelayMs: number;
}

/** One-shot behaviours of the next order or fill, set by tests (a real gateway shows each of them at times). */
export interface BookFaults {
  rejectReason: string | null;
  partialQty: number | null;
  duplicateIdNext: boolean;
  /** The next new order reports Inactive before Submitted (IB does this, e.g. while it checks an order). */
  inactiveFirstNext: boolean;
  /** Order status before the execution (default: execution first); IB sends them in either order. */
  statusFirst: boolean;
  /** The next fill's live execution is not sent (it is in reqExecutions' answer): "Filled" without an execution. */
  dropExecutionNext: boolean;
}

type Deferred = { readonly order: GwOrder; readonly exec: om.WireExecution };
type Held = { clientId: number; orderId: number; contract: SimContract; order: OrderFields };

/** The account as a real gateway keeps it across its own restarts (see state-file.ts); faults and held-back partial fills are not kept. */
export interface BookState {
  readonly exchange: SimVenueState;
  readonly orders: readonly GwOrder[];
  readonly held: readonly Held[];
  readonly nextIds: ReadonlyArray<readonly [number, number]>;
  readonly executions: readonly om.WireExecution[];
  readonly ids: IdState;
}

/** Executions kept in the state file: the current day's, with room to spare. */
const KEPT_EXECUTIONS = 5_000;
const KEPT_ORDERS = 2_000;

/**
 * The gateway's account: the paper exchange (which matches orders against the simulated bars)
 * plus what TWS adds on top of it — order ids per client id, permIds, orderRef, TWS status
 * texts, untransmitted orders held until their group is transmitted, modification in place
 * (same order id, new price), and the execution list with commissions. Exchange events are
 * translated into the messages TWS would send the owning client.
 */
export class GatewayBook {
  readonly exchange: SimExchange;
  readonly faults: BookFaults = { rejectReason: null, partialQty: null, duplicateIdNext: false, inactiveFirstNext: false, statusFirst: false, dropExecutionNext: false };
  private readonly orders = new Map<string, GwOrder>();
  /** The exchange's refs → the order; a modified order's earlier refs are gone from here. */
  private readonly byRef = new Map<string, GwOrder>();
  private readonly held = new Map<string, Held>();
  private readonly nextIds = new Map<number, number>();
  readonly executions: om.WireExecution[] = [];
  /** Every placement as received (order ref, transmit flag, parent id), for assertions on how a client sends a bracket. */
  readonly received: Array<{ readonly orderRef: string; readonly transmit: boolean; readonly parentId: number; readonly ocaGroup: string }> = [];
  private readonly ids: IdSource;
  private deferred: Deferred[] = [];

  constructor(
    readonly settings: BookSettings,
    resume?: BookState,
  ) {
    const fills = { slippageTicks: settings.slippageTicks, commissionPerContract: settings.commissionPerContract };
    this.exchange = resume ? SimExchange.restore(resume.exchange, fills) : new SimExchange(fills);
    this.ids = new IdSource(resume?.ids ?? settings.idSeed);
    for (const o of resume?.orders ?? []) {
      const order = { ...o };
      this.orders.set(`${o.clientId}:${o.orderId}`, order);
      this.byRef.set(o.ref, order);
    }
    for (const h of resume?.held ?? []) this.held.set(`${h.clientId}:${h.orderId}`, { ...h });
    for (const [client, next] of resume?.nextIds ?? []) this.nextIds.set(client, next);
    this.executions.push(...(resume?.executions ?? []));
  }

  snapshot(): BookState {
    return {
      exchange: this.exchange.snapshot(),
      // Working orders and the most recent finished ones (a repeated id is still recognised).
      orders: [...this.orders.values()].filter((o, i, all) => i >= all.length - KEPT_ORDERS || o.status === 'Submitted' || o.status === 'PreSubmitted' || o.status === 'PendingSubmit').map((o) => ({ ...o })),
      held: [...this.held.values()].map((h) => ({ ...h })),
      nextIds: [...this.nextIds.entries()],
      executions: this.executions.slice(-KEPT_EXECUTIONS),
      ids: this.ids.state(),
    };
  }

  contracts(nowMs: number): SimContract[] {
    return listedContracts(nowMs);
  }

  nextValidId(clientId: number): number {
    return this.nextIds.get(clientId) ?? 1;
  }

  place(clientId: number, orderId: number, contract: SimContract, order: OrderFields): Outgoing[] {
    const key = `${clientId}:${orderId}`;
    this.received.push({ orderRef: order.orderRef, transmit: order.transmit, parentId: order.parentId, ocaGroup: order.ocaGroup });
    if (this.received.length > 1_000) this.received.shift();
    const err = (code: number, text: string): Outgoing[] => [{ clientId, msg: errorMessage(orderId, code, text) }];
    const existing = this.orders.get(key);
    const held = this.held.get(key);
    if (this.faults.duplicateIdNext || ((existing ?? held) !== undefined && (existing?.orderRef ?? held?.order.orderRef) !== order.orderRef)) {
      this.faults.duplicateIdNext = false;
      return err(103, 'Duplicate order id');
    }
    if (existing !== undefined) return this.modify(existing, order);
    this.nextIds.set(clientId, Math.max(this.nextValidId(clientId), orderId + 1));
    if (!order.transmit) {
      // TWS keeps an untransmitted order to itself: nothing is working, nothing is reported yet.
      this.held.set(key, { clientId, orderId, contract, order });
      return [];
    }
    this.held.delete(key);
    // An order sent with transmit=true releases the untransmitted members of its bracket first: the parent, then its children.
    const group = [...this.held.values()].filter((h) => h.clientId === clientId && order.parentId !== 0 && (h.orderId === order.parentId || h.order.parentId === order.parentId));
    group.sort((a, b) => a.orderId - b.orderId);
    const msgs: Outgoing[] = [];
    for (const h of group) {
      this.held.delete(`${h.clientId}:${h.orderId}`);
      msgs.push(...this.placeNow(h.clientId, h.orderId, h.order, h.contract));
    }
    msgs.push(...this.placeNow(clientId, orderId, order, contract));
    return msgs;
  }

  cancel(clientId: number, orderId: number): Outgoing[] {
    const key = `${clientId}:${orderId}`;
    if (this.held.delete(key)) return [{ clientId, msg: errorMessage(orderId, 202, 'Order Canceled - reason:') }];
    const o = this.orders.get(key);
    if (o === undefined) return [{ clientId, msg: errorMessage(orderId, 10147, `OrderId ${orderId} that needs to be cancelled is not found.`) }];
    if (o.status === 'Filled' || o.status === 'Cancelled' || o.status === 'Inactive') {
      return [{ clientId, msg: errorMessage(orderId, 10148, `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${o.status}.`) }];
    }
    return [{ clientId, msg: errorMessage(orderId, 202, 'Order Canceled - reason:') }, ...this.translate(this.exchange.cancel(o.ref))];
  }

  globalCancel(): Outgoing[] {
    this.held.clear();
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
      msgs.push(...this.execMessages(exec), { clientId: d.order.clientId, msg: om.orderStatus(toWireOrder(d.order)) });
    }
    return msgs;
  }

  workingOrders(clientId: number | null): GwOrder[] {
    return [...this.orders.values()].filter((o) => (clientId === null || o.clientId === clientId) && (o.status === 'Submitted' || o.status === 'PreSubmitted'));
  }

  /** Where the position is booked: the contract last traded, else the front month. */
  positionContract(nowMs: number): SimContract {
    return this.executions.at(-1)?.contract ?? this.contracts(nowMs)[0]!;
  }

  /** A working order sent again under its id: IB modifies it in place (same id and permId, new price or size). */
  private modify(o: GwOrder, next: OrderFields): Outgoing[] {
    const err = (code: number, text: string): Outgoing[] => [{ clientId: o.clientId, msg: errorMessage(o.orderId, code, text) }];
    if (o.status !== 'Submitted' && o.status !== 'PreSubmitted') return err(104, `Cannot modify an order that is ${o.status}.`);
    if ([...this.byRef.values()].some((c) => c.parentId === o.orderId && c.clientId === o.clientId && c.status === 'PreSubmitted')) {
      return err(321, 'Error validating request: this gateway cannot modify a parent order whose children are still waiting for it');
    }
    const retired = o.ref;
    this.byRef.delete(retired);
    // The exchange's own cancel of the old booking is internal: the client sees one modification.
    this.exchange.cancel(retired);
    o.modifications++;
    o.ref = `${o.clientId}:${o.orderId}#${o.modifications}`;
    o.lmtPrice = next.lmtPrice;
    o.auxPrice = next.auxPrice;
    this.byRef.set(o.ref, o);
    const events = this.exchange.place(this.exchangeRequest(o, o.qty)).events;
    const msgs = this.translate(events);
    return [{ clientId: o.clientId, msg: om.openOrder(toWireOrder(o)) }, ...msgs];
  }

  /** An OCA member reduced by a sibling's fill of `by`: re-booked at the exchange with the smaller size, same id. */
  private reduce(o: GwOrder, by: number): Outgoing[] {
    this.byRef.delete(o.ref);
    o.modifications++;
    o.ref = `${o.clientId}:${o.orderId}#${o.modifications}`;
    o.qty -= by;
    this.byRef.set(o.ref, o);
    const events = this.exchange.place(this.exchangeRequest(o, o.qty - o.filled)).events;
    return [{ clientId: o.clientId, msg: om.openOrder(toWireOrder(o)) }, ...this.translate(events)];
  }

  private placeNow(clientId: number, orderId: number, order: OrderFields, contract: SimContract): Outgoing[] {
    const ref = `${clientId}:${orderId}`;
    const o: GwOrder = {
      ref, orderId, clientId, permId: this.ids.permId(), parentId: order.parentId, contract, action: order.action === 'SELL' ? 'SELL' : 'BUY', qty: order.qty,
      orderType: order.orderType === 'LMT' ? 'LMT' : order.orderType === 'STP' ? 'STP' : 'MKT', lmtPrice: order.lmtPrice, auxPrice: order.auxPrice, tif: order.tif || 'DAY',
      ocaGroup: order.ocaGroup, ocaType: order.ocaGroup === '' ? 0 : order.ocaType, account: order.account || this.settings.account, orderRef: order.orderRef,
      status: 'PendingSubmit', filled: 0, avgFillPrice: 0, lastFillPrice: 0, modifications: 0,
    };
    this.orders.set(ref, o);
    this.byRef.set(ref, o);
    let reject = this.faults.rejectReason ?? undefined;
    this.faults.rejectReason = null;
    if (o.account !== this.settings.account) reject = `The account ${o.account} is not managed by this session (${this.settings.account})`;
    else if (!['MKT', 'LMT', 'STP'].includes(order.orderType)) reject = `order type ${order.orderType} is not supported by this gateway; use MKT, LMT or STP`;
    else if (order.action !== 'BUY' && order.action !== 'SELL') reject = `action must be BUY or SELL, got ${order.action}`;
    const msgs: Outgoing[] = [];
    if (this.faults.inactiveFirstNext && reject === undefined) {
      this.faults.inactiveFirstNext = false;
      o.status = 'Inactive';
      msgs.push({ clientId, msg: om.openOrder(toWireOrder(o)) }, { clientId, msg: om.orderStatus(toWireOrder(o)) });
    }
    msgs.push(...this.translate(this.exchange.place(this.exchangeRequest(o, o.qty), reject).events));
    return msgs;
  }

  private exchangeRequest(o: GwOrder, qty: number): OrderRequest {
    const parent = o.parentId === 0 ? undefined : this.orders.get(`${o.clientId}:${o.parentId}`);
    const price = o.orderType === 'LMT' ? o.lmtPrice : o.orderType === 'STP' ? o.auxPrice : null;
    return {
      ref: o.ref, action: o.action === 'BUY' ? 'buy' : 'sell', type: o.orderType === 'MKT' ? 'market' : o.orderType === 'LMT' ? 'limit' : 'stop', qty,
      ...(price === null ? {} : { price }),
      ...(o.ocaGroup === '' ? {} : { ocaGroup: `${o.account}/${o.ocaGroup}` }),
      ...(o.parentId === 0 ? {} : { parentRef: parent?.ref ?? `${o.clientId}:${o.parentId}` }),
    };
  }

  private translate(events: readonly ExchangeEvent[]): Outgoing[] {
    const msgs: Outgoing[] = [];
    let heldExecs: Outgoing[] = [];
    let lastFillQty = 0;
    for (const e of events) {
      if (e.type === 'error') {
        const o = e.payload.ref === undefined ? undefined : this.byRef.get(e.payload.ref);
        if (o) msgs.push({ clientId: o.clientId, msg: errorMessage(o.orderId, e.payload.code, e.payload.message) });
        continue;
      }
      const o = this.byRef.get(e.type === 'fill' ? e.payload.orderRef : e.payload.ref);
      if (o === undefined) continue;
      if (e.type === 'fill') {
        lastFillQty = e.payload.qty;
        const execs = this.fill(o, e.payload.qty, e.payload.price, e.payload.time, e.payload.commissionCents);
        if (this.faults.statusFirst) heldExecs = execs;
        else msgs.push(...execs);
        continue;
      }
      // OCA types 2 and 3 reduce the other members by the fill instead of cancelling them (the exchange only cancels).
      const reduced = e.payload.status === 'cancelled' && o.ocaType >= 2 && e.payload.message?.startsWith('OCA group') === true && lastFillQty < o.qty - o.filled;
      if (reduced) {
        msgs.push(...this.reduce(o, lastFillQty));
        continue;
      }
      const first = o.status === 'PendingSubmit' || o.status === 'Inactive';
      const pending = this.deferred.some((d) => d.order === o);
      if (e.payload.status === 'rejected') msgs.push({ clientId: o.clientId, msg: errorMessage(o.orderId, 201, `Order rejected - reason:${e.payload.message ?? ''}`) });
      // While part of a fill is held back, the order still shows as working.
      o.status = pending && e.payload.status === 'filled' ? 'Submitted' : statusText(e.payload.status);
      if (first || o.status === 'Filled') msgs.push({ clientId: o.clientId, msg: om.openOrder(toWireOrder(o)) });
      msgs.push({ clientId: o.clientId, msg: om.orderStatus(toWireOrder(o)) }, ...heldExecs);
      heldExecs = [];
    }
    return [...msgs, ...heldExecs];
  }

  private fill(o: GwOrder, qty: number, price: number, time: number, commissionCents: number): Outgoing[] {
    const make = (shares: number, cents: number, part: number): om.WireExecution => ({
      orderId: o.orderId, clientId: o.clientId, permId: o.permId, execId: this.ids.execId(part), time: execTime(time, this.settings.timeZone, this.settings.execTimeStyle), timeMs: time,
      account: o.account, side: o.action === 'BUY' ? 'BOT' : 'SLD', shares, price, cumQty: 0, avgPrice: price, orderRef: o.orderRef, contract: o.contract, commission: cents / 100,
    });
    const f = this.faults;
    const partial = f.partialQty !== null && f.partialQty > 0 && f.partialQty < qty ? f.partialQty : null;
    f.partialQty = partial === null ? f.partialQty : null;
    const firstQty = partial ?? qty;
    const firstCents = Math.round((commissionCents * firstQty) / qty);
    if (partial !== null) this.deferred.push({ order: o, exec: make(qty - partial, commissionCents - firstCents, 2) });
    o.filled += firstQty;
    o.avgFillPrice = price;
    o.lastFillPrice = price;
    const first = { ...make(firstQty, firstCents, 1), cumQty: o.filled };
    this.executions.push(first);
    if (f.dropExecutionNext) {
      f.dropExecutionNext = false;
      return [];
    }
    return this.execMessages(first);
  }

  private execMessages(e: om.WireExecution): Outgoing[] {
    const delay = this.settings.commissionDelayMs;
    return [{ clientId: e.clientId, msg: om.executionData(-1, e) }, { clientId: e.clientId, msg: om.commissionReport(e), ...(delay > 0 ? { delayMs: delay } : {}) }];
  }
}
