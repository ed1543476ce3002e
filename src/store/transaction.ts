import type { Store } from './db.ts';

/**
 * Runs `work` as one transaction: all of its writes commit together or none do. Inside another
 * transaction it becomes a savepoint, so repositories can use it and still compose.
 *
 * IMMEDIATE takes the write lock up front: a deferred transaction that later needs it can fail
 * with SQLITE_BUSY at once, without waiting out busy_timeout, when another process is writing.
 */
export function inTransaction<T>(store: Store, work: () => T): T {
  if (store.db.inTransaction) return store.db.transaction(work).immediate();
  const started = performance.now();
  const out = store.db.transaction(work).immediate();
  store.commits.durable++;
  store.commits.durableMs += performance.now() - started;
  return out;
}

/**
 * A transaction for facts that can be rebuilt (the engine's per-bar mark-to-market snapshot):
 * committed without waiting for the disk (synchronous=NORMAL; WAL still makes it atomic and safe
 * against a process crash), so the bar path does not pay an fsync. A power cut can lose only the
 * last such snapshots, and the bar that produced them is decided again on boot. The trading
 * journal (orders, fills, trades) keeps synchronous=FULL: the setting is restored afterwards.
 */
export function inRelaxedTransaction<T>(store: Store, work: () => T): T {
  if (store.db.inTransaction) return store.db.transaction(work).immediate();
  // Prepared once per connection (query caches them): this runs on every bar.
  store.db.query('PRAGMA synchronous = NORMAL').run();
  try {
    const out = store.db.transaction(work).immediate();
    store.commits.relaxed++;
    return out;
  } finally {
    store.db.query('PRAGMA synchronous = FULL').run();
  }
}
