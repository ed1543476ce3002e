import { describe, expect, test } from 'bun:test';
import { breakdowns, exposure, groupStats, streaks } from '../../src/research/breakdown.ts';
import { hourKey, sessionKey, weekdayKey, weekKey, monthKey } from '../../src/research/calendar-keys.ts';
import type { Trade } from '../../src/domain/trading.ts';
import { seriesFromBars } from '../../src/domain/bar.ts';

const T = Date.UTC(2026, 0, 6, 15, 0); // Tue 6 Jan 2026 10:00 New York (EST)
const trade = (o: Partial<Trade>): Trade => ({ side: 'long', qty: 1, entryTime: T, entryPrice: 5000, exitTime: T + 5 * 60_000, exitPrice: 5001, exitReason: 'signal', commissionCents: 124, pnlCents: 376, ...o });

describe('calendar keys', () => {
  test('a Sunday-evening trade belongs to Monday’s session; hours are New York hours', () => {
    const sunday = Date.UTC(2026, 0, 4, 23, 30); // Sun 18:30 New York
    expect(sessionKey(sunday)).toBe('2026-01-05');
    expect(weekdayKey(sunday)).toBe('1 Mon');
    expect(hourKey(sunday)).toBe('18');
    expect(hourKey(T)).toBe('10');
    expect(weekKey(T)).toBe('2026-W02');
    // Thu 29 Jan 18:30 New York opens Friday 30 January's session; Fri 30 Jan 18:30 is after the week's close.
    expect(monthKey(Date.UTC(2026, 0, 29, 23, 30))).toBe('2026-01');
    expect(monthKey(Date.UTC(2026, 1, 28, 23, 30))).toBe('2026-03');
  });

  test('ISO week of 1 January 2027 (a Friday) is 2026-W53', () => {
    expect(weekKey(Date.UTC(2027, 0, 1, 15))).toBe('2026-W53');
  });
});

describe('breakdowns', () => {
  test('group stats by hand: +$3.76, −$10.24, +$6.26 → 2/3 wins, net −$0.22, PF 10.02/10.24', () => {
    const g = groupStats('all', [trade({}), trade({ pnlCents: -1024 }), trade({ pnlCents: 626 })]);
    expect(g).toEqual({ key: 'all', trades: 3, winRate: 2 / 3, netPnl: -0.22, grossProfit: 10.02, grossLoss: 10.24, profitFactor: 1002 / 1024, avgPnl: -0.07 });
  });

  test('streaks: W W L L L W → 2 wins, 3 losses, ended on 1 win', () => {
    const p = [1, 1, -1, -1, 0, 1].map((x) => trade({ pnlCents: x }));
    expect(streaks(p)).toEqual({ longestWin: 2, longestLoss: 3, current: 1 });
  });

  test('exposure: a trade held over bars 2–4 of 10 is in the market at 3 closes', () => {
    const bars = Array.from({ length: 10 }, (_, i) => ({ time: T + i * 60_000, open: 1, high: 1, low: 1, close: 1, volume: 1 }));
    const s = seriesFromBars(bars);
    const e = exposure(s, 0, 10, [trade({ entryTime: T + 2 * 60_000, exitTime: T + 5 * 60_000, qty: 2 })]);
    expect(e).toEqual({ barsInMarket: 3, totalBars: 10, timeInMarket: 0.3, avgContracts: 0.6, maxContracts: 2 });
  });

  test('every kind groups all trades once', () => {
    const s = seriesFromBars([{ time: T, open: 1, high: 1, low: 1, close: 1, volume: 1 }]);
    const ts = [trade({}), trade({ side: 'short', exitReason: 'stop', pnlCents: -500 })];
    const b = breakdowns(s, 0, 1, ts);
    for (const groups of Object.values(b.groups)) expect(groups.reduce((a, g) => a + g.trades, 0)).toBe(2);
    expect(b.groups.exitReason.map((g) => g.key)).toEqual(['signal', 'stop']);
    expect(b.groups.side.find((g) => g.key === 'short')!.netPnl).toBe(-5);
  });
});
