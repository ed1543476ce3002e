import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore, StoreOpenError, type Store } from '../../src/store/db.ts';
import { MIGRATIONS, type Migration } from '../../src/store/migrations.ts';
import { RunsRepository } from '../../src/store/runs.ts';
import { backtest, tempDir, trades } from './builders.ts';

let dir: string;
let file: string;
const open: Store[] = [];

function openTracked(p: string, options?: Parameters<typeof openStore>[1]): Store {
  const store = openStore(p, options);
  open.push(store);
  return store;
}

/** The pragma's value whatever SQLite names its column (busy_timeout answers as "timeout"). */
function pragma<T>(store: Store, name: string): T {
  const row = store.db.query<Record<string, T>, []>(`PRAGMA ${name}`).get();
  return Object.values(row ?? {})[0] as T;
}

function openError(fn: () => unknown): StoreOpenError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreOpenError) return e;
    throw e;
  }
  throw new Error('expected openStore to refuse the file');
}

function tables(store: Store): string[] {
  return store.db
    .query<{ name: string }, []>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => r.name);
}

beforeEach(() => {
  dir = tempDir();
  file = path.join(dir, 'nested', 'deeper', 'store.db');
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('openStore on a new file', () => {
  test('creates the parent directories and the file', () => {
    openTracked(file);
    expect(fs.statSync(file).isFile()).toBe(true);
  });

  test('sets WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    const store = openTracked(file);
    expect(pragma<string>(store, 'journal_mode')).toBe('wal');
    // FULL is also SQLite's compiled-in default; this pins it against a later "NORMAL is faster".
    expect(pragma<number>(store, 'synchronous')).toBe(2);
    expect(pragma<number>(store, 'foreign_keys')).toBe(1);
    expect(pragma<number>(store, 'busy_timeout')).toBe(5000);
  });

  test('WAL is recorded in the file itself, so other connections use it too', () => {
    openTracked(file).close();
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.query<{ journal_mode: string }, []>('PRAGMA journal_mode').get()?.journal_mode).toBe('wal');
    } finally {
      raw.close();
    }
  });

  test('applies every migration and records the last version', () => {
    const store = openTracked(file);
    expect(store.version).toBe(MIGRATIONS.length);
    expect(pragma<number>(store, 'user_version')).toBe(MIGRATIONS.length);
    expect(tables(store)).toEqual([
      'audit', 'breaker_events', 'daily_pnl', 'facts', 'fills', 'journal_trades', 'orders', 'outbox',
      'run_folds', 'run_grid_rows', 'run_trades', 'runs', 'sim_account', 'sim_executions', 'sim_orders', 'sqlite_sequence', 'transitions',
    ]);
  });

  test('close releases the file even after a repository prepared statements', () => {
    const store = openTracked(file);
    new RunsRepository(store).saveBacktest({ result: backtest(), settings: {}, dataSource: 'x', createdAt: 1 });
    store.close();
    // The last connection checkpoints the WAL into the file and removes it.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  test('an in-memory store works for tests', () => {
    const store = openTracked(':memory:');
    expect(store.version).toBe(MIGRATIONS.length);
    expect(tables(store)).toContain('runs');
  });
});

describe('re-opening', () => {
  test('runs each migration once however often the file is opened', () => {
    let applied = 0;
    const counting: Migration[] = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        name: 'counting',
        up: (db) => {
          applied++;
          db.run('CREATE TABLE counted (x INTEGER) STRICT');
        },
      },
    ];
    openTracked(file, { migrations: counting }).close();
    const again = openTracked(file, { migrations: counting });
    expect(applied).toBe(1);
    expect(again.version).toBe(MIGRATIONS.length + 1);
  });

  test('keeps what was saved and leaves the schema alone', () => {
    const first = openTracked(file);
    const id = new RunsRepository(first).saveBacktest({ result: backtest({ trades: trades(5) }), settings: {}, dataSource: 'x', createdAt: 1 });
    const schemaBefore = first.db.query('SELECT sql FROM sqlite_schema ORDER BY name').all();
    first.close();

    const second = openTracked(file);
    expect(second.version).toBe(MIGRATIONS.length);
    expect(second.db.query('SELECT sql FROM sqlite_schema ORDER BY name').all()).toEqual(schemaBefore);
    expect(new RunsRepository(second).getRun(id)?.tradeCount).toBe(5);
  });
});

describe('a migration that fails', () => {
  test('is rolled back whole and the version stays where it was', () => {
    openTracked(file).close();
    const next = MIGRATIONS.length + 1;
    const broken: Migration[] = [
      ...MIGRATIONS,
      { version: next, name: 'half done', up: 'CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);' },
    ];

    const err = openError(() => openStore(file, { migrations: broken }));

    expect(err.reason).toBe('migration_failed');
    expect(err.message).toContain(file);
    expect(err.message).toContain(`migration ${next} (half done)`);
    const store = openTracked(file);
    expect(store.version).toBe(MIGRATIONS.length);
    expect(tables(store)).not.toContain('half');
  });

  test('misnumbered migrations are refused before the file is touched', () => {
    const gap: Migration[] = [...MIGRATIONS, { version: MIGRATIONS.length + 2, name: 'skips one', up: 'SELECT 1' }];
    expect(() => openStore(file, { migrations: gap })).toThrow(`expected ${MIGRATIONS.length + 1}`);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('files it must refuse, unchanged', () => {
  test('a database from newer code: names the file and both versions', () => {
    openTracked(file).close();
    const raw = new Database(file);
    raw.run('PRAGMA user_version = 7');
    raw.close();
    const before = fs.readFileSync(file);

    const err = openError(() => openStore(file));

    expect(err.reason).toBe('too_new');
    expect(err.message).toContain(file);
    expect(err.message).toContain('version 7');
    expect(err.message).toContain(`up to ${MIGRATIONS.length}`);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  test('a file that is not SQLite', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const content = Buffer.from('date,open,high,low,close\n2024-01-02,4800,4801,4799,4800.25\n'.repeat(40));
    fs.writeFileSync(file, content);

    const err = openError(() => openStore(file));

    expect(err.reason).toBe('not_sqlite');
    expect(err.message).toContain(file);
    expect(fs.readFileSync(file).equals(content)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  test('a file shorter than a SQLite header', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'SQLite format 3\0');

    expect(openError(() => openStore(file)).reason).toBe('not_sqlite');
    expect(fs.readFileSync(file, 'latin1')).toBe('SQLite format 3\0');
  });

  test('a SQLite file whose pages are damaged', () => {
    const store = openTracked(file);
    new RunsRepository(store).saveBacktest({ result: backtest({ trades: trades(3000) }), settings: {}, dataSource: 'x', createdAt: 1 });
    store.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false); // everything is in the main file now
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    for (let i = pageSize; i < bytes.length; i++) bytes[i] = (i * 131) & 0xff;
    fs.writeFileSync(file, bytes);

    const err = openError(() => openStore(file));

    expect(err.reason).toBe('corrupt');
    expect(err.message).toContain(file);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  test('a directory where the file should be', () => {
    fs.mkdirSync(file, { recursive: true });
    const err = openError(() => openStore(file));
    expect(err.reason).toBe('cannot_open');
    expect(err.message).toContain(file);
  });
});
