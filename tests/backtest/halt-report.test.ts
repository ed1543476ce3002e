import { describe, expect, test } from 'bun:test';
import { curveMaxDrawdown, runWithCurve } from '../../src/backtest/curve.ts';
import { gridSearch } from '../../src/backtest/grid-search.ts';
import { haltsOf } from '../../src/backtest/halt-summary.ts';
import { walkForward } from '../../src/backtest/walkforward.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/settings.ts';
import { simulateBars } from '../../src/market/simulator.ts';
import { zscoreStrategy } from '../../src/strategy/zscore.ts';

const series = simulateBars({ days: 15, seed: 7, regime: 'switching' });
const params = zscoreStrategy.defaults;
const tight = { ...DEFAULT_ENGINE_SETTINGS, maxDrawdown: 300 };

describe('halts in the research reports', () => {
  test('manual reset: the first drawdown halt holds to the end; the curve still bottoms at the metric', () => {
    const run = runWithCurve({ series, strategy: zscoreStrategy, params, settings: { ...tight, drawdownReset: 'manual' } });
    const h = haltsOf(run.result);
    expect(h.halts).toHaveLength(1);
    expect(h.halts[0]).toMatchObject({ reason: 'drawdown', clearedAt: null });
    expect(h.haltedToEnd).toBe(true);
    expect(h.sessionsHalted).toBeGreaterThan(1);
    expect(run.result.trades.every((t) => t.entryTime <= h.halts[0]!.time)).toBe(true);
    expect(curveMaxDrawdown(run.curve)).toBeCloseTo(run.result.metrics.maxDrawdown, 6);
    expect(run.result.metrics.maxDrawdown).toBeGreaterThanOrEqual(300);
  });

  test('session reset: halts clear at the next session, so the run is not halted to the end', () => {
    const run = runWithCurve({ series, strategy: zscoreStrategy, params, settings: { ...tight, drawdownReset: 'session' } });
    const h = haltsOf(run.result);
    expect(h.halts.length).toBeGreaterThan(1);
    expect(h.halts.slice(0, -1).every((x) => x.clearedAt !== null && x.clearedAt > x.time)).toBe(true);
    expect(h.sessionsHalted).toBeGreaterThanOrEqual(h.halts.length);
    // The max drawdown is the fall from the running peak, not from the peak the halt re-bases at.
    expect(curveMaxDrawdown(run.curve)).toBeCloseTo(run.result.metrics.maxDrawdown, 6);
  });

  test('a grid row and a walk-forward fold that halted say so', async () => {
    const trials = [{ params, settings: { ...tight, drawdownReset: 'manual' as const } }, { params, settings: { ...DEFAULT_ENGINE_SETTINGS, maxDrawdown: 1e9, dailyLossLimit: 1e9 } }];
    const [halted, free] = await gridSearch({ series, strategy: 'zscore', settings: DEFAULT_ENGINE_SETTINGS, from: 0, to: series.length }, trials, { workers: 2 });
    expect(halted!.halted).toBe(true);
    expect(halted!.sessionsHalted).toBeGreaterThan(0);
    expect(free).toMatchObject({ halted: false, halts: 0, sessionsHalted: 0 });
    const wf = await walkForward(series, { strategy: 'zscore', points: [params], trials: [{ params }], settings: { ...DEFAULT_ENGINE_SETTINGS, maxDrawdown: 150, drawdownReset: 'manual' }, folds: 2, train: 0.5, objective: 'netPnl', minTrades: 1, workers: 0 });
    const flagged = wf.folds.filter((f) => f.testHalted);
    expect(flagged.length).toBeGreaterThan(0);
    for (const f of flagged) expect(f.warnings).toContain(`fold ${f.fold}: a halt stopped trading before the test part ended`);
    expect(wf.halts.haltedToEnd).toBe(true);
    expect(wf.halts.halts.length).toBe(wf.aggregate.halts.length);
  });
});
