import { Database, SQLiteError } from 'bun:sqlite';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { MIGRATIONS, assertSequential, latestVersion, migrate, readVersion, type Migration } from './migrations.ts';

export interface Store {
  readonly db: Database;
  /** The path it was opened with (':memory:' for an in-memory store). */
  readonly path: string;
  /** Schema version after migrations. */
  readonly version: number;
  /** Commits so far (see transaction.ts): what a benchmark needs to tell fsyncs from the rest. */
  readonly commits: CommitCounts;
  close(): void;
}

/** Outermost commits made through inTransaction / inRelaxedTransaction. */
export interface CommitCounts {
  /** synchronous=FULL: the WAL is fsynced before the commit returns. */
  durable: number;
  /** Wall time spent in durable commits, ms (the fsync dominates it). */
  durableMs: number;
  /** synchronous=NORMAL: atomic, no fsync. */
  relaxed: number;
}

export interface OpenStoreOptions {
  /** The project's migrations unless a test brings its own. */
  readonly migrations?: readonly Migration[];
  /**
   * Run `PRAGMA quick_check` before anything is written. It reads every page (about half a second
   * per 200 MB), which is what finds corruption past the first page. Default true.
   */
  readonly quickCheck?: boolean;
  /**
   * Checkpoint the WAL on a timer (PASSIVE, every this many ms) instead of inside whichever
   * commit crosses SQLite's 1000-page mark: the service's bar path then never pays for a
   * checkpoint's fsyncs. Default: SQLite's automatic checkpoints.
   */
  readonly checkpointEveryMs?: number;
}

export type StoreOpenFailure = 'cannot_open' | 'not_sqlite' | 'corrupt' | 'too_new' | 'no_wal' | 'migration_failed' | 'locked' | 'read_only';

/**
 * The store could not be opened, and the file was left as it was found. These need the operator
 * (move the file aside, restore a backup, upgrade), not a retry; the message names the file.
 */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
  constructor(
    readonly file: string,
    readonly reason: StoreOpenFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const SQLITE_MAGIC = 'SQLite format 3\0';
const SQLITE_HEADER_BYTES = 100;
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the SQLite store at `path` and brings its schema up to date.
 * Every check that can refuse the file runs before the first write to it.
 */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const migrations = options.migrations ?? MIGRATIONS;
  assertSequential(migrations);
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) {
    fs.mkdirSync(nodePath.dirname(path), { recursive: true });
    assertSqliteFileOrAbsent(path);
  }

  let db: Database;
  try {
    db = new Database(path, { create: true, readwrite: true, strict: true });
  } catch (cause) {
    throw new StoreOpenError(path, 'cannot_open', `cannot open store ${path}: ${errorText(cause)}`, { cause });
  }

  try {
    // Before any read, so a second process holding the write lock makes us wait, not fail.
    db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const known = latestVersion(migrations);
    const found = readVersion(db);
    if (found > known) {
      throw new StoreOpenError(
        path,
        'too_new',
        `store ${path} has schema version ${found}, but this build knows versions up to ${known}: ` +
          'it was written by a newer Quant Scalper. Run that version, or point the store at another file. The file was not changed.',
      );
    }
    if (options.quickCheck ?? true) assertIntact(db, path);
    enableWal(db, path, inMemory);
    // In WAL mode NORMAL may lose the last commits on power loss; FULL syncs the WAL on every
    // commit, which a trading journal needs.
    db.run('PRAGMA synchronous = FULL');
    // Per connection and ignored inside a transaction, so it is set here, before migrations.
    db.run('PRAGMA foreign_keys = ON');
    const version = migrateOrExplain(db, path, migrations);
    // close(true) finalizes statements repositories prepared; without it the connection lingers
    // until they are garbage collected, and the WAL is not checkpointed into the file.
    const checkpoints = startCheckpoints(db, inMemory ? undefined : options.checkpointEveryMs);
    return {
      db,
      path,
      version,
      commits: { durable: 0, durableMs: 0, relaxed: 0 },
      close: () => {
        if (checkpoints) clearInterval(checkpoints);
        db.close(true);
      },
    };
  } catch (e) {
    db.close(true);
    throw explain(e, path);
  }
}

/** After a checkpoint resets the WAL, SQLite truncates the file to this size, so disk use stays bounded. */
const WAL_SIZE_LIMIT = 4 * 1024 * 1024;

function startCheckpoints(db: Database, everyMs: number | undefined): ReturnType<typeof setInterval> | null {
  if (everyMs === undefined) return null;
  db.run('PRAGMA wal_autocheckpoint = 0');
  db.run(`PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT}`);
  const timer = setInterval(() => {
    try {
      db.run('PRAGMA wal_checkpoint(PASSIVE)');
    } catch {
      // A busy or closing database: the next tick tries again; the WAL stays valid meanwhile.
    }
  }, everyMs);
  timer.unref();
  return timer;
}

/** SQLite would report a foreign file only on first read; checking the header ourselves means nothing is ever written to it. */
function assertSqliteFileOrAbsent(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new StoreOpenError(file, 'cannot_open', `cannot open store ${file}: ${errorText(cause)}`, { cause });
  }
  if (!stat.isFile()) {
    throw new StoreOpenError(file, 'cannot_open', `cannot open store ${file}: it is not a regular file`);
  }
  // SQLite treats an empty file as a new database.
  if (stat.size === 0) return;
  const header = Buffer.alloc(SQLITE_HEADER_BYTES);
  const fd = fs.openSync(file, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, SQLITE_HEADER_BYTES, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < SQLITE_HEADER_BYTES || header.toString('latin1', 0, SQLITE_MAGIC.length) !== SQLITE_MAGIC) {
    throw new StoreOpenError(
      file,
      'not_sqlite',
      `store ${file} is not a SQLite database; refusing to open it so nothing in it is overwritten. ` +
        'Move it aside or point the store at another path.',
    );
  }
}

function assertIntact(db: Database, file: string): void {
  const rows = db.query<{ quick_check: string }, []>('PRAGMA quick_check').all();
  const problems = rows.map((r) => r.quick_check).filter((msg) => msg !== 'ok');
  if (problems.length > 0) throw corrupt(file, problems.slice(0, 3).join('; '));
}

function enableWal(db: Database, file: string, inMemory: boolean): void {
  const row = db.query<{ journal_mode: string }, []>('PRAGMA journal_mode = WAL').get();
  // An in-memory database has no WAL and reports 'memory'; a file that stays in another mode
  // is on a file system without shared memory (some network mounts).
  if (!inMemory && row?.journal_mode !== 'wal') {
    throw new StoreOpenError(
      file,
      'no_wal',
      `store ${file} could not be switched to WAL (journal_mode is ${row?.journal_mode ?? 'unknown'}); put it on a local disk.`,
    );
  }
}

function migrateOrExplain(db: Database, file: string, migrations: readonly Migration[]): number {
  const before = readVersion(db);
  try {
    return migrate(db, migrations);
  } catch (cause) {
    const detail = explain(cause, file);
    if (detail instanceof StoreOpenError) throw detail;
    const reached = readVersion(db);
    throw new StoreOpenError(
      file,
      'migration_failed',
      `store ${file}: ${errorText(cause)}; the schema stays at version ${reached} (was ${before}). Nothing of that migration was kept.`,
      { cause },
    );
  }
}

/** Maps SQLite's file-level errors, which never mention the file, to ones that do. */
function explain(e: unknown, file: string): unknown {
  if (e instanceof StoreOpenError) return e;
  const sqlite = e instanceof SQLiteError ? e : e instanceof Error && e.cause instanceof SQLiteError ? e.cause : null;
  const code = sqlite?.code ?? '';
  if (code === 'SQLITE_NOTADB') {
    return new StoreOpenError(file, 'not_sqlite', `store ${file} is not a SQLite database (${sqlite?.message}); the file was not changed.`, {
      cause: e,
    });
  }
  if (code.startsWith('SQLITE_CORRUPT')) return corrupt(file, sqlite?.message ?? code, e);
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN') {
    return new StoreOpenError(file, 'read_only', `store ${file} cannot be written (${sqlite?.message}): check that its directory is writable and not mounted read-only; the file was not changed.`, { cause: e });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreOpenError(file, 'locked', `store ${file} is locked by another process (${sqlite?.message}); stop the other Quant Scalper or sqlite3 session using it.`, { cause: e });
  }
  if (code.startsWith('SQLITE_FULL') || code.startsWith('SQLITE_IOERR')) {
    return new StoreOpenError(file, 'cannot_open', `store ${file} cannot be written (${sqlite?.message}): free disk space on its file system; the file was not changed.`, { cause: e });
  }
  return e;
}

function corrupt(file: string, detail: string, cause?: unknown): StoreOpenError {
  return new StoreOpenError(
    file,
    'corrupt',
    `store ${file} is corrupt (${detail}); it was not changed. Restore a backup or move it aside (keep it: the trade journal may be recoverable with sqlite3 .recover).`,
    { cause },
  );
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
