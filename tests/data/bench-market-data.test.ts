import { describe, expect, test } from 'bun:test';
import { benchMarketData, marketDataRows } from '../../src/bench/market-data.ts';

describe('market-data bench', () => {
  test('measures import, store load and peak memory on files it writes itself', async () => {
    const m = await benchMarketData({ bars: 20_000, bigBars: 50_000, runs: 2 });
    expect(m.bars).toBe(20_000);
    expect(m.bigBars).toBe(50_000);
    for (const v of [m.csvBarsPerSec, m.storeBarsPerSec, m.bytesPerBarLoaded]) expect(Number.isFinite(v) && v > 0).toBe(true);
    expect(m.csvRange[0]).toBeLessThanOrEqual(m.csvRange[1]);
    // The range holds the median.
    expect(m.csvBarsPerSec).toBeGreaterThanOrEqual(m.csvRange[0]);
    expect(m.csvBarsPerSec).toBeLessThanOrEqual(m.csvRange[1]);
    const rows = marketDataRows(m, (v) => String(v));
    expect(rows.map((r) => r[0])).toContain('Bar store load, 20000 bars');
  }, 60_000);
});
