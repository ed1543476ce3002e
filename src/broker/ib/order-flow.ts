import type { Contract, IBApi } from '@stoqey/ib';
import type { Fill, OrderRequest } from '../../domain/trading.ts';
import { MES } from '../../domain/instrument.ts';
import { CODES, IB_ADAPTER, isRetryable, isWarning } from './codes.ts';
import type { PortEvents } from './events.ts';
import { fillFromExec, isFinal, refOf, statusOf, toIbOrder } from './mapper.ts';
import { Commissions, OrderTracker, SeenIds, type Timers, type Tracked } from './orders.ts';
import type { Parsed, ExecDetailsArgs, OpenOrderArgs, OrderStatusArgs } from './schemas.ts';

export interface OrderContext {
  api(): IBApi;
  /** The account orders go to; throws the refusal when trading is not allowed on this connection. */
  account(): string;
  contract(): Contract;
  allocateId(): number;
  readonly timers: Timers;
  readonly events: PortEvents;
  readonly commissionWaitMs: number;
}

/** Times a ref is re-sent under a fresh id after TWS calls its id a duplicate. */
const MAX_ID_RETRIES = 3;

/**
 * Orders and their fills on IB: placing (orderRef = our ref, so a restarted bot recognises its
 * orders), cancelling, TWS's order errors (103 duplicate id → a fresh id from reqIds and the
 * same order again; 201 rejected / 202 cancelled → the order's status), orderStatus without
 * repeats, and executions paired with their commission reports before they become fills.
 */
export class OrderFlow {
  readonly tracker = new OrderTracker();
  readonly commissions = new Commissions();
  private readonly delivered = new SeenIds();
  /** Refs whose id TWS refused (103), waiting for the next nextValidId. */
  private readonly reissue: Tracked[] = [];

  constructor(private readonly ctx: OrderContext) {}

  place(req: OrderRequest): void {
    if (this.tracker.get(req.ref) !== undefined) return;
    const account = this.ctx.account();
    const api = this.ctx.api();
    const contract = this.ctx.contract();
    const parent = req.parentRef === undefined ? undefined : this.tracker.get(req.parentRef);
    // Attach to the parent only while it works; a child of a filled parent is a plain OCA member.
    const parentId = parent !== undefined && !isFinal(parent.status) ? parent.orderId : undefined;
    const ibOrder = toIbOrder(req, account, parentId);
    const t = this.tracker.register(req.ref, this.ctx.allocateId(), { req, ibOrder, contract });
    api.placeOrder(t.orderId, contract, ibOrder);
  }

  /** A modification in place: the same order id sent again with the new price (IB's documented way). */
  modify(ref: string, price: number): void {
    const t = this.tracker.get(ref);
    if (t === undefined || t.ibOrder === undefined || t.contract === undefined) {
      this.ctx.events.error({ code: CODES.cancelUnknown, ref, retryable: true, message: `modify: no IB order is known for ref '${ref}'` });
      return;
    }
    const ibOrder = t.req?.type === 'stop' ? { ...t.ibOrder, auxPrice: price } : { ...t.ibOrder, lmtPrice: price };
    t.ibOrder = ibOrder;
    this.ctx.api().placeOrder(t.orderId, t.contract, ibOrder);
  }

  cancel(ref: string): void {
    const t = this.tracker.get(ref);
    if (t === undefined) {
      this.ctx.events.error({ code: CODES.cancelUnknown, ref, retryable: true, message: `cancel: no IB order is known for ref '${ref}' (finished before this run, or never placed)` });
      return;
    }
    this.ctx.account();
    this.ctx.api().cancelOrder(t.orderId);
  }

  /** A fresh id arrived (nextValidId after reqIds): re-send the orders TWS refused as duplicates. */
  onNextValidId(): void {
    for (const t of this.reissue.splice(0)) {
      if (t.ibOrder === undefined || t.contract === undefined) continue;
      this.tracker.rekey(t, this.ctx.allocateId());
      this.ctx.api().placeOrder(t.orderId, t.contract, t.ibOrder);
    }
  }

  /** A TWS message naming an order id; false when the id is not an order of ours. */
  onOrderMessage(code: number, text: string, orderId: number): boolean {
    const t = this.tracker.byOrderId(orderId);
    if (t === undefined) return false;
    if (code === CODES.duplicateOrderId && t.status === 'pending' && t.idRetries < MAX_ID_RETRIES) {
      t.idRetries++;
      this.reissue.push(t);
      this.ctx.api().reqIds(1);
      this.ctx.events.error({ code, ref: t.ref, retryable: true, message: `IB refused order id ${orderId} as a duplicate (103): re-sending ${t.ref} under a fresh id` });
      return true;
    }
    if (isWarning(code) || code === CODES.cancelUnknown || code === CODES.cancelFinished) {
      this.ctx.events.error({ code, ref: t.ref, retryable: isRetryable(code), message: text });
      return true;
    }
    const status = code === CODES.orderCancelled ? 'cancelled' : 'rejected';
    const update = this.tracker.update(t, status, t.filledQty, t.avgFillPrice, this.ctx.timers.now(), `${text} (${code})`);
    if (update !== null) this.ctx.events.emit('orderStatus', update);
    if (status === 'rejected') this.ctx.events.error({ code, ref: t.ref, retryable: false, message: text });
    return true;
  }

  onOrderStatus([orderId, ibStatus, filled = 0, remaining = 0, avg]: Parsed<typeof OrderStatusArgs>): void {
    const t = this.tracker.byOrderId(orderId);
    if (t === undefined) return;
    const status = statusOf(ibStatus, filled, remaining);
    if (status === null) {
      this.ctx.events.error({ code: IB_ADAPTER.malformedMessage, ref: t.ref, retryable: true, message: `IB sent an unknown order status '${ibStatus}' for ${t.ref}; ignored` });
      return;
    }
    const update = this.tracker.update(t, status, filled, filled > 0 && avg !== undefined && avg > 0 ? avg : null, this.ctx.timers.now());
    if (update !== null) this.ctx.events.emit('orderStatus', update);
  }

  /** openOrder tells which id carries which orderRef, e.g. for orders placed before a restart. */
  onOpenOrder(a: Parsed<typeof OpenOrderArgs>): Tracked | null {
    const [orderId, contract, order, state] = a;
    if (contract.symbol !== MES.symbol) return null;
    const status = statusOf(state.status, order.filledQuantity ?? 0, order.totalQuantity - (order.filledQuantity ?? 0)) ?? 'submitted';
    return this.tracker.learn(refOf(order.orderRef, orderId), orderId, status);
  }

  /** A live execution (request id −1): a fill once its commission is reported. */
  onExecution(a: Parsed<typeof ExecDetailsArgs>): void {
    const [, contract, exec] = a;
    if (contract.symbol !== MES.symbol || !this.delivered.add(exec.execId)) return;
    const known = this.tracker.byOrderId(exec.orderId)?.ref;
    void this.commissions.wait(exec.execId, this.ctx.timers, this.ctx.commissionWaitMs).then((dollars) => {
      const fill = fillFromExec(exec, dollars ?? 0, known);
      if (fill === null) {
        this.ctx.events.error({ code: IB_ADAPTER.malformedMessage, retryable: true, message: `IB execution ${exec.execId} has an unreadable time '${exec.time}'; it was not journalled (reconcile will retry)` });
        return;
      }
      if (dollars === null) this.ctx.events.error({ code: IB_ADAPTER.commissionMissing, ref: fill.orderRef, retryable: true, message: `no commission report for execution ${exec.execId} within ${this.ctx.commissionWaitMs} ms: journalled with commission 0` });
      this.ctx.events.emit('fill', fill);
    });
  }

  /** Fills of a reqExecutions answer, each with its commission (waited for, bounded). */
  async fillsOf(execs: ReadonlyArray<Parsed<typeof ExecDetailsArgs>>): Promise<Fill[]> {
    const out: Fill[] = [];
    for (const [, contract, exec] of execs) {
      if (contract.symbol !== MES.symbol) continue;
      const dollars = await this.commissions.wait(exec.execId, this.ctx.timers, this.ctx.commissionWaitMs);
      const fill = fillFromExec(exec, dollars ?? 0, this.tracker.byOrderId(exec.orderId)?.ref);
      if (fill !== null) out.push(fill);
      else this.ctx.events.error({ code: IB_ADAPTER.malformedMessage, retryable: true, message: `IB execution ${exec.execId} has an unreadable time '${exec.time}'; skipped` });
    }
    return out;
  }
}
