import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore } from '../../src/store/db.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { createRepositories } from '../../src/store/repositories.ts';
import { T0, tempDir } from './builders.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = tempDir();
  file = path.join(dir, 'store.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('upgrading a version 4 store to version 5 (market time of transitions)', () => {
  test('transitions recorded before keep every field and have no market time; new ones store it', () => {
    const v4 = openStore(file, { migrations: MIGRATIONS.slice(0, 4) });
    v4.db.run("INSERT INTO transitions (time, actor, from_state, to_state, event_type) VALUES (?, 'position', 'flat', 'entering', 'EnterRequested')", [T0]);
    expect(v4.version).toBe(4);
    v4.close();

    const v5 = openStore(file);
    try {
      expect(v5.version).toBe(5);
      const repos = createRepositories(v5);
      repos.transitions.append({ time: T0 + 1000, marketTime: T0 - 60_000, actor: 'position', fromState: 'entering', toState: 'flat', eventType: 'Rejected' });
      expect(repos.transitions.recent({ actor: 'position', limit: 10 })).toEqual([
        { id: 2, time: T0 + 1000, actor: 'position', fromState: 'entering', toState: 'flat', eventType: 'Rejected', marketTime: T0 - 60_000 },
        { id: 1, time: T0, actor: 'position', fromState: 'flat', toState: 'entering', eventType: 'EnterRequested', marketTime: null },
      ]);
    } finally {
      v5.close();
    }
  });
});
