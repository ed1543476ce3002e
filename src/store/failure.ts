import { SQLiteError } from 'bun:sqlite';

/** SQLite result codes that mean the file cannot be written now (the operator or the disk must act), not a bug. */
const STORE_CODES = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_PROTOCOL'];

/** True when `e` is a failure of the store itself (disk full, I/O error, read-only, locked). */
export function isStoreFailure(e: unknown): boolean {
  for (let c: unknown = e, i = 0; c !== undefined && c !== null && i < 4; c = (c as { cause?: unknown }).cause, i++) {
    if (c instanceof SQLiteError || (typeof c === 'object' && typeof (c as { code?: unknown }).code === 'string')) {
      const code = String((c as { code: string }).code);
      if (STORE_CODES.some((s) => code.startsWith(s))) return true;
    }
    if (c instanceof Error && /disk is full|database or disk is full|disk I\/O error|readonly database|database is locked/i.test(c.message)) return true;
  }
  return false;
}
