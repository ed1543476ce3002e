import type { Database } from 'bun:sqlite';
import type { Migration } from './migration.ts';
export type { Migration } from './migration.ts';
import { research } from './migrations/001-research.ts';
import { liveTrading } from './migrations/002-live-trading.ts';
import { crashSafety } from './migrations/003-crash-safety.ts';
import { bars } from './migrations/004-bars.ts';
import { transitionMarketTime } from './migrations/005-transition-market-time.ts';

/**
 * Schema changes, applied in order, each in its own transaction, and recorded in
 * `PRAGMA user_version` (it lives in the file header, so it commits or rolls back with the change).
 *
 * To add a migration:
 *   1. create `src/store/migrations/NNN-name.ts` exporting a `Migration` whose `version` is the
 *      last one here plus one (e.g. `003-name.ts` with `version: 3`);
 *   2. append it to `MIGRATIONS` below.
 * Never edit or reorder a migration that has shipped: databases in the field already ran it.
 * A migration that needs data as well as DDL can be a function; it runs inside the transaction.
 */
export const MIGRATIONS: readonly Migration[] = [research, liveTrading, crashSafety, bars, transitionMarketTime];

/** The schema version this code writes; a file with a higher one came from newer code. */
export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/** A gap or a duplicate would leave some databases without a table; fail at start-up, not later. */
export function assertSequential(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration "${m.name}" has version ${m.version}, expected ${i + 1}: versions must run 1, 2, 3… without gaps`);
    }
  });
}

export function readVersion(db: Database): number {
  const row = db.query<{ user_version: number }, []>('PRAGMA user_version').get();
  return row?.user_version ?? 0;
}

/**
 * Applies every migration newer than the file's version. BEGIN IMMEDIATE takes the write lock
 * before re-reading the version, so two processes starting together do not both apply one.
 * Throws the failing migration's error; the file stays at the last version that committed.
 */
export function migrate(db: Database, migrations: readonly Migration[]): number {
  for (const m of migrations) {
    const apply = db.transaction(() => {
      if (readVersion(db) >= m.version) return;
      if (typeof m.up === 'string') db.run(m.up);
      else m.up(db);
      // PRAGMA takes no bound parameters; the version is an integer we control.
      db.run(`PRAGMA user_version = ${Math.trunc(m.version)}`);
    });
    try {
      apply.immediate();
    } catch (cause) {
      throw new Error(`migration ${m.version} (${m.name}) failed: ${errorText(cause)}`, { cause });
    }
  }
  return readVersion(db);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
