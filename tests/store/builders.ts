import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BacktestResult, EquityPoint, Metrics, WalkForwardFold } from '../../src/domain/research.ts';
import type { Fill, OrderRequest, Trade } from '../../src/domain/trading.ts';
import type { JournalTradeInput } from '../../src/store/journal-trades.ts';

export const T0 = Date.UTC(2024, 0, 2, 14, 30);
/** 17:00 Chicago the evening before T0: the CME session T0 trades in. */
export const SESSION = Date.UTC(2024, 0, 1, 23, 0);
const MINUTE = 60_000;

/** A fresh directory under the OS temp dir; the caller removes it. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'qs-'));
}

export function trade(overrides: Partial<Trade> = {}): Trade {
  return {
    side: 'long',
    qty: 1,
    entryTime: T0,
    entryPrice: 5000.25,
    exitTime: T0 + 5 * MINUTE,
    exitPrice: 5001.5,
    exitReason: 'target',
    commissionCents: 124,
    pnlCents: 501,
    ...overrides,
  };
}

export function trades(n: number, fromMinute = 0): Trade[] {
  return Array.from({ length: n }, (_, i) =>
    trade({
      side: i % 2 === 0 ? 'long' : 'short',
      entryTime: T0 + (fromMinute + i) * MINUTE,
      exitTime: T0 + (fromMinute + i + 1) * MINUTE,
      pnlCents: (i % 7) * 125 - 375,
    }),
  );
}

/** Undefined values are null, as the metrics module reports a run without losses or trades. */
export function metrics(overrides: Partial<Metrics> = {}): Metrics {
  return {
    trades: 3,
    winRate: 0.6667,
    netPnl: 12.34,
    grossProfit: 50.01,
    grossLoss: -37.67,
    profitFactor: 1.33,
    expectancy: 4.11,
    maxDrawdown: 37.67,
    maxDrawdownPct: 0.38,
    sharpe: 1.25,
    sortino: null,
    avgHoldMinutes: 5,
    ...overrides,
  };
}

export function equity(n: number, start = 10_000): EquityPoint[] {
  return Array.from({ length: n }, (_, i) => ({ time: T0 + i * 86_400_000, equity: start + ((i * 37) % 101) - 50 }));
}

export function backtest(overrides: Partial<BacktestResult> = {}): BacktestResult {
  return {
    run: { strategy: 'zscore', params: { lookback: 20, entryZ: 2.5 }, bars: 1560, from: T0, to: T0 + 1559 * 5 * MINUTE },
    metrics: metrics(),
    trades: [trade(), trade({ side: 'short', exitReason: 'stop', pnlCents: -2_001, commissionCents: 124 })],
    equity: equity(3),
    halts: [],
    sessionsHalted: 0,
    ...overrides,
  };
}

export function fold(n: number, overrides: Partial<WalkForwardFold> = {}): WalkForwardFold {
  const start = T0 + n * 10 * 86_400_000;
  return {
    fold: n,
    train: { from: start, to: start + 5 * 86_400_000, bars: 400 },
    test: { from: start + 6 * 86_400_000, to: start + 8 * 86_400_000, bars: 160 },
    params: { lookback: 20 + n, entryZ: 2 },
    trainMetrics: metrics({ sharpe: 1 + n }),
    testMetrics: metrics({ sharpe: 0.5 + n }),
    testTrades: trades(2 + n, n * 1000),
    ...overrides,
  };
}

export function orderRequest(overrides: Partial<OrderRequest> = {}): OrderRequest {
  return { ref: 'qs-1-entry', action: 'buy', type: 'market', qty: 1, reason: 'entry', ...overrides };
}

export function fill(overrides: Partial<Fill> = {}): Fill {
  return {
    orderRef: 'qs-1-entry',
    execId: '0000e0d5.65b3c4a1.01.01',
    action: 'buy',
    qty: 1,
    price: 5000.25,
    time: T0 + 5_000,
    commissionCents: 62,
    ...overrides,
  };
}

export function journalTrade(overrides: Partial<JournalTradeInput> = {}): JournalTradeInput {
  return { ...trade(), sessionStart: SESSION, entryRef: 'qs-1-entry', exitRef: 'qs-1-target', ...overrides };
}
