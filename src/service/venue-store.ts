import type { Database } from 'bun:sqlite';
import { parseVenueState, type VenueDelta, type VenueStateStore } from '../broker/sim/venue-state.ts';
import type { Store } from '../store/db.ts';
import { crashPoint } from '../store/crash-points.ts';
import { inRelaxedTransaction } from '../store/transaction.ts';

/**
 * The paper exchange's account, kept in the service's SQLite file as rows (orders, executions, a
 * small account row), so a save writes only what changed and the WAL stays small however long the
 * account's history grows. A kill -9 loses nothing: each save is one transaction; it skips the
 * fsync (a power cut may lose the last bar of a paper account, never the journal).
 */
export function sqliteVenueStore(store: Store): VenueStateStore {
  const db: Database = store.db;
  const upsertOrder = db.prepare(`INSERT INTO sim_orders (ref, order_json) VALUES (?, ?) ON CONFLICT (ref) DO UPDATE SET order_json = excluded.order_json`);
  const deleteOrder = db.prepare(`DELETE FROM sim_orders WHERE ref = ?`);
  const insertExec = db.prepare(`INSERT INTO sim_executions (exec_json) VALUES (?)`);
  const trimExecs = db.prepare(`DELETE FROM sim_executions WHERE seq <= (SELECT max(seq) FROM sim_executions) - ?`);
  const putAccount = db.prepare(`INSERT INTO sim_account (id, account_json) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET account_json = excluded.account_json`);
  return {
    load: () => {
      const account = db.query<{ account_json: string }, []>(`SELECT account_json FROM sim_account WHERE id = 1`).get();
      if (account === null) return null;
      const orders = db.query<{ order_json: string }, []>(`SELECT order_json FROM sim_orders ORDER BY seq`).all().map((r) => JSON.parse(r.order_json) as unknown);
      const executions = db.query<{ exec_json: string }, []>(`SELECT exec_json FROM sim_executions ORDER BY seq`).all().map((r) => JSON.parse(r.exec_json) as unknown);
      return parseVenueState({ version: 1, ...(JSON.parse(account.account_json) as object), orders, executions });
    },
    save: (d: VenueDelta) => {
      inRelaxedTransaction(store, () => {
        for (const ref of d.removedOrders) deleteOrder.run(ref);
        for (const o of d.orders) upsertOrder.run(o.ref, JSON.stringify(o));
        for (const e of d.executions) insertExec.run(JSON.stringify(e));
        if (d.executions.length > 0) trimExecs.run(d.keepExecutions);
        putAccount.run(JSON.stringify(d.account));
      });
      crashPoint('venue saved');
    },
  };
}
