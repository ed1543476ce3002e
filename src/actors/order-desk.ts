import type { Broker, OrderUpdate } from '../broker/port.ts';
import type { Logger } from '../domain/log.ts';
import type { Fill, OrderRequest } from '../domain/trading.ts';
import type { Repositories } from '../store/repositories.ts';
import type { Clock } from './clock.ts';

/**
 * Where orders meet the journal: every order is written to SQLite (with its client ref) before it
 * goes to the broker, and every fill and status is journalled as it arrives. A ref the journal
 * already has is never sent twice, so a replayed decision after a restart cannot duplicate an order.
 */
export class OrderDesk {
  /** Called when the broker refuses an order outright (not connected, invalid). */
  onRefused: (ref: string, message: string) => void = () => {};

  constructor(
    private readonly broker: Broker,
    private readonly repos: Repositories,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  place(req: OrderRequest): void {
    const fresh = this.repos.orders.insert(req, this.clock.now());
    if (!fresh) {
      this.log.warn('order.duplicate_ref', { ref: req.ref });
      return;
    }
    this.log.info('order.placed', { ref: req.ref, action: req.action, type: req.type, qty: req.qty, price: req.price, oca: req.ocaGroup, reason: req.reason });
    // A broker that throws before returning its promise refuses the order just the same: the
    // journalled order must not stay pending and the caller (an actor's action) must not crash.
    attempt(() => this.broker.placeOrder(req)).catch((e: unknown) => this.refused(req.ref, e));
  }

  cancel(ref: string): void {
    this.log.info('order.cancel', { ref });
    attempt(() => this.broker.cancelOrder(ref)).catch((e: unknown) => this.log.warn('order.cancel_failed', { ref, error: String(e) }));
  }

  async cancelAll(): Promise<void> {
    this.log.info('order.cancel_all');
    await this.broker.cancelAll();
  }

  /** The quantity of a journalled order, or null for an order we never placed. */
  orderQty(ref: string): number | null {
    return this.repos.orders.byRef(ref)?.qty ?? null;
  }

  /** Journals a fill; false when it was already journalled (a repeated execution report). */
  recordFill(fill: Fill): boolean {
    const fresh = this.repos.transaction(() => {
      const isNew = this.repos.fills.insert(fill);
      if (isNew) {
        const fills = this.repos.fills.forOrder(fill.orderRef);
        const qty = fills.reduce((a, f) => a + f.qty, 0);
        const avg = fills.reduce((a, f) => a + f.price * f.qty, 0) / qty;
        const order = this.repos.orders.byRef(fill.orderRef);
        this.repos.orders.updateStatus(fill.orderRef, { status: order && qty >= order.qty ? 'filled' : 'partially_filled', at: this.clock.now(), filledQty: qty, avgFillPrice: avg });
      }
      return isNew;
    });
    if (fresh) this.log.info('fill', { ref: fill.orderRef, action: fill.action, qty: fill.qty, price: fill.price, time: new Date(fill.time).toISOString(), exec: fill.execId });
    return fresh;
  }

  /**
   * Status changes are journalled without an fsync of their own: the broker is the truth for them
   * and reconcile rebuilds them after a crash, while an order's existence (before it is sent) and
   * its fills are written with a full sync.
   */
  recordStatus(u: OrderUpdate): void {
    this.repos.relaxedTransaction(() => this.repos.orders.updateStatus(u.ref, { status: u.status, at: this.clock.now(), brokerId: u.brokerId, lastError: u.message }));
    if (u.status === 'rejected' || u.status === 'cancelled') this.log.info(`order.${u.status}`, { ref: u.ref, message: u.message });
  }

  private refused(ref: string, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.repos.orders.updateStatus(ref, { status: 'rejected', at: this.clock.now(), lastError: message });
    this.log.error('order.refused', { ref, error: message });
    this.onRefused(ref, message);
  }
}

/** Calls the broker now; a synchronous throw becomes a rejected promise. */
function attempt(call: () => Promise<void>): Promise<void> {
  try {
    return call();
  } catch (e) {
    return Promise.reject(e);
  }
}
