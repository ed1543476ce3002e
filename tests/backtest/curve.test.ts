import { describe, expect, test } from 'bun:test';
import { curveMaxDrawdown, drawdownOf, runWithCurve } from '../../src/backtest/curve.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/settings.ts';
import { simulateBars } from '../../src/market/simulator.ts';
import { downsampleEquity } from '../../src/store/equity-downsample.ts';
import { zscoreStrategy } from '../../src/strategy/zscore.ts';

describe('equity curve per bar', () => {
  const series = simulateBars({ days: 20, seed: 7, regime: 'switching' });
  const run = runWithCurve({ series, strategy: zscoreStrategy, params: zscoreStrategy.defaults, settings: DEFAULT_ENGINE_SETTINGS });

  test('starts at the initial capital, has a point per bar and ends at capital + net P&L', () => {
    expect(run.curve).toHaveLength(series.length + 1);
    expect(run.curve[0]!.equity).toBe(10_000);
    expect(run.curve[0]!.time).toBeLessThan(series.time[0]!);
    expect(run.curve.at(-1)!.equity).toBeCloseTo(10_000 + run.result.metrics.netPnl, 6);
  });

  test('its drawdown bottoms at the max drawdown metric, and still does after thinning for the chart', () => {
    expect(run.result.metrics.maxDrawdown).toBeGreaterThan(0);
    expect(curveMaxDrawdown(run.curve)).toBeCloseTo(run.result.metrics.maxDrawdown, 6);
    const thin = downsampleEquity(run.curve, 400);
    expect(thin.length).toBeLessThanOrEqual(400);
    expect(curveMaxDrawdown(thin)).toBeCloseTo(run.result.metrics.maxDrawdown, 6);
  });

  test('drawdown by hand: from 100 up to 130, down to 90, up to 140, down to 120 → 40 from the peak 130', () => {
    expect(drawdownOf([10_000, 13_000, 9_000, 14_000, 12_000], 10_000)).toEqual({ cents: 4_000, peakCents: 13_000 });
  });

  test('thinning keeps a trough whose peak shares its bucket with a later, higher peak', () => {
    // One bucket holds 100 → 50 → 120: min/max alone keep 50 and 120, and the peak 100 before the trough is lost.
    const points = Array.from({ length: 1000 }, (_, i) => ({ time: i, equity: i < 500 ? 60 : 120 }));
    points[500] = { time: 500, equity: 100 };
    points[501] = { time: 501, equity: 50 };
    points[502] = { time: 502, equity: 120 };
    const thin = downsampleEquity(points, 20);
    expect(curveMaxDrawdown(thin)).toBe(curveMaxDrawdown(points));
    expect(curveMaxDrawdown(points)).toBe(50);
  });
});
