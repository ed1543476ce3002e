import type { Broker, OrderUpdate } from '../broker/port.ts';
import type { Logger } from '../domain/log.ts';
import type { Fill, OrderRequest } from '../domain/trading.ts';
import type { BracketOrders } from '../engine/orders.ts';
import { crashPoint } from '../store/crash-points.ts';
import { isStoreFailure } from '../store/failure.ts';
import type { StoredFill } from '../store/fills.ts';
import type { StoredOrder } from '../store/orders.ts';
import type { Repositories } from '../store/repositories.ts';
import type { Clock } from './clock.ts';
import type { FillApplication, FillEffect, TradingCore } from './trading-core.ts';

/** A fill as the position actor hears it: one order's fills combined, and what they did. */
export interface AppliedFill {
  readonly fill: Fill;
  readonly effect: FillEffect;
}

const ENDED = new Set(['cancelled', 'rejected']);

/**
 * Where orders meet the journal. Every order is written to SQLite (with its client ref) before it
 * goes to the broker; a ref the journal already has is never sent twice, so a replayed decision
 * after a restart cannot duplicate an order. Every fill is journalled together with the position
 * it changes (the engine snapshot) and the order status it implies, in one transaction: there is
 * no moment at which the journal has a fill the engine does not, or the reverse.
 */
export class OrderDesk {
  /** The broker refused an order outright, or the journal could not record it, so it was never sent. */
  onRefused: (ref: string, message: string) => void = () => {};
  /** A journal write failed for want of disk, permissions or a lock: trading must stop entries. */
  onStoreFailure: (error: unknown) => void = () => {};

  constructor(
    private readonly broker: Broker,
    private readonly repos: Repositories,
    private readonly core: TradingCore,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** An entry with its stop and target: journalled together, then sent together. False when nothing was sent. */
  placeBracket(b: BracketOrders): boolean {
    const now = this.clock.now();
    const fresh = this.journal(b.entry.ref, () => this.repos.transaction(() => [b.entry, b.stop, b.target].map((o) => this.repos.orders.insert(o, now))));
    if (fresh === null) return false;
    if (!fresh[0]) {
      this.log.warn('order.duplicate_ref', { ref: b.entry.ref });
      return false;
    }
    this.log.info('order.bracket', { ref: b.entry.ref, action: b.entry.action, qty: b.entry.qty, stop: b.stop.price, target: b.target.price });
    this.send(b.entry.ref, () => this.broker.placeBracket(b), [b.stop.ref, b.target.ref]);
    return true;
  }

  /** One order (an exit, a flatten's close, a repaired stop). False when nothing was sent. */
  place(req: OrderRequest): boolean {
    const fresh = this.journal(req.ref, () => this.repos.transaction(() => this.repos.orders.insert(req, this.clock.now())));
    if (fresh === null) return false;
    if (!fresh) {
      this.log.warn('order.duplicate_ref', { ref: req.ref });
      return false;
    }
    this.log.info('order.placed', { ref: req.ref, action: req.action, type: req.type, qty: req.qty, price: req.price, oca: req.ocaGroup, reason: req.reason });
    this.send(req.ref, () => this.broker.placeOrder(req));
    return true;
  }

  /** Moves a working stop or target; the new price is journalled first. */
  modify(ref: string, price: number): void {
    if (this.journal(ref, () => this.repos.transaction(() => this.repos.orders.setPrice(ref, price, this.clock.now()))) === null) return;
    this.log.info('order.modify', { ref, price });
    crashPoint(`modify ${ref}`);
    attempt(() => this.broker.modifyOrder(ref, price)).catch((e: unknown) => this.log.warn('order.modify_failed', { ref, error: String(e) }));
  }

  cancel(ref: string): void {
    this.log.info('order.cancel', { ref });
    crashPoint(`cancel ${ref}`);
    attempt(() => this.broker.cancelOrder(ref)).catch((e: unknown) => this.log.warn('order.cancel_failed', { ref, error: String(e) }));
  }

  async cancelAll(): Promise<void> {
    this.log.info('order.cancel_all');
    crashPoint('cancelAll');
    await this.broker.cancelAll();
  }

  /**
   * Journals an execution and, once its order is complete (or has ended part-filled), applies the
   * order's fills to the engine in the same transaction. Null when the execution was already
   * journalled or the journal could not be written; otherwise what the position actor must hear
   * (`applied` null while the order is still filling).
   */
  recordFill(fill: Fill): { readonly applied: AppliedFill | null } | null {
    try {
      const result = this.core.transact(() => {
        if (!this.repos.fills.insert(fill)) return null;
        const order = this.repos.orders.byRef(fill.orderRef);
        if (order === null) return { applied: null, foreign: true };
        const fills = this.repos.fills.forOrder(fill.orderRef);
        const qty = fills.reduce((a, f) => a + f.qty, 0);
        const avg = fills.reduce((a, f) => a + f.price * f.qty, 0) / qty;
        const updated = this.repos.orders.updateStatus(fill.orderRef, { status: qty >= order.qty ? 'filled' : 'partially_filled', at: this.clock.now(), filledQty: Math.min(qty, order.qty), avgFillPrice: avg });
        const due = qty >= order.qty || ENDED.has(order.status);
        return { applied: due ? this.applyRest(updated ?? order, fills, fill.time) : null, foreign: false };
      });
      if (result === null) return null;
      this.log.info('fill', { ref: fill.orderRef, action: fill.action, qty: fill.qty, price: fill.price, time: new Date(fill.time).toISOString(), exec: fill.execId, foreign: result.foreign || undefined });
      return { applied: result.applied };
    } catch (e) {
      this.failed('fill', fill.orderRef, e);
      return null;
    }
  }

  /**
   * Journals a status. Filled quantities come from executions only, never from a status (IB may
   * report Filled before, or without, the execution). An order that ends part-filled has its
   * filled part applied to the engine in the same transaction.
   */
  recordStatus(u: OrderUpdate): AppliedFill | null {
    const status = u.status === 'filled' || u.status === 'partially_filled' ? null : u.status;
    try {
      return this.core.transact(
        () => {
          const order = status === null ? this.repos.orders.byRef(u.ref) : this.repos.orders.updateStatus(u.ref, { status, at: this.clock.now(), brokerId: u.brokerId, lastError: u.message });
          if (status === null && order !== null && u.brokerId !== undefined && order.brokerId === undefined) this.repos.orders.updateStatus(u.ref, { status: order.status, at: this.clock.now(), brokerId: u.brokerId });
          if (order === null || status === null || !ENDED.has(order.status) || order.filledQty <= order.appliedQty) return null;
          return this.applyRest(order, this.repos.fills.forOrder(u.ref), u.time);
        },
        { relaxed: status === null || !ENDED.has(status) },
      );
    } catch (e) {
      this.failed('status', u.ref, e);
      return null;
    } finally {
      if (u.status === 'rejected' || u.status === 'cancelled') this.log.info(`order.${u.status}`, { ref: u.ref, message: u.message });
    }
  }

  /** Applies the part of the order's fills the engine does not hold yet, at the average price of that part. */
  private applyRest(order: StoredOrder, fills: readonly StoredFill[], time: number): AppliedFill | null {
    const total = Math.min(order.qty, fills.reduce((a, f) => a + f.qty, 0));
    const qty = total - order.appliedQty;
    if (qty <= 0) return null;
    const price = averageAfter(fills, order.appliedQty, qty);
    const app: FillApplication = { orderRef: order.ref, tradeRef: order.appliedQty === 0 ? order.ref : `${order.ref}/${order.appliedQty}`, reason: order.reason ?? null, action: order.action, qty, price, time };
    const effect = this.core.applyFill(app);
    this.repos.orders.setApplied(order.ref, total, this.clock.now());
    const last = fills.at(-1)!;
    return { fill: { orderRef: order.ref, execId: last.execId, action: order.action, qty, price, time, commissionCents: fills.reduce((a, f) => a + f.commissionCents, 0) }, effect };
  }

  /** Runs a journal write; on failure reports it, refuses the order and returns null. */
  private journal<T>(ref: string, write: () => T): T | null {
    try {
      const out = write();
      crashPoint(`journalled ${ref}`);
      return out;
    } catch (e) {
      this.failed('order', ref, e);
      this.onRefused(ref, `not sent: the journal could not record it (${errorText(e)})`);
      return null;
    }
  }

  private send(ref: string, call: () => Promise<void>, legs: readonly string[] = []): void {
    // A broker that throws before returning its promise refuses the order just the same: the
    // journalled order must not stay pending and the caller (an actor's action) must not crash.
    attempt(call)
      .then(() => crashPoint(`sent ${ref}`))
      .catch((e: unknown) => this.refused(ref, e, legs));
  }

  private failed(what: string, ref: string, e: unknown): void {
    this.log.error(`journal.${what}_failed`, { ref, error: errorText(e) });
    if (isStoreFailure(e)) this.onStoreFailure(e);
  }

  /** The broker refused the order (and the legs sent with it): none of them is working. */
  private refused(ref: string, e: unknown, legs: readonly string[] = []): void {
    const message = errorText(e);
    try {
      this.repos.transaction(() => {
        for (const r of [ref, ...legs]) this.repos.orders.updateStatus(r, { status: 'rejected', at: this.clock.now(), lastError: r === ref ? message : `its entry ${ref} was refused` });
      });
    } catch (err) {
      this.failed('status', ref, err);
    }
    this.log.error('order.refused', { ref, error: message });
    this.onRefused(ref, message);
  }
}

/** Average price of `qty` contracts of `fills` after skipping the first `skip` contracts. */
function averageAfter(fills: readonly StoredFill[], skip: number, qty: number): number {
  let left = skip;
  let want = qty;
  let notional = 0;
  for (const f of fills) {
    const skipped = Math.min(left, f.qty);
    left -= skipped;
    const take = Math.min(want, f.qty - skipped);
    notional += take * f.price;
    want -= take;
    if (want === 0) break;
  }
  return notional / qty;
}

/** Calls the broker now; a synchronous throw becomes a rejected promise. */
function attempt(call: () => Promise<void>): Promise<void> {
  try {
    return call();
  } catch (e) {
    return Promise.reject(e);
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
