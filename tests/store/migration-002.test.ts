import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore, type Store } from '../../src/store/db.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { createRepositories } from '../../src/store/repositories.ts';
import { RunsRepository } from '../../src/store/runs.ts';
import { backtest, orderRequest, T0, tempDir, trades } from './builders.ts';

const LIVE_TABLES = ['audit', 'breaker_events', 'daily_pnl', 'facts', 'fills', 'journal_trades', 'orders', 'outbox', 'transitions'];

let dir: string;
let file: string;
const open: Store[] = [];

function track(store: Store): Store {
  open.push(store);
  return store;
}

function schema(store: Store, where = "name NOT LIKE 'sqlite_%'"): { name: string; sql: string }[] {
  return store.db.query<{ name: string; sql: string }, []>(`SELECT name, sql FROM sqlite_schema WHERE ${where} ORDER BY name`).all();
}

beforeEach(() => {
  dir = tempDir();
  file = path.join(dir, 'store.db');
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('upgrading a version 1 store to version 2', () => {
  function v1StoreWithARun(): { id: number; researchSchema: ReturnType<typeof schema> } {
    const v1 = openStore(file, { migrations: MIGRATIONS.slice(0, 1) });
    try {
      expect(v1.version).toBe(1);
      const id = new RunsRepository(v1).saveBacktest({ result: backtest({ trades: trades(25) }), settings: { contracts: 1 }, dataSource: 'x', createdAt: T0 });
      return { id, researchSchema: schema(v1) };
    } finally {
      v1.close();
    }
  }

  test('keeps the research runs and their tables as they were', () => {
    const { id, researchSchema } = v1StoreWithARun();

    const v2 = track(openStore(file, { migrations: MIGRATIONS.slice(0, 2) }));

    expect(v2.version).toBe(2);
    const runs = new RunsRepository(v2);
    expect(runs.getRun(id)).toMatchObject({ id, kind: 'backtest', tradeCount: 25, settings: { contracts: 1 } });
    expect(runs.getRunTrades(id, { limit: 100 })).toHaveLength(25);
    const researchNames = new Set(researchSchema.map((r) => r.name));
    expect(schema(v2).filter((r) => researchNames.has(r.name))).toEqual(researchSchema);
  });

  test('adds the live trading tables, ready for writing', () => {
    v1StoreWithARun();

    const v2 = track(openStore(file));

    const tables = schema(v2, "type = 'table'").map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(LIVE_TABLES));
    const repos = createRepositories(v2);
    expect(repos.orders.insert(orderRequest(), T0)).toBe(true);
    expect(repos.orders.open()).toHaveLength(1);
  });

  test('an upgraded store has exactly the schema of a new one', () => {
    v1StoreWithARun();
    const upgraded = schema(track(openStore(file)));
    const fresh = schema(track(openStore(path.join(dir, 'fresh.db'))));
    expect(upgraded).toEqual(fresh);
  });
});
