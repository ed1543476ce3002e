import { describe, expect, test } from 'bun:test';
import { monteCarlo, pathStats } from '../../src/research/monte-carlo.ts';

describe('Monte Carlo', () => {
  test('path stats by hand: +100 −50 −50 ends at 0 with a 100 drawdown; −50 +100 −50 with 50', () => {
    expect(pathStats([100, -50, -50])).toEqual({ net: 0, maxDrawdown: 100 });
    expect(pathStats([-50, 100, -50])).toEqual({ net: 0, maxDrawdown: 50 });
  });

  test('trade order of +100 −50 −50: one order in three has a 50 drawdown, the others 100', () => {
    const mc = monteCarlo([100, -50, -50], [], { seed: 7, paths: 3000 });
    const o = mc.tradeOrder!;
    expect(o.netPnl).toEqual({ p5: 0, p50: 0, p95: 0 });
    expect(o.maxDrawdown.p5).toBe(50);
    expect(o.maxDrawdown.p50).toBe(100);
    expect(o.maxDrawdown.p95).toBe(100);
    expect(mc.days).toBeNull();
  });

  test('identical trades leave nothing to chance: every interval is the one path', () => {
    const mc = monteCarlo([25, 25, 25, 25], [10, 10], { seed: 1, paths: 200 });
    expect(mc.trades!.netPnl).toEqual({ p5: 100, p50: 100, p95: 100 });
    expect(mc.trades!.maxDrawdown).toEqual({ p5: 0, p50: 0, p95: 0 });
    expect(mc.trades!.lossProbability).toBe(0);
    expect(mc.days!.netPnl).toEqual({ p5: 20, p50: 20, p95: 20 });
  });

  test('seeded: the same seed gives the same intervals, another seed others', () => {
    const pnl = [120, -80, 35, -60, 200, -150, 10, 45, -30, 90];
    const a = monteCarlo(pnl, pnl, { seed: 42, paths: 500 });
    expect(monteCarlo(pnl, pnl, { seed: 42, paths: 500 })).toEqual(a);
    expect(monteCarlo(pnl, pnl, { seed: 43, paths: 500 }).trades).not.toEqual(a.trades);
    // The bootstrap's median net P&L sits near the run's own (180), inside its 90 % interval.
    expect(a.trades!.netPnl.p5).toBeLessThan(180);
    expect(a.trades!.netPnl.p95).toBeGreaterThan(180);
  });
});
