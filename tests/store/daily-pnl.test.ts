import { describe, expect, test } from 'bun:test';
import * as path from 'node:path';
import { SESSION, T0 } from './builders.ts';
import { useTempStore } from './temp-store.ts';

const t = useTempStore();
const DAY = 86_400_000;

describe('daily P&L', () => {
  test('the first trade of a session creates its row', () => {
    expect(t.repos.dailyPnl.upsertAdd(SESSION, 501, true, T0)).toEqual({
      sessionStart: SESSION,
      realisedCents: 501,
      trades: 1,
      wins: 1,
      losses: 0,
      updatedAt: T0,
    });
  });

  test('later trades add to it and survive a restart', () => {
    t.repos.dailyPnl.upsertAdd(SESSION, 501, true, T0);
    t.repos.dailyPnl.upsertAdd(SESSION, -2_001, false, T0 + 1);
    t.reopen();
    t.repos.dailyPnl.upsertAdd(SESSION, 250, true, T0 + 2);

    expect(t.repos.dailyPnl.get(SESSION)).toEqual({ sessionStart: SESSION, realisedCents: -1_250, trades: 3, wins: 2, losses: 1, updatedAt: T0 + 2 });
  });

  test('increments from processes writing at the same time all count', async () => {
    const adder = path.join(import.meta.dir, 'fixtures', 'pnl-adder.ts');
    const run = (cents: number) =>
      Bun.spawn([process.execPath, adder, t.file, String(SESSION), '100', String(cents)], { stderr: 'pipe' });

    const children = [run(100), run(-30), run(100), run(-30)];
    const codes = await Promise.all(children.map((c) => c.exited));

    expect(codes).toEqual([0, 0, 0, 0]);
    expect(t.repos.dailyPnl.get(SESSION)).toMatchObject({ realisedCents: 200 * 70, trades: 400, wins: 200, losses: 200 });
  });

  test('a fraction of a cent is refused and the totals stay as they were', () => {
    t.repos.dailyPnl.upsertAdd(SESSION, 501, true, T0);
    expect(() => t.repos.dailyPnl.upsertAdd(SESSION, 0.5, true, T0)).toThrow();
    expect(t.repos.dailyPnl.get(SESSION)).toMatchObject({ realisedCents: 501, trades: 1 });
  });

  test('get of a session without trades is null; range is half-open and oldest first', () => {
    expect(t.repos.dailyPnl.get(SESSION)).toBeNull();
    for (const d of [2, 0, 1, 3]) t.repos.dailyPnl.upsertAdd(SESSION + d * DAY, d, true, T0);
    expect(t.repos.dailyPnl.range(SESSION, SESSION + 3 * DAY).map((r) => r.realisedCents)).toEqual([0, 1, 2]);
  });
});
