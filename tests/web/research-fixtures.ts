import type { Repositories } from '../../src/store/repositories.ts';
import { backtest, equity, fold, metrics, T0 } from '../store/builders.ts';

/** Three stored runs, one of each kind, with outside text that must come out escaped. */
export function storeRuns(repos: Pick<Repositories, 'runs'>) {
  const settings = { slippageTicks: 1 };
  const backtestId = repos.runs.saveBacktest({
    result: backtest({ equity: equity(30) }),
    settings,
    dataSource: 'bars<script>alert(1)</script>.csv',
    createdAt: T0,
    note: '<img src=x onerror=alert(1)>',
  });
  const rows = [10, 20, 30].flatMap((lookback, i) =>
    [1.5, 2, 2.5].map((entry, j) => ({
      params: { lookback, entry, exit: 0.5 },
      metrics: metrics({ sharpe: i - j, trades: 40 + i + j }),
      rank: i === 0 && j === 0 ? null : i * 3 + j,
    })),
  );
  const optimizeId = repos.runs.saveOptimization({
    strategy: 'zscore',
    objective: 'sharpe',
    bars: 1000,
    from: T0,
    to: T0 + 999 * 60_000,
    gridSpec: { lookback: [10, 20, 30], entry: [1.5, 2, 2.5] },
    minTrades: 30,
    rows,
    best: backtest({ equity: equity(10) }),
    settings,
    dataSource: 'simulated seed=7',
    createdAt: T0 + 1,
  });
  const walkforwardId = repos.runs.saveWalkForward({
    strategy: 'zscore',
    objective: 'sharpe',
    bars: 5000,
    from: T0,
    to: T0 + 4999 * 60_000,
    spec: { folds: 3, train: 0.7 },
    folds: [fold(1), fold(2), fold(3)],
    aggregate: { metrics: metrics(), equity: equity(12) },
    settings,
    dataSource: 'simulated seed=7',
    createdAt: T0 + 2,
  });
  return { backtestId, optimizeId, walkforwardId };
}
