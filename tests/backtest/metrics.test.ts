import { describe, expect, test } from 'bun:test';
import { computeMetrics, dailyReturns, sharpe, sortino } from '../../src/backtest/metrics.ts';
import type { Trade } from '../../src/domain/trading.ts';

const trade = (pnlCents: number, holdMinutes: number): Trade => ({
  side: 'long', qty: 1, entryTime: 0, entryPrice: 5000, exitTime: holdMinutes * 60_000, exitPrice: 5000, exitReason: 'signal', commissionCents: 124, pnlCents,
});

describe('metrics against hand-computed values', () => {
  // $10,000 → sessions end at $10,100, $10,050, $10,200.
  const sessions = [1_010_000, 1_005_000, 1_020_000];

  test('daily returns chain from the initial capital', () => {
    const r = dailyReturns(1_000_000, sessions);
    expect(r[0]).toBeCloseTo(0.01, 15);
    expect(r[1]).toBeCloseTo(-0.0049504950495049, 15);
    expect(r[2]).toBeCloseTo(0.0149253731343284, 15);
  });

  test('Sharpe uses the sample σ and √252; Sortino the downside deviation over all returns', () => {
    const r = dailyReturns(1_000_000, sessions);
    expect(sharpe(r)!).toBeCloseTo(10.211553371369822, 10);
    expect(sortino(r)!).toBeCloseTo(36.980701891772036, 10);
  });

  test('Sharpe is null with fewer than 2 sessions or σ = 0; Sortino is null without a losing day', () => {
    expect(sharpe([0.01])).toBeNull();
    expect(sharpe([0.01, 0.01])).toBeNull();
    expect(sortino([0.01, 0.02])).toBeNull();
  });

  test('trade statistics: win rate, gross profit and loss, profit factor, expectancy, average hold', () => {
    const m = computeMetrics([trade(10_000, 10), trade(-4_000, 20), trade(0, 30), trade(2_001, 40)], {
      maxDrawdownCents: 5_000, maxDrawdownPeakCents: 1_012_000, initialCents: 1_000_000, sessionEquityCents: sessions,
    });
    expect(m).toMatchObject({ trades: 4, winRate: 0.5, grossProfit: 120.01, grossLoss: 40, netPnl: 80.01, avgHoldMinutes: 25, maxDrawdown: 50 });
    expect(m.profitFactor!).toBeCloseTo(12_001 / 4_000, 12);
    expect(m.expectancy).toBe(20); // 80.01 / 4 = 20.0025 → to the cent
    expect(m.maxDrawdownPct).toBeCloseTo((5_000 / 1_012_000) * 100, 12);
  });

  test('profit factor is null with no losing trade', () => {
    const m = computeMetrics([trade(500, 1)], { maxDrawdownCents: 0, maxDrawdownPeakCents: 1_000_000, initialCents: 1_000_000, sessionEquityCents: [1_000_500] });
    expect(m.profitFactor).toBeNull();
    expect(m.winRate).toBe(1);
  });
});
