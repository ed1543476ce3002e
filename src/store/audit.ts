import type { Database } from 'bun:sqlite';
import type { Store } from './db.ts';
import { nullableJson, toJson } from './json-columns.ts';
import { checkLimit } from './paging.ts';

export type AuditSource = 'web' | 'telegram' | 'cli' | 'system';

export interface AuditEntryInput {
  readonly time: number;
  readonly source: AuditSource;
  /** Telegram user id, 'token' for the dashboard token, the OS user for the CLI. */
  readonly principal: string;
  readonly command: string;
  /** Never secrets: the audit trail is meant to be read and cannot be rewritten. */
  readonly args: unknown;
  readonly ok: boolean;
  readonly result?: unknown;
}

export interface AuditEntry {
  readonly id: number;
  readonly time: number;
  readonly source: AuditSource;
  readonly principal: string;
  readonly command: string;
  readonly args: unknown;
  readonly ok: boolean;
  readonly result: unknown;
}

type AuditRow = Omit<AuditEntry, 'args' | 'ok' | 'result'> & { argsJson: string; ok: number; resultJson: string | null };

/**
 * Every operator command, accepted or refused. Append-only: this class has no way to change a
 * row, and the table's triggers refuse UPDATE and DELETE from anyone else.
 */
export class AuditRepository {
  private readonly db: Database;

  constructor(store: Store) {
    this.db = store.db;
  }

  append(entry: AuditEntryInput): number {
    const args = toJson(entry.args ?? null, `audit args (${entry.command})`);
    const result = nullableJson(entry.result ?? null, `audit result (${entry.command})`);
    const row = this.db
      .query<{ id: number }, [number, string, string, string, string, number, string | null]>(
        `INSERT INTO audit (time, source, principal, command, args_json, ok, result_json) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(entry.time, entry.source, entry.principal, entry.command, args, entry.ok ? 1 : 0, result);
    if (!row) throw new Error('INSERT INTO audit returned no id');
    return row.id;
  }

  /** Newest first. */
  recent(limit: number): AuditEntry[] {
    return this.db
      .query<AuditRow, [number]>(
        `SELECT id, time, source, principal, command, args_json AS argsJson, ok, result_json AS resultJson FROM audit ORDER BY id DESC LIMIT ?`,
      )
      .all(checkLimit(limit))
      .map(({ argsJson, ok, resultJson, ...rest }) => ({
        ...rest,
        args: JSON.parse(argsJson) as unknown,
        ok: ok === 1,
        result: resultJson === null ? null : (JSON.parse(resultJson) as unknown),
      }));
  }
}
