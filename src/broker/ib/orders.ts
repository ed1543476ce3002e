import type { Contract, Order as IbOrder } from '@stoqey/ib';
import type { OrderRequest, OrderStatus } from '../../domain/trading.ts';
import type { OrderUpdate } from '../port.ts';
import { isFinal } from './mapper.ts';

/** An order the adapter knows: ours (placed this run, with what is needed to resend it) or learnt from IB. */
export interface Tracked {
  readonly ref: string;
  orderId: number;
  readonly req?: OrderRequest;
  /** Mutable: a modification re-sends the order with new prices under the same id. */
  ibOrder?: IbOrder;
  readonly contract?: Contract;
  status: OrderStatus;
  filledQty: number;
  avgFillPrice: number | null;
  /** What the last emitted update said, so a repeated orderStatus is not passed on. */
  lastKey: string;
  /** Times TWS refused the id as a duplicate (103). */
  idRetries: number;
}

/**
 * ref ↔ IB order id, and the last status passed on for each order. TWS repeats orderStatus
 * (after every openOrder, on reconnect, for each partial fill); the actors must see each change
 * once. A final state (filled, cancelled, rejected) is never left again.
 */
export class OrderTracker {
  private readonly byRef = new Map<string, Tracked>();
  private readonly byId = new Map<number, Tracked>();

  get(ref: string): Tracked | undefined {
    return this.byRef.get(ref);
  }

  byOrderId(id: number): Tracked | undefined {
    return this.byId.get(id);
  }

  register(ref: string, orderId: number, extra: { req?: OrderRequest; ibOrder?: IbOrder; contract?: Contract; status?: OrderStatus } = {}): Tracked {
    const t: Tracked = { ref, orderId, ...extra, status: extra.status ?? 'pending', filledQty: 0, avgFillPrice: null, lastKey: '', idRetries: 0 };
    this.byRef.set(ref, t);
    this.byId.set(orderId, t);
    return t;
  }

  /** An order seen in openOrder (placed before a restart): remember its id so it can be cancelled. */
  learn(ref: string, orderId: number, status: OrderStatus): Tracked {
    const known = this.byRef.get(ref);
    if (known !== undefined) {
      if (known.orderId !== orderId) this.rekey(known, orderId);
      return known;
    }
    return this.register(ref, orderId, { status });
  }

  rekey(t: Tracked, orderId: number): void {
    this.byId.delete(t.orderId);
    t.orderId = orderId;
    this.byId.set(orderId, t);
  }

  /** The update to pass on, or null when it repeats the last one or would leave a final state. */
  update(t: Tracked, status: OrderStatus, filledQty: number, avgFillPrice: number | null, time: number, message?: string): OrderUpdate | null {
    const key = `${status}|${filledQty}|${avgFillPrice ?? ''}`;
    if (key === t.lastKey || (isFinal(t.status) && t.lastKey !== '' && status !== t.status)) return null;
    t.lastKey = key;
    t.status = status;
    t.filledQty = filledQty;
    t.avgFillPrice = avgFillPrice;
    return { ref: t.ref, status, filledQty, avgFillPrice, brokerId: t.orderId, time, ...(message === undefined || message === '' ? {} : { message }) };
  }

  working(): Tracked[] {
    return [...this.byRef.values()].filter((t) => !isFinal(t.status));
  }
}

/** Replaceable timers (the service passes its clock, so tests drive time). */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/**
 * Commission reports by execId. TWS sends execDetails and then, separately, a commissionReport
 * for the same execId; a fill is journalled with its commission, so whoever holds an execution
 * waits here for its report. Reports are kept (bounded) for executions read again later, e.g.
 * in a reqExecutions answer after a reconnect.
 */
export class Commissions {
  private readonly known = new Map<string, number>();
  private readonly waiters = new Map<string, Set<(dollars: number) => void>>();
  private static readonly KEEP = 5_000;

  report(execId: string, dollars: number): void {
    this.known.delete(execId);
    this.known.set(execId, dollars);
    if (this.known.size > Commissions.KEEP) this.known.delete(this.known.keys().next().value!);
    const ws = this.waiters.get(execId);
    this.waiters.delete(execId);
    for (const w of ws ?? []) w(dollars);
  }

  /** The commission in dollars once reported; null if none came within `ms`. */
  wait(execId: string, timers: Timers, ms: number): Promise<number | null> {
    const known = this.known.get(execId);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve) => {
      const set = this.waiters.get(execId) ?? new Set();
      const done = (d: number | null) => {
        set.delete(onReport);
        timers.clearTimeout(timer);
        resolve(d);
      };
      const onReport = (d: number) => done(d);
      const timer = timers.setTimeout(() => done(null), ms);
      set.add(onReport);
      this.waiters.set(execId, set);
    });
  }
}

/** Execution ids already delivered as fills (bounded), so a repeated execDetails is not a second fill. */
export class SeenIds {
  private readonly ids = new Set<string>();
  constructor(private readonly keep = 5_000) {}

  /** True the first time an id is offered. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.keep) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}
