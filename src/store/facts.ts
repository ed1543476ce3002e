import type { Database, Statement } from 'bun:sqlite';
import type * as v from 'valibot';
import type { Store } from './db.ts';
import { readJson, toJson } from './json-columns.ts';

/**
 * A stored fact does not match the schema its reader expects (written by other code, or edited
 * by hand). Booting on a guess could trade on a wrong state, so this needs the operator.
 */
export class StoredFactCorruptError extends Error {
  override readonly name = 'StoredFactCorruptError';
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`fact "${key}" is unreadable (${detail}); fix or delete the row in table facts (key '${key}') and restart to rebuild it from the broker`);
  }
}

export interface FactEntry<T> {
  readonly value: T;
  readonly updatedAt: number;
}

/**
 * Small named facts the service reloads on boot (the engine snapshot, the next order id, the last
 * execution time, the operator's pause), each a JSON value checked by the caller's schema both
 * ways: what cannot be read back is never written.
 */
export class FactsRepository {
  private readonly db: Database;
  private readonly upsert: Statement<unknown, [string, string, number]>;

  constructor(store: Store) {
    this.db = store.db;
    this.upsert = this.db.prepare(
      `INSERT INTO facts (key, value_json, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
    );
  }

  /** Null when the fact was never set. Throws StoredFactCorruptError when it no longer fits the schema. */
  get<S extends v.GenericSchema>(key: string, schema: S): v.InferOutput<S> | null {
    return this.entry(key, schema)?.value ?? null;
  }

  entry<S extends v.GenericSchema>(key: string, schema: S): FactEntry<v.InferOutput<S>> | null {
    const row = this.db.query<{ value_json: string; updated_at: number }, [string]>('SELECT value_json, updated_at FROM facts WHERE key = ?').get(key);
    if (!row) return null;
    const value = readJson(schema, row.value_json, (detail) => new StoredFactCorruptError(key, detail));
    return { value, updatedAt: row.updated_at };
  }

  /** Validates before writing, so a bad value fails here, at the writer, not at the next boot. */
  set<S extends v.GenericSchema>(key: string, schema: S, value: v.InferInput<S>, at: number): void {
    const text = toJson(value, `facts["${key}"]`);
    readJson(schema, text, (detail) => new TypeError(`cannot store fact "${key}": ${detail}`));
    this.upsert.run(key, text, at);
  }

  /** True when there was such a fact. */
  delete(key: string): boolean {
    return this.db.query<unknown, [string]>('DELETE FROM facts WHERE key = ?').run(key).changes > 0;
  }
}
