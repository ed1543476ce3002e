import type { Database, Statement } from 'bun:sqlite';
import type { Fill } from '../domain/trading.ts';
import type { Store } from './db.ts';

export interface StoredFill extends Fill {
  readonly id: number;
}

type FillRow = { exec_id: string; order_ref: string; action: Fill['action']; qty: number; price: number; time: number; commission_cents: number };

const COLUMNS = `id, exec_id AS execId, order_ref AS orderRef, action, qty, price, time, commission_cents AS commissionCents`;

/**
 * Executions as the broker reported them, one row per exec id. IB repeats execution reports
 * (on reconnect, on every reqExecutions), so only the first report of an exec id counts.
 */
export class FillsRepository {
  private readonly db: Database;
  private readonly insertRow: Statement<unknown, [FillRow]>;

  constructor(store: Store) {
    this.db = store.db;
    // ON CONFLICT names the column: INSERT OR IGNORE would also swallow a CHECK failure and lose the fill silently.
    this.insertRow = this.db.prepare(
      `INSERT INTO fills (exec_id, order_ref, action, qty, price, time, commission_cents)
       VALUES ($exec_id, $order_ref, $action, $qty, $price, $time, $commission_cents)
       ON CONFLICT (exec_id) DO NOTHING`,
    );
  }

  /** True when the execution is new; false for a repeat, which leaves the first report as stored. */
  insert(fill: Fill): boolean {
    return (
      this.insertRow.run({
        exec_id: fill.execId,
        order_ref: fill.orderRef,
        action: fill.action,
        qty: fill.qty,
        price: fill.price,
        time: fill.time,
        commission_cents: fill.commissionCents,
      }).changes > 0
    );
  }

  /**
   * IB sends the commission in a separate report after the execution; the fill is stored first
   * (with the commission known then, often 0) and corrected here. False for an unknown exec id.
   */
  setCommission(execId: string, commissionCents: number): boolean {
    return this.db.query<unknown, [number, string]>('UPDATE fills SET commission_cents = ? WHERE exec_id = ?').run(commissionCents, execId).changes > 0;
  }

  byExecId(execId: string): StoredFill | null {
    return this.db.query<StoredFill, [string]>(`SELECT ${COLUMNS} FROM fills WHERE exec_id = ?`).get(execId);
  }

  /** Fills at or after `time`, in time order: what to replay after a reconnect. */
  since(time: number): StoredFill[] {
    return this.db.query<StoredFill, [number]>(`SELECT ${COLUMNS} FROM fills WHERE time >= ? ORDER BY time, id`).all(time);
  }

  forOrder(ref: string): StoredFill[] {
    return this.db.query<StoredFill, [string]>(`SELECT ${COLUMNS} FROM fills WHERE order_ref = ? ORDER BY id`).all(ref);
  }

  /** Time of the newest fill, for the execution filter on reconnect; null before the first fill. */
  lastTime(): number | null {
    return this.db.query<{ t: number | null }, []>('SELECT max(time) AS t FROM fills').get()?.t ?? null;
  }
}
