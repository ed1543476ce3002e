import { afterAll } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../../src/market/csv-read.ts';

export const FIXTURES = join(import.meta.dir, 'fixtures');
export const fixture = (name: string) => join(FIXTURES, name);

/** 2024-01-02 (a Tuesday) 14:30 UTC = 09:30 New York = 08:30 Chicago, the fixtures' first bar. */
export const T0 = Date.UTC(2024, 0, 2, 14, 30);
export const MIN = 60_000;

/** A temp dir for files a test writes, removed after the file's tests. */
export function tempFiles(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(name: string, text: string | Uint8Array): string {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
  };
}

/** The DataError message `fn` throws; fails the test if it throws something else or nothing. */
export function dataErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    return e.message;
  }
  throw new Error('expected a DataError');
}
