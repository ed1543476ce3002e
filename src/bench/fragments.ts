import { marketViewOf } from '../app/market-view.ts';
import { createResearch } from '../app/research.ts';
import type { Trade } from '../domain/trading.ts';
import { liveHarness } from '../testing/live-harness.ts';
import { liveSnapshot } from '../web/live/snapshot.tsx';
import { createWebApp } from '../web/server.ts';

const MIN = 60_000;
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** A busy research store: a backtest with 500 trades and a year of equity, a 125-set grid. */
function storeRuns(h: Awaited<ReturnType<typeof liveHarness>>): { backtest: number; optimize: number } {
  const t0 = Date.UTC(2025, 0, 2);
  const trades: Trade[] = Array.from({ length: 500 }, (_, i) => ({
    side: i % 2 ? 'short' : 'long', qty: 1, entryTime: t0 + i * 30 * MIN, entryPrice: 5000 + (i % 40), exitTime: t0 + (i * 30 + 12) * MIN,
    exitPrice: 5001 + (i % 40), exitReason: 'signal', commissionCents: 124, pnlCents: ((i * 37) % 900) - 400,
  }));
  const equity = Array.from({ length: 252 }, (_, i) => ({ time: t0 + i * 86_400_000, equity: 10_000 + ((i * 53) % 700) - 300 }));
  const metrics = { trades: 500, winRate: 0.5, netPnl: 120, grossProfit: 900, grossLoss: -780, profitFactor: 1.15, expectancy: 0.24, maxDrawdown: 300, maxDrawdownPct: 3, sharpe: 0.8, sortino: 1.1, avgHoldMinutes: 12 };
  const run = { strategy: 'zscore', params: { lookback: 20, entry: 2, exit: 0.5 }, bars: 100_000, from: t0, to: t0 + 100_000 * MIN };
  const context = { settings: {}, dataSource: 'bench', createdAt: t0 };
  const backtest = h.repos.runs.saveBacktest({ ...context, result: { run, metrics, trades, equity, halts: [], sessionsHalted: 0 } });
  const rows = [10, 15, 20, 25, 30].flatMap((lookback) => [1.5, 2, 2.5, 3, 3.5].flatMap((entry) => [0, 0.25, 0.5, 0.75, 1].map((exit) => ({ params: { lookback, entry, exit }, metrics: { ...metrics, sharpe: Math.sin(lookback * entry + exit) }, rank: 1 }))));
  const optimize = h.repos.runs.saveOptimization({ ...context, strategy: 'zscore', objective: 'sharpe', bars: run.bars, from: run.from, to: run.to, gridSpec: {}, minTrades: 30, rows, best: { run, metrics, trades, equity, halts: [], sessionsHalted: 0 } });
  return { backtest, optimize };
}

/**
 * How long each dashboard fragment takes, end to end through the router (facade reads, SQLite,
 * render), on a service that has traded: p50 / p99 / max over `iterations` requests each.
 */
export async function benchFragments(opts: { iterations?: number } = {}) {
  const n = opts.iterations ?? 500;
  const h = await liveHarness({ warmup: 100, config: { sim: { seed: 11, regime: 'volatile' }, trading: { params: { lookback: 20, entry: 1.8, exit: 0.3 } }, risk: { stopLossPerContract: 25, takeProfitPerContract: 40, maxDrawdown: 100_000 } } });
  const market = marketViewOf(h.core);
  const web = createWebApp({ app: h.app, market, research: createResearch(h.repos) });
  try {
    await h.bars(600);
    const ids = storeRuns(h);
    // A figure for an error page would flatter the dashboard: every request must answer 200.
    const get = (path: string) => async () => {
      const res = await web.handle(new Request(`http://localhost${path}`));
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      return res.text();
    };
    const targets: [string, () => unknown][] = [
      ...['status', 'position', 'trades?page=1', 'breakers', 'actors', 'controls'].map((f): [string, () => unknown] => [`GET /fragments/${f}`, get(`/fragments/${f}`)]),
      ['GET /backtests/:id/trades (page 2 of 10)', get(`/backtests/${ids.backtest}/trades?page=2`)],
      ['GET /backtests/:id/heatmap (125 sets)', get(`/backtests/${ids.optimize}/heatmap`)],
      ['live push: every SSE event rendered once', () => liveSnapshot(web.deps)],
      ['GET / (whole dashboard page)', get('/')],
    ];
    const results: { name: string; p50Ms: number; p99Ms: number; maxMs: number }[] = [];
    for (const [name, run] of targets) {
      for (let i = 0; i < 20; i++) await run();
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      results.push({ name, p50Ms: quantile(times, 0.5), p99Ms: quantile(times, 0.99), maxMs: times.at(-1)! });
    }
    return { trades: h.repos.trades.count(), results };
  } finally {
    web.feed.stop();
    market.close();
    await h.close();
  }
}

if (import.meta.main) {
  const { trades, results } = await benchFragments({ iterations: Number(process.argv[2] ?? 500) });
  const w = Math.max(...results.map((r) => r.name.length));
  process.stdout.write(`Fragment render times (${trades} live trades in the journal), ms:\n${'fragment'.padEnd(w)}    p50     p99     max\n`);
  for (const r of results) process.stdout.write(`${r.name.padEnd(w)} ${r.p50Ms.toFixed(3).padStart(6)}  ${r.p99Ms.toFixed(3).padStart(6)}  ${r.maxMs.toFixed(3).padStart(6)}\n`);
}
