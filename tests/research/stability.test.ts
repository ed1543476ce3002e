import { describe, expect, test } from 'bun:test';
import { stability } from '../../src/research/stability.ts';
import type { GridRow, Metrics } from '../../src/domain/research.ts';

const m = (sharpe: number): Metrics => ({ trades: 40, winRate: 0.5, netPnl: 0, grossProfit: 0, grossLoss: 0, profitFactor: null, expectancy: null, maxDrawdown: 0, maxDrawdownPct: 0, sharpe, sortino: null, avgHoldMinutes: null });

describe('parameter stability', () => {
  test('profiles through the chosen set and its one-step neighbours, by hand', () => {
    // Sharpe over a × b:      b=1  b=2  b=3
    //                  a=10   0.5  1.0  0.2
    //                  a=20   0.8  2.0  1.2
    //                  a=30   0.1  0.6  0.0
    const table = [[0.5, 1.0, 0.2], [0.8, 2.0, 1.2], [0.1, 0.6, 0.0]];
    const rows: GridRow[] = [];
    [10, 20, 30].forEach((a, i) => [1, 2, 3].forEach((b, j) => rows.push({ params: { a, b }, metrics: m(table[i]![j]!), rank: 1 })));
    const s = stability(rows, { a: 20, b: 2 }, 'sharpe');
    expect(s.chosenValue).toBe(2);
    expect(s.profiles.map((p) => p.param)).toEqual(['a', 'b']);
    expect(s.profiles[0]!.points.map((p) => p.objective)).toEqual([1.0, 2.0, 0.6]);
    expect(s.profiles[1]!.points.map((p) => p.objective)).toEqual([0.8, 2.0, 1.2]);
    expect(s.neighbours).toBe(4);
    // (1.0 + 0.6 + 0.8 + 1.2) / 4 = 0.9 → 45 % of the chosen 2.0 retained; the worst neighbour 0.6.
    expect(s.neighbourMean).toBeCloseTo(0.9, 12);
    expect(s.retained).toBeCloseTo(0.45, 12);
    expect(s.neighbourMin).toBe(0.6);
  });
});
