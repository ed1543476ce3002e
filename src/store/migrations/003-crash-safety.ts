import type { Migration } from '../migration.ts';

/**
 * Crash safety. `orders.applied_qty`: how much of an order's fills the engine's position already
 * holds, written in the same transaction as the fill and the engine snapshot, so a restart knows
 * exactly which fills are still to be applied. The paper venue's account moves from one JSON fact
 * rewritten at every bar phase to rows, so a save writes only what changed. Breaker events gain the
 * halt reasons `reconcile` and `store` (SQLite widens a CHECK only by rebuilding the table).
 */
export const crashSafety: Migration = {
  version: 3,
  name: 'crash safety',
  up: (db) => {
    db.run(`ALTER TABLE orders ADD COLUMN applied_qty INTEGER NOT NULL DEFAULT 0 CHECK (applied_qty >= 0)`);
    // Orders that finished before this column existed were applied by the code that wrote them.
    db.run(`UPDATE orders SET applied_qty = filled_qty`);
    db.run(`CREATE TABLE breaker_events_new (
      id     INTEGER PRIMARY KEY,
      time   INTEGER NOT NULL,
      kind   TEXT    NOT NULL CHECK (kind IN ('trip', 'reset', 'cooldown', 'cooldown_end')),
      reason TEXT    CHECK (reason IN ('daily_loss', 'drawdown', 'consecutive_losses', 'supervisor', 'manual', 'session', 'reconcile', 'store')),
      detail TEXT,
      until  INTEGER
    ) STRICT`);
    db.run(`INSERT INTO breaker_events_new SELECT id, time, kind, reason, detail, until FROM breaker_events`);
    db.run(`DROP TABLE breaker_events`);
    db.run(`ALTER TABLE breaker_events_new RENAME TO breaker_events`);
    db.run(`CREATE TABLE sim_orders (seq INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, order_json TEXT NOT NULL) STRICT`);
    db.run(`CREATE TABLE sim_executions (seq INTEGER PRIMARY KEY, exec_json TEXT NOT NULL) STRICT`);
    db.run(`CREATE TABLE sim_account (id INTEGER PRIMARY KEY CHECK (id = 1), account_json TEXT NOT NULL) STRICT`);
    // A paper account saved the old way: split into rows so nothing of it is lost.
    const old = db.query<{ value_json: string }, []>(`SELECT value_json FROM facts WHERE key = 'simVenue'`).get();
    if (old) {
      const { orders = [], executions = [], version: _v, ...account } = JSON.parse(old.value_json) as Record<string, unknown> & { orders?: unknown[]; executions?: unknown[] };
      const insOrder = db.prepare(`INSERT INTO sim_orders (ref, order_json) VALUES (?, ?)`);
      for (const o of orders) insOrder.run((o as { ref: string }).ref, JSON.stringify(o));
      const insExec = db.prepare(`INSERT INTO sim_executions (exec_json) VALUES (?)`);
      for (const e of executions) insExec.run(JSON.stringify(e));
      db.run(`INSERT INTO sim_account (id, account_json) VALUES (1, ?)`, [JSON.stringify(account)]);
      db.run(`DELETE FROM facts WHERE key = 'simVenue'`);
    }
  },
};
