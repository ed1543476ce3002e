import { describe, expect, test } from 'bun:test';
import { runBacktest } from '../../src/backtest/run.ts';
import { engineSettings } from '../../src/config/to-engine.ts';
import { simulateBars } from '../../src/market/simulator.ts';
import { getStrategy } from '../../src/strategy/registry.ts';
import { liveHarness } from '../../src/testing/live-harness.ts';

// Backtest and live must trade identically: the same bars through the backtester and through the
// whole actor system on the sim broker (bracket at the venue, fills journalled, the engine fed by
// the desk), on long series, for every strategy, and under both drawdown rules.

const strip = (t: { side: string; qty: number; entryTime: number; entryPrice: number; exitTime: number; exitPrice: number; exitReason: string; commissionCents: number; pnlCents: number }) => ({
  side: t.side, qty: t.qty, entryTime: t.entryTime, entryPrice: t.entryPrice, exitTime: t.exitTime, exitPrice: t.exitPrice, exitReason: t.exitReason, commissionCents: t.commissionCents, pnlCents: t.pnlCents,
});

const BARS = Number(process.env.QS_PARITY_BARS ?? 50_000);
const WARMUP = 500;
const DAYS = Math.ceil((BARS + WARMUP) / (23 * 60)) + 3;

interface Case {
  readonly name: string;
  readonly strategy: string;
  readonly params: Record<string, number>;
  readonly seed: number;
  readonly regime: string;
  readonly risk?: Record<string, number | string>;
  /** Exit reasons the run must include, so the case tests what it says it tests. */
  readonly reasons: readonly string[];
  readonly halts?: number;
}

const tight = { stopLossPerContract: 25, takeProfitPerContract: 40, maxDrawdown: 100_000, dailyLossLimit: 150, maxHoldMinutes: 12 };
const CASES: readonly Case[] = [
  { name: 'z-score, volatile', strategy: 'zscore', params: { lookback: 20, entry: 1.8, exit: 0.3 }, seed: 11, regime: 'volatile', risk: tight, reasons: ['stop', 'target', 'signal', 'max_hold', 'daily_loss'] },
  // lookback 10 and entry 2 on the 0.25 grid: z lands exactly on ±2 again and again (README "Exact threshold decisions").
  { name: 'z-score, exact ties', strategy: 'zscore', params: { lookback: 10, entry: 2, exit: 0 }, seed: 5, regime: 'sideways', risk: tight, reasons: ['stop', 'signal'] },
  { name: 'Bollinger, switching', strategy: 'bollinger', params: { period: 20, k: 2 }, seed: 3, regime: 'switching', risk: tight, reasons: ['stop', 'target', 'signal'] },
  { name: 'RSI, bullish', strategy: 'rsi', params: { period: 14, oversold: 30, overbought: 70, exitLevel: 50 }, seed: 7, regime: 'bullish', risk: tight, reasons: ['stop', 'target', 'signal'] },
  { name: 'drawdown halt, manual reset: halted for the rest of the run', strategy: 'zscore', params: { lookback: 20, entry: 1.8, exit: 0.3 }, seed: 11, regime: 'volatile', risk: { ...tight, dailyLossLimit: 100_000, maxDrawdown: 300, drawdownReset: 'manual' }, reasons: ['stop'], halts: 1 },
  { name: 'drawdown halt, session reset: trading again each session', strategy: 'zscore', params: { lookback: 20, entry: 1.8, exit: 0.3 }, seed: 11, regime: 'volatile', risk: { ...tight, dailyLossLimit: 100_000, maxDrawdown: 300, drawdownReset: 'session' }, reasons: ['drawdown', 'stop', 'target'] },
];

describe(`backtest / live parity on ${BARS.toLocaleString('en-US')} bars`, () => {
  for (const c of CASES) {
    test(`${c.name}: identical trades`, async () => {
      const config = { sim: { seed: c.seed, regime: c.regime }, trading: { strategy: c.strategy, params: c.params }, risk: { consecutiveLossLimit: 3, consecutiveLossPauseMinutes: 30, ...c.risk } };
      const live = await liveHarness({ config, warmup: WARMUP });
      try {
        await live.bars(BARS);
        const liveTrades = live.repos.trades.recent({ limit: 1_000_000, offset: 0 }).map(strip).sort((a, b) => a.exitTime - b.exitTime);

        const series = simulateBars({ days: DAYS, seed: c.seed, regime: live.config.sim.regime, startPrice: live.config.sim.startPrice });
        const bt = runBacktest({ series, strategy: getStrategy(c.strategy), params: live.config.trading.params, settings: engineSettings(live.config), from: WARMUP, to: WARMUP + BARS });
        const closed = bt.trades.filter((t) => t.exitReason !== 'end_of_data').map(strip);

        expect(liveTrades.length).toBeGreaterThan(c.halts === 1 ? 0 : 20);
        const reasons = new Set(liveTrades.map((t) => t.exitReason));
        for (const r of c.reasons) expect(reasons).toContain(r);
        if (c.halts !== undefined) expect(bt.halts.length).toBe(c.halts);
        expect(liveTrades).toEqual(closed);
        const open = bt.trades.find((t) => t.exitReason === 'end_of_data');
        const pos = live.core.engine.state.position;
        expect(pos === null ? null : { side: pos.side, entryTime: pos.entryTime, entryPrice: pos.entryPrice }).toEqual(open ? { side: open.side, entryTime: open.entryTime, entryPrice: open.entryPrice } : null);
        // A drawdown halt still in force at the end of the backtest is in force live too.
        const last = bt.halts.at(-1);
        if (last?.reason === 'drawdown' && last.clearedAt === null) expect(live.core.engine.state.halt).toMatchObject({ reason: 'drawdown', since: last.time });
      } finally {
        await live.close();
      }
    }, 600_000);
  }
});
