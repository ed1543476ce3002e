import type { Timers } from './orders.ts';

type Entry = { reported: number; delivered: number; timer: unknown; overdue: boolean };

/**
 * Orders IB reports filled for more than the executions that arrived for them. TWS sends the
 * order status and the execution separately, in either order; an execution that never comes
 * (lost, or repeated under an id already seen) would leave the fill unjournalled and the
 * position actor waiting for good. Each such order gets `waitMs`; then `onOverdue` runs once
 * (the adapter reads the executions back and alerts on what is still missing).
 */
export class FillWatch {
  private readonly orders = new Map<number, Entry>();

  constructor(
    private readonly timers: Timers,
    private readonly waitMs: number,
    private readonly onOverdue: (orderId: number, reported: number, delivered: number) => void,
  ) {}

  /** orderStatus said `filledQty` of `orderId` is done. */
  reported(orderId: number, filledQty: number): void {
    const o = this.entry(orderId);
    o.reported = Math.max(o.reported, filledQty);
    this.check(orderId, o);
  }

  /** An execution of `qty` for `orderId` arrived (live or read back). */
  delivered(orderId: number, qty: number): void {
    const o = this.entry(orderId);
    o.delivered += qty;
    this.check(orderId, o);
  }

  /** Reported but not delivered, in contracts. */
  outstanding(orderId: number): number {
    const o = this.orders.get(orderId);
    return o === undefined ? 0 : Math.max(0, o.reported - o.delivered);
  }

  private entry(orderId: number): Entry {
    let o = this.orders.get(orderId);
    if (o === undefined) {
      if (this.orders.size > 5_000) this.orders.delete(this.orders.keys().next().value!);
      o = { reported: 0, delivered: 0, timer: null, overdue: false };
      this.orders.set(orderId, o);
    }
    return o;
  }

  private check(orderId: number, o: Entry): void {
    if (o.delivered >= o.reported) {
      if (o.timer !== null) this.timers.clearTimeout(o.timer);
      o.timer = null;
      return;
    }
    // One read-back per order: what is still missing after it is for the operator.
    if (o.timer !== null || o.overdue) return;
    o.timer = this.timers.setTimeout(() => {
      o.timer = null;
      if (o.delivered >= o.reported) return;
      o.overdue = true;
      this.onOverdue(orderId, o.reported, o.delivered);
    }, this.waitMs);
  }
}

/**
 * Execution ids delivered, with the perm id of the order each belonged to (bounded). IB's ids
 * are unique, so the same id again for the same order is a repeat (TWS repeats executions after
 * a reconnect); the same id for another order is an id reused by a gateway that lost its state,
 * and that fill is real: it gets a distinct id (`id/permId`) so the journal takes it.
 */
export class DeliveredExecs {
  private readonly ids = new Map<string, number>();
  constructor(private readonly keep = 5_000) {}

  /** 'new' the first time; 'repeat' for the same order again; 'reused' for another order. */
  offer(execId: string, permId: number): 'new' | 'repeat' | 'reused' {
    const known = this.ids.get(execId);
    if (known === permId) return 'repeat';
    if (known !== undefined) return this.ids.has(`${execId}/${permId}`) ? 'repeat' : (this.remember(`${execId}/${permId}`, permId), 'reused');
    this.remember(execId, permId);
    return 'new';
  }

  private remember(id: string, permId: number): void {
    this.ids.set(id, permId);
    if (this.ids.size > this.keep) this.ids.delete(this.ids.keys().next().value!);
  }
}
