import { describe, expect, test } from 'bun:test';
import { runBacktest } from '../../src/backtest/run.ts';
import { engineSettings } from '../../src/config/to-engine.ts';
import { simulateBars } from '../../src/market/simulator.ts';
import { zscoreStrategy } from '../../src/strategy/zscore.ts';
import { liveHarness } from '../../src/testing/live-harness.ts';

const strip = (t: { side: string; qty: number; entryTime: number; entryPrice: number; exitTime: number; exitPrice: number; exitReason: string; commissionCents: number; pnlCents: number }) => ({
  side: t.side, qty: t.qty, entryTime: t.entryTime, entryPrice: t.entryPrice, exitTime: t.exitTime, exitPrice: t.exitPrice, exitReason: t.exitReason, commissionCents: t.commissionCents, pnlCents: t.pnlCents,
});

describe('backtest / live parity', () => {
  // Volatile bars and tight brackets exercise stops, targets, signals and the loss-streak pause;
  // the drawdown limit is out of reach because a live drawdown halt ends with the session, a backtest's with the run.
  const config = {
    sim: { seed: 11, regime: 'volatile' },
    trading: { params: { lookback: 20, entry: 1.8, exit: 0.3 } },
    risk: { stopLossPerContract: 25, takeProfitPerContract: 40, maxDrawdown: 100_000, maxHoldMinutes: 12 },
  };
  const BARS = 3000;

  test('the same bars through the backtester and through the actor system on the sim broker give identical trades', async () => {
    const live = await liveHarness({ config });
    try {
      await live.bars(BARS);
      const liveTrades = live.repos.trades.recent({ limit: 10_000, offset: 0 }).map(strip).sort((a, b) => a.exitTime - b.exitTime);

      const series = simulateBars({ days: 5, seed: 11, regime: 'volatile', startPrice: live.config.sim.startPrice });
      const bt = runBacktest({ series, strategy: zscoreStrategy, params: live.config.trading.params, settings: engineSettings(live.config), from: 500, to: 500 + BARS });
      const closed = bt.trades.filter((t) => t.exitReason !== 'end_of_data').map(strip);

      expect(liveTrades.length).toBeGreaterThan(50);
      const reasons = new Set(liveTrades.map((t) => t.exitReason));
      for (const r of ['stop', 'target', 'signal', 'max_hold', 'daily_loss']) expect(reasons).toContain(r);
      expect(liveTrades).toEqual(closed);
      const open = bt.trades.find((t) => t.exitReason === 'end_of_data');
      const pos = live.core.engine.state.position;
      expect(pos === null ? null : { side: pos.side, entryTime: pos.entryTime, entryPrice: pos.entryPrice }).toEqual(open ? { side: open.side, entryTime: open.entryTime, entryPrice: open.entryPrice } : null);
    } finally {
      await live.close();
    }
  }, 60_000);
});
