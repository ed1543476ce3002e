import { describe, expect, test } from 'bun:test';
import { journalTrade, SESSION, T0 } from './builders.ts';
import { useTempStore } from './temp-store.ts';

const t = useTempStore();
const MINUTE = 60_000;
const DAY = 86_400_000;

describe('journaling a trade', () => {
  test('reads back exactly after a restart', () => {
    const trade = journalTrade({ side: 'short', exitReason: 'stop', pnlCents: -2_563, commissionCents: 124, entryRef: null });

    expect(t.repos.trades.insert(trade)).toBe(true);
    t.reopen();

    expect(t.repos.trades.recent({ limit: 5 })).toEqual([{ id: 1, ...trade }]);
  });

  test('is idempotent on the exit order', () => {
    t.repos.trades.insert(journalTrade({ pnlCents: 501 }));
    expect(t.repos.trades.insert(journalTrade({ pnlCents: 999 }))).toBe(false);
    expect(t.repos.trades.count()).toBe(1);
    expect(t.repos.trades.recent({ limit: 1 })[0]?.pnlCents).toBe(501);
  });

  test('P&L in fractions of a cent is refused', () => {
    expect(() => t.repos.trades.insert(journalTrade({ pnlCents: 100.5 }))).toThrow();
    expect(t.repos.trades.count()).toBe(0);
  });
});

describe('reading the journal', () => {
  const at = (minute: number, session = SESSION) =>
    journalTrade({ exitRef: `x${session}-${minute}`, sessionStart: session, entryTime: T0 + (minute - 1) * MINUTE, exitTime: T0 + minute * MINUTE });

  test('recent pages newest first', () => {
    for (const m of [1, 3, 2, 4]) t.repos.trades.insert(at(m));
    const minutes = (page: { limit: number; offset?: number }) => t.repos.trades.recent(page).map((x) => (x.exitTime - T0) / MINUTE);
    expect(minutes({ limit: 2 })).toEqual([4, 3]);
    expect(minutes({ limit: 2, offset: 2 })).toEqual([2, 1]);
    expect(() => t.repos.trades.recent({ limit: -1 })).toThrow('limit must be a whole number');
  });

  test('inSession returns that session only, in exit order', () => {
    t.repos.trades.insert(at(2));
    t.repos.trades.insert(at(1));
    t.repos.trades.insert(at(1, SESSION + DAY));
    expect(t.repos.trades.inSession(SESSION).map((x) => x.exitRef)).toEqual([`x${SESSION}-1`, `x${SESSION}-2`]);
  });

  test('between is half-open: from included, to excluded', () => {
    for (const m of [1, 2, 3]) t.repos.trades.insert(at(m));
    expect(t.repos.trades.between(T0 + MINUTE, T0 + 3 * MINUTE).map((x) => x.exitTime)).toEqual([T0 + MINUTE, T0 + 2 * MINUTE]);
  });
});

describe('recordClosedTrade', () => {
  test('journals the trade and adds it to the session', () => {
    const result = t.repos.recordClosedTrade(journalTrade({ pnlCents: -1_250 }), T0 + 1);
    expect(result).toEqual({
      recorded: true,
      session: { sessionStart: SESSION, realisedCents: -1_250, trades: 1, wins: 0, losses: 1, updatedAt: T0 + 1 },
    });
    expect(t.repos.trades.count()).toBe(1);
  });

  test('a replayed exit is not counted against the daily loss twice', () => {
    t.repos.recordClosedTrade(journalTrade({ pnlCents: -1_250 }), T0 + 1);
    t.reopen();

    const replay = t.repos.recordClosedTrade(journalTrade({ pnlCents: -1_250 }), T0 + 2);

    expect(replay.recorded).toBe(false);
    expect(replay.session).toMatchObject({ realisedCents: -1_250, trades: 1 });
    expect(t.repos.dailyPnl.get(SESSION)?.updatedAt).toBe(T0 + 1);
  });

  test('leaves neither row behind when the P&L cannot be added', () => {
    t.store.db.run("CREATE TRIGGER fail_pnl BEFORE INSERT ON daily_pnl BEGIN SELECT RAISE(ABORT, 'disk full'); END");

    expect(() => t.repos.recordClosedTrade(journalTrade(), T0)).toThrow('disk full');

    expect(t.repos.trades.count()).toBe(0);
  });
});
