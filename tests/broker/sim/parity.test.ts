import { describe, expect, test } from 'bun:test';
import { runBacktest } from '../../../src/backtest/run.ts';
import { SimExchange } from '../../../src/broker/sim/exchange.ts';
import { barAt, type BarSeries } from '../../../src/domain/bar.ts';
import { entryAction, exitAction, type ExitReason, type Fill, type OrderRequest, type Trade } from '../../../src/domain/trading.ts';
import { TradingEngine } from '../../../src/engine/engine.ts';
import type { EngineSettings } from '../../../src/engine/settings.ts';
import { Rng } from '../../../src/market/rng.ts';
import { simulateBars } from '../../../src/market/simulator.ts';
import { bracketLevels } from '../../../src/risk/rules.ts';
import type { Signal, StrategyDefinition } from '../../../src/strategy/types.ts';
import { scripted, settings } from '../../../src/testing/builders.ts';

/**
 * The live path (engine decisions → orders on the paper exchange, bracket placed when the entry
 * fills) must fill exactly like the backtester: same prices, same times, same trades.
 */

function randomScript(n: number, seed: number): Record<number, Signal> {
  const rng = new Rng(seed);
  const script: Record<number, Signal> = {};
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    if (u < 0.06) script[i] = 'enter_long';
    else if (u < 0.12) script[i] = 'enter_short';
    else if (u < 0.16) script[i] = 'exit';
  }
  return script;
}

/** The backtest loop written the way the live system runs it: orders on a SimExchange, phase by phase. */
function tradeOnExchange(series: BarSeries, strategy: StrategyDefinition, s: EngineSettings): { trades: Trade[]; fills: Fill[]; ex: SimExchange } {
  const engine = new TradingEngine(s);
  const advisor = strategy.create({});
  const ex = new SimExchange({ slippageTicks: s.slippageTicks, commissionPerContract: s.commissionPerContract });
  const trades: Trade[] = [];
  const fills: Fill[] = [];
  const why = new Map<string, ExitReason | 'entry'>();
  let n = 0;
  let oca = '';
  const place = (req: OrderRequest) => {
    why.set(req.ref, req.reason!);
    expect(ex.place(req).order.status).not.toBe('rejected');
  };
  const onFill = (f: Fill) => {
    fills.push(f);
    const reason = why.get(f.orderRef)!;
    if (reason !== 'entry') {
      trades.push(engine.closePosition(f.price, f.time, reason));
      return;
    }
    const side = f.action === 'buy' ? 'long' : 'short';
    engine.openPosition(side, f.qty, f.price, f.time);
    const { stop, target } = bracketLevels(side, f.price, s.stopLossPerContract, s.takeProfitPerContract);
    oca = `oca-${n}`;
    place({ ref: `stop-${n}`, action: exitAction(side), type: 'stop', qty: f.qty, price: stop, ocaGroup: oca, parentRef: f.orderRef, reason: 'stop' });
    place({ ref: `target-${n}`, action: exitAction(side), type: 'limit', qty: f.qty, price: target, ocaGroup: oca, parentRef: f.orderRef, reason: 'target' });
  };
  const last = series.length - 1;
  for (let i = 0; i <= last; i++) {
    const bar = barAt(series, i);
    engine.beginBar(bar.time);
    for (const e of ex.openPhase(bar)) if (e.type === 'fill') onFill(e.payload);
    for (const e of ex.rangePhase(bar)) if (e.type === 'fill') onFill(e.payload);
    ex.closePhase(bar);
    const decision = engine.onBarClose(bar.time, bar.close, advisor.onBar(bar.close, engine.positionState));
    if (decision === null || decision.type === 'denied' || i === last) continue;
    n++;
    if (decision.type === 'enter') place({ ref: `entry-${n}`, action: entryAction(decision.side), type: 'market', qty: engine.qty, reason: 'entry' });
    // In the bracket's OCA group, so the exit filling at the open cancels the stop and target.
    else place({ ref: `exit-${n}`, action: exitAction(engine.state.position!.side), type: 'market', qty: engine.state.position!.qty, ocaGroup: oca, reason: decision.reason });
  }
  if (engine.state.position !== null) trades.push(engine.closePosition(series.close[last]!, series.time[last]!, 'end_of_data'));
  return { trades, fills, ex };
}

/** Stop exits on bars that also reached the target: the stop-wins rule decided them. */
function stopsOnBothTouched(series: BarSeries, trades: readonly Trade[], s: EngineSettings): number {
  const index = new Map(Array.from(series.time, (t, i) => [t, i]));
  return trades.filter((t) => {
    if (t.exitReason !== 'stop') return false;
    const i = index.get(t.exitTime)!;
    const { target } = bracketLevels(t.side, t.entryPrice, s.stopLossPerContract, s.takeProfitPerContract);
    return t.side === 'long' ? series.high[i]! >= target : series.low[i]! <= target;
  }).length;
}

describe('backtest ↔ SimExchange parity on three days of simulated bars', () => {
  const cases = [
    { regime: 'switching', stop: 25, target: 40, bothTouched: 0, reasons: ['stop', 'target', 'signal', 'max_hold'] },
    // Tight brackets in a wild market: some bars reach both, so the stop-wins rule is exercised.
    { regime: 'volatile', stop: 10, target: 15, bothTouched: 1, reasons: ['stop', 'target', 'signal'] },
  ] as const;
  for (const c of cases) {
    test(`${c.regime} market, $${c.stop} stop, $${c.target} target: the same decisions give the same fills and trades`, () => {
      const series = simulateBars({ days: 3, seed: 11, regime: c.regime });
      const strategy = scripted(randomScript(series.length, 5));
      const s = settings({ stopLossPerContract: c.stop, takeProfitPerContract: c.target, maxHoldMinutes: 30, dailyLossLimit: 1e7, maxDrawdown: 1e7 });

      const backtest = runBacktest({ series, strategy, params: {}, settings: s });
      const live = tradeOnExchange(series, strategy, s);

      const reasons = new Set(backtest.trades.map((t) => t.exitReason));
      for (const r of c.reasons) expect(reasons.has(r)).toBe(true);
      expect(backtest.trades.length).toBeGreaterThan(100);
      expect(stopsOnBothTouched(series, backtest.trades, s)).toBeGreaterThanOrEqual(c.bothTouched);
      expect(live.trades).toEqual([...backtest.trades]);

      const backtestFills = backtest.trades.flatMap((t) => [
        [t.entryTime, t.entryPrice],
        ...(t.exitReason === 'end_of_data' ? [] : [[t.exitTime, t.exitPrice]]),
      ]);
      expect(live.fills.map((f) => [f.time, f.price])).toEqual(backtestFills);
      const closedPnl = backtest.trades.filter((t) => t.exitReason !== 'end_of_data').reduce((sum, t) => sum + t.pnlCents, 0);
      expect(live.ex.accountPnl().realisedCents).toBe(closedPnl);
    });
  }
});
