import { Database } from 'bun:sqlite';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { StoreOpenError } from './db.ts';

export interface StoreLock {
  release(): void;
}

/**
 * One service per store. The lock is a small SQLite file beside the store (`<store>.lock`) whose
 * write lock the service holds for its whole life: the operating system releases it when the
 * process dies, however it dies, so a kill -9 never leaves a stale lock. The holder's pid is
 * written there first, so a second service can say who holds it.
 */
export function acquireStoreLock(storePath: string): StoreLock {
  if (storePath === ':memory:' || storePath === '') return { release: () => {} };
  const file = `${storePath}.lock`;
  try {
    fs.mkdirSync(nodePath.dirname(file), { recursive: true });
  } catch (cause) {
    throw new StoreOpenError(storePath, 'cannot_open', `cannot create the directory of store ${storePath}: ${(cause as Error).message}; create it or point store.path elsewhere`, { cause });
  }
  let db: Database;
  try {
    db = new Database(file, { create: true, readwrite: true });
    db.run('PRAGMA journal_mode = DELETE');
    db.run('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, since TEXT NOT NULL)');
  } catch (cause) {
    throw new StoreOpenError(storePath, 'cannot_open', `cannot open the lock file ${file}: ${(cause as Error).message}; check the directory's permissions`, { cause });
  }
  try {
    db.run('BEGIN IMMEDIATE');
    // Our pid, committed so others can read it; then the write lock is taken again and held.
    db.run('INSERT INTO holder (id, pid, since) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, since = excluded.since', [process.pid, new Date().toISOString()]);
    db.run('COMMIT');
    db.run('BEGIN IMMEDIATE');
  } catch (cause) {
    const code = (cause as { code?: string }).code ?? '';
    const holder = safeHolder(db);
    db.close();
    if (code.startsWith('SQLITE_READONLY')) {
      throw new StoreOpenError(storePath, 'read_only', `store ${storePath} cannot be written: its directory is read-only (the lock file ${file} cannot be updated); remount it read-write or point store.path elsewhere`, { cause });
    }
    throw new StoreOpenError(
      storePath,
      'locked',
      `store ${storePath} is in use by another Quant Scalper service${holder ? ` (pid ${holder.pid}, since ${holder.since})` : ''}; stop it first (systemctl stop quant-scalper, or kill ${holder?.pid ?? '<pid>'}), or point store.path at another file`,
      { cause },
    );
  }
  return {
    release: () => {
      try {
        db.run('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}

function safeHolder(db: Database): { pid: number; since: string } | null {
  try {
    return db.query<{ pid: number; since: string }, []>('SELECT pid, since FROM holder WHERE id = 1').get();
  } catch {
    return null;
  }
}
