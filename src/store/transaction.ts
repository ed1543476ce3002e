import type { Store } from './db.ts';

/**
 * Runs `work` as one transaction: all of its writes commit together or none do. Inside another
 * transaction it becomes a savepoint, so repositories can use it and still compose.
 *
 * IMMEDIATE takes the write lock up front: a deferred transaction that later needs it can fail
 * with SQLITE_BUSY at once, without waiting out busy_timeout, when another process is writing.
 */
export function inTransaction<T>(store: Store, work: () => T): T {
  return store.db.transaction(work).immediate();
}
