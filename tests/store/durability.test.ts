import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore } from '../../src/store/db.ts';
import { createRepositories } from '../../src/store/repositories.ts';
import { tempDir } from './builders.ts';

let dir: string;

beforeEach(() => {
  dir = tempDir();
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a process killed with SIGKILL', () => {
  test('keeps what it committed and nothing of the transaction it died in', async () => {
    const file = path.join(dir, 'trading.db');
    const writer = path.join(import.meta.dir, 'fixtures', 'crash-writer.ts');

    const child = Bun.spawn([process.execPath, writer, file], { stdout: 'pipe', stderr: 'pipe' });
    await child.exited;

    expect(child.signalCode).toBe('SIGKILL');
    // The commit lives only in the WAL: what follows proves recovery from it, not from a checkpoint.
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);

    const store = openStore(file);
    try {
      const repos = createRepositories(store);
      expect(repos.orders.byRef('committed')).toMatchObject({ ref: 'committed', status: 'pending' });
      expect(repos.fills.forOrder('committed').map((f) => f.execId)).toEqual(['exec-committed']);
      expect(repos.orders.byRef('in-flight')).toBeNull();
      expect(repos.fills.byExecId('exec-in-flight')).toBeNull();
    } finally {
      store.close();
    }
  });
});
