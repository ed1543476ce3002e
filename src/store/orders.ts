import type { Database, Statement } from 'bun:sqlite';
import type { ExitReason, Order, OrderAction, OrderRequest, OrderStatus, OrderType } from '../domain/trading.ts';
import type { Store } from './db.ts';
import { checkLimit } from './paging.ts';

export interface StoredOrder extends Order {
  /** Contracts of this order's fills that the engine's position already holds. */
  readonly appliedQty: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastError: string | null;
}

export interface OrderStatusUpdate {
  readonly status: OrderStatus;
  /** Epoch ms of the report, from the caller's clock. */
  readonly at: number;
  readonly brokerId?: number;
  /** Cumulative, as IB reports it; a smaller value than the stored one is ignored. */
  readonly filledQty?: number;
  readonly avgFillPrice?: number;
  readonly lastError?: string;
}

interface OrderRow {
  ref: string;
  broker_id: number | null;
  action: OrderAction;
  type: OrderType;
  qty: number;
  price: number | null;
  oca_group: string | null;
  parent_ref: string | null;
  reason: ExitReason | 'entry' | null;
  status: OrderStatus;
  filled_qty: number;
  avg_fill_price: number | null;
  applied_qty: number;
  created_at: number;
  updated_at: number;
  last_error: string | null;
}

type NewOrderRow = Omit<OrderRow, 'filled_qty' | 'avg_fill_price' | 'applied_qty' | 'updated_at' | 'last_error'>;
type UpdateRow = { ref: string; status: OrderStatus; at: number; broker_id: number | null; filled_qty: number | null; avg_fill_price: number | null; last_error: string | null };

const OPEN = `status IN ('pending', 'submitted', 'partially_filled')`;
const TERMINAL = `status IN ('filled', 'cancelled', 'rejected')`;

/**
 * Our orders, keyed by the client reference we also send to IB as orderRef, so an order can be
 * matched to its broker state after a restart even before we learn its broker id.
 */
export class OrdersRepository {
  private readonly db: Database;
  private readonly insertRow: Statement<unknown, [NewOrderRow]>;
  private readonly updateRow: Statement<OrderRow, [UpdateRow]>;

  constructor(store: Store) {
    this.db = store.db;
    this.insertRow = this.db.prepare(
      `INSERT INTO orders (ref, broker_id, action, type, qty, price, oca_group, parent_ref, reason, status, created_at, updated_at)
       VALUES ($ref, $broker_id, $action, $type, $qty, $price, $oca_group, $parent_ref, $reason, $status, $created_at, $created_at)
       ON CONFLICT (ref) DO NOTHING`,
    );
    // IB's orderStatus messages can arrive late and out of order ("Submitted" after "Filled"), so a
    // terminal order is never reopened and the filled quantity never shrinks. A fill still beats a
    // cancel: an order can fill while its cancel is in flight, and the broker's fill is the fact.
    this.updateRow = this.db.prepare(
      `UPDATE orders SET
         status = $status,
         updated_at = $at,
         broker_id = coalesce($broker_id, broker_id),
         filled_qty = max(filled_qty, coalesce($filled_qty, filled_qty)),
         avg_fill_price = coalesce($avg_fill_price, avg_fill_price),
         last_error = coalesce($last_error, last_error)
       WHERE ref = $ref AND (NOT ${TERMINAL} OR $status = 'filled')
       RETURNING *`,
    );
  }

  /** True when the order is new; a repeated ref (a retried insert after a restart) keeps the first. */
  insert(request: OrderRequest, at: number, init: { readonly status?: OrderStatus; readonly brokerId?: number } = {}): boolean {
    const row: NewOrderRow = {
      ref: request.ref,
      broker_id: init.brokerId ?? null,
      action: request.action,
      type: request.type,
      qty: request.qty,
      price: request.price ?? null,
      oca_group: request.ocaGroup ?? null,
      parent_ref: request.parentRef ?? null,
      reason: request.reason ?? null,
      status: init.status ?? 'pending',
      created_at: at,
    };
    return this.insertRow.run(row).changes > 0;
  }

  /** The order as stored after the update (unchanged if it was already terminal); null for an unknown ref. */
  updateStatus(ref: string, update: OrderStatusUpdate): StoredOrder | null {
    const row = this.updateRow.get({
      ref,
      status: update.status,
      at: update.at,
      broker_id: update.brokerId ?? null,
      filled_qty: update.filledQty ?? null,
      avg_fill_price: update.avgFillPrice ?? null,
      last_error: update.lastError ?? null,
    });
    return row ? toOrder(row) : this.byRef(ref);
  }

  /** Records that the engine now holds `qty` contracts of this order's fills (same transaction as the fill). */
  setApplied(ref: string, qty: number, at: number): void {
    this.db.run('UPDATE orders SET applied_qty = ?, updated_at = ? WHERE ref = ?', [qty, at, ref]);
  }

  /** A working stop or limit moved in place (before the modification is sent). */
  setPrice(ref: string, price: number, at: number): void {
    this.db.run('UPDATE orders SET price = ?, updated_at = ? WHERE ref = ?', [price, at, ref]);
  }

  /** Orders with fills the engine does not hold yet (a crash between a fill and its application cannot leave one, but an old store can). */
  unapplied(): StoredOrder[] {
    return this.db.query<OrderRow, []>('SELECT * FROM orders WHERE filled_qty > applied_qty ORDER BY id').all().map(toOrder);
  }

  /** The newest entry whose fills the engine holds: the entry of the open (or last) position. */
  lastAppliedEntry(): StoredOrder | null {
    const row = this.db.query<OrderRow, []>("SELECT * FROM orders WHERE reason = 'entry' AND applied_qty > 0 ORDER BY id DESC LIMIT 1").get();
    return row ? toOrder(row) : null;
  }

  byRef(ref: string): StoredOrder | null {
    const row = this.db.query<OrderRow, [string]>('SELECT * FROM orders WHERE ref = ?').get(ref);
    return row ? toOrder(row) : null;
  }

  /** The most recent order with that broker id (ids can repeat after an API id reset). */
  byBrokerId(brokerId: number): StoredOrder | null {
    const row = this.db.query<OrderRow, [number]>('SELECT * FROM orders WHERE broker_id = ? ORDER BY id DESC LIMIT 1').get(brokerId);
    return row ? toOrder(row) : null;
  }

  /** Orders not yet filled, cancelled or rejected, oldest first: what boot must reconcile with the broker. */
  open(): StoredOrder[] {
    return this.db.query<OrderRow, []>(`SELECT * FROM orders WHERE ${OPEN} ORDER BY id`).all().map(toOrder);
  }

  /** Newest first. */
  recent(limit: number): StoredOrder[] {
    return this.db.query<OrderRow, [number]>('SELECT * FROM orders ORDER BY id DESC LIMIT ?').all(checkLimit(limit)).map(toOrder);
  }
}

// Absent optional fields stay absent, as in an OrderRequest built by the engine.
function toOrder(r: OrderRow): StoredOrder {
  return {
    ref: r.ref,
    action: r.action,
    type: r.type,
    qty: r.qty,
    ...(r.price === null ? {} : { price: r.price }),
    ...(r.oca_group === null ? {} : { ocaGroup: r.oca_group }),
    ...(r.parent_ref === null ? {} : { parentRef: r.parent_ref }),
    ...(r.reason === null ? {} : { reason: r.reason }),
    ...(r.broker_id === null ? {} : { brokerId: r.broker_id }),
    status: r.status,
    filledQty: r.filled_qty,
    avgFillPrice: r.avg_fill_price,
    appliedQty: r.applied_qty,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastError: r.last_error,
  };
}
