import type { Contract, IBApi, Order as IbOrder } from '@stoqey/ib';
import type { Fill, OrderRequest } from '../../domain/trading.ts';
import type { Bracket } from '../port.ts';
import { MES } from '../../domain/instrument.ts';
import { CODES, IB_ADAPTER, IbBrokerError, isRetryable, isWarning } from './codes.ts';
import type { PortEvents } from './events.ts';
import { DeliveredExecs, FillWatch } from './fill-watch.ts';
import { fillFromExec, isFinal, refOf, statusOf, toIbOrder } from './mapper.ts';
import { Commissions, OrderTracker, type Timers, type Tracked } from './orders.ts';
import type { Parsed, ExecDetailsArgs, OpenOrderArgs, OrderStatusArgs } from './schemas.ts';

type Exec = Parsed<typeof ExecDetailsArgs>;

export interface OrderContext {
  api(): IBApi;
  /** The account orders go to; throws the refusal when trading is not allowed on this connection. */
  account(): string;
  contract(): Contract;
  allocateId(): number;
  /** The gateway's time zone (from the handshake), for execution times written without one. */
  zone(): string | null;
  /** Today's executions as IB reports them (reqExecutions), for an order reported filled without its execution. */
  readExecutions(): Promise<Exec[]>;
  readonly timers: Timers;
  readonly events: PortEvents;
  readonly commissionWaitMs: number;
  /** How long an order may stand reported filled without its execution before the adapter reads executions back. */
  readonly fillWaitMs: number;
}

/** Times a ref is re-sent under a fresh id after TWS calls its id a duplicate. */
const MAX_ID_RETRIES = 3;

/**
 * Orders and their fills on IB: placing (orderRef = our ref, so a restarted bot recognises its
 * orders), brackets as IB's parent/children with transmit flags, modification in place,
 * cancelling, TWS's order errors (103 duplicate id → a fresh id and the same order again;
 * 201 rejected / 202 cancelled → the order's status), orderStatus without repeats, and
 * executions paired with their commission reports before they become fills.
 */
export class OrderFlow {
  readonly tracker = new OrderTracker();
  readonly commissions = new Commissions();
  private readonly delivered = new DeliveredExecs();
  private readonly watch: FillWatch;
  /** Refs whose id TWS refused (103), waiting for the next nextValidId. */
  private readonly reissue: Tracked[] = [];

  constructor(private readonly ctx: OrderContext) {
    this.watch = new FillWatch(ctx.timers, ctx.fillWaitMs, (id, reported, got) => void this.recover(id, reported, got));
  }

  place(req: OrderRequest): void {
    if (this.tracker.get(req.ref) !== undefined) return;
    const account = this.ctx.account();
    const parent = req.parentRef === undefined ? undefined : this.tracker.get(req.parentRef);
    // Attach to the parent only while it works; a child of a filled parent is a plain OCA member.
    const parentId = parent !== undefined && !isFinal(parent.status) ? parent.orderId : undefined;
    this.send(req, toIbOrder(req, account, parentId === undefined ? {} : { parentId }));
  }

  /**
   * IB's bracket: the entry and the stop go with transmit=false, the target with transmit=true
   * and both children with the entry's id as parentId. The gateway holds the first two until the
   * target arrives, then works the entry and keeps the children inactive until it fills — so
   * IB never holds the position without its stop, however late our fill event comes.
   */
  placeBracket(b: Bracket): void {
    if (this.tracker.get(b.entry.ref) !== undefined) return;
    const account = this.ctx.account();
    const entry = this.send(b.entry, toIbOrder(b.entry, account, { transmit: false }));
    this.send(b.stop, toIbOrder(b.stop, account, { parentId: entry.orderId, transmit: false }));
    this.send(b.target, toIbOrder(b.target, account, { parentId: entry.orderId, transmit: true }));
  }

  /** A modification in place: the same order id again with the new price (IB's way; never cancel + new). */
  modify(ref: string, price: number): void {
    const t = this.tracker.get(ref);
    if (t === undefined || t.ibOrder === undefined || t.contract === undefined) {
      throw new IbBrokerError(IB_ADAPTER.unknownOrder, `modify: no IB order placed by this run has ref '${ref}'`, false);
    }
    if (isFinal(t.status)) throw new IbBrokerError(IB_ADAPTER.unknownOrder, `modify: order '${ref}' is already ${t.status}`, true);
    const type = t.ibOrder.orderType;
    if (type !== 'STP' && type !== 'LMT') throw new IbBrokerError(IB_ADAPTER.unknownOrder, `modify: order '${ref}' is a ${type} order; only stop and limit orders have a price to move`, false);
    this.ctx.account();
    const next: IbOrder = { ...t.ibOrder, transmit: true, ...(type === 'STP' ? { auxPrice: price } : { lmtPrice: price }) };
    t.ibOrder = next;
    this.ctx.api().placeOrder(t.orderId, t.contract, next);
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
    if (isWarning(code) || code === CODES.cancelUnknown || code === CODES.cancelFinished || code === CODES.cannotModify) {
      this.ctx.events.error({ code, ref: t.ref, retryable: isRetryable(code) || code === CODES.cannotModify, message: text });
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
    if (ibStatus === 'Inactive') {
      // Not final (IB may send Submitted next) and not working: said, not passed on as a state.
      this.ctx.events.error({ code: IB_ADAPTER.orderInactive, ref: t.ref, retryable: true, message: `IB reports ${t.ref} (order ${orderId}) Inactive: not working for now; a rejection or cancel would come as error 201/202` });
      return;
    }
    if (filled > 0) this.watch.reported(orderId, filled);
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
  onExecution(a: Exec): void {
    const [, contract, exec] = a;
    if (contract.symbol !== MES.symbol) return;
    const execId = this.admit(exec);
    if (execId === null) return;
    this.watch.delivered(exec.orderId, exec.shares);
    const known = this.tracker.byOrderId(exec.orderId)?.ref;
    const receivedAt = this.ctx.timers.now();
    void this.commissions.wait(exec.execId, this.ctx.timers, this.ctx.commissionWaitMs).then((dollars) => {
      const fill = this.toFill(exec, dollars, known, receivedAt, execId);
      if (dollars === null) this.ctx.events.error({ code: IB_ADAPTER.commissionMissing, ref: fill.orderRef, retryable: true, message: `no commission report for execution ${exec.execId} within ${this.ctx.commissionWaitMs} ms: journalled with commission 0` });
      this.ctx.events.emit('fill', fill);
    });
  }

  /** Fills of a reqExecutions answer, each with its commission (waited for, bounded). */
  async fillsOf(execs: readonly Exec[]): Promise<Fill[]> {
    const out: Fill[] = [];
    const receivedAt = this.ctx.timers.now();
    for (const [, contract, exec] of execs) {
      if (contract.symbol !== MES.symbol) continue;
      const dollars = await this.commissions.wait(exec.execId, this.ctx.timers, this.ctx.commissionWaitMs);
      out.push(this.toFill(exec, dollars, this.tracker.byOrderId(exec.orderId)?.ref, receivedAt, exec.execId));
    }
    return out;
  }

  private send(req: OrderRequest, ibOrder: IbOrder): Tracked {
    const contract = this.ctx.contract();
    const t = this.tracker.register(req.ref, this.ctx.allocateId(), { req, ibOrder, contract });
    this.ctx.api().placeOrder(t.orderId, contract, ibOrder);
    return t;
  }

  /** The id to journal an execution under, or null for a repeat. */
  private admit(exec: Exec[2]): string | null {
    const verdict = this.delivered.offer(exec.execId, exec.permId ?? exec.orderId);
    if (verdict === 'repeat') return null;
    if (verdict === 'new') return exec.execId;
    const id = `${exec.execId}/${exec.permId ?? exec.orderId}`;
    this.ctx.events.error({ code: IB_ADAPTER.execIdReused, retryable: false, message: `IB reused execution id ${exec.execId} for another order (${exec.orderRef ?? exec.orderId}); the fill is journalled as ${id}. A gateway that reuses ids lost its state: check the account` });
    return id;
  }

  private toFill(exec: Exec[2], dollars: number | null, knownRef: string | undefined, receivedAt: number, execId: string): Fill {
    const { fill, timeRead } = fillFromExec(exec, dollars ?? 0, knownRef, { zone: this.ctx.zone(), receivedAt, execId });
    if (!timeRead) this.ctx.events.error({ code: IB_ADAPTER.malformedMessage, ref: fill.orderRef, retryable: true, message: `IB execution ${exec.execId} has an unreadable time '${exec.time}': journalled at the time it arrived` });
    return fill;
  }

  /** An order stood filled without (all) its executions: read them back; alert on what is still missing. */
  private async recover(orderId: number, reported: number, got: number): Promise<void> {
    const ref = this.tracker.byOrderId(orderId)?.ref ?? `ib:${orderId}`;
    try {
      for (const a of await this.ctx.readExecutions()) if (a[2].orderId === orderId) this.onExecution([-1, a[1], a[2]]);
    } catch (e) {
      this.ctx.events.error({ code: IB_ADAPTER.fillMissing, ref, retryable: false, message: `${ref} is reported filled (${reported}) but only ${got} arrived as executions, and reading them back failed: ${e instanceof Error ? e.message : String(e)}. Reconcile from positions` });
      return;
    }
    const missing = this.watch.outstanding(orderId);
    if (missing > 0) {
      this.ctx.events.error({ code: IB_ADAPTER.fillMissing, ref, retryable: false, message: `${ref} is reported filled (${reported}) but ${missing} of it never arrived as an execution, not even in reqExecutions: the journal cannot book it. Reconcile from positions` });
    }
  }
}
