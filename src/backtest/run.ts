import type { BarSeries } from '../domain/bar.ts';
import { fromCents, toCents } from '../domain/money.ts';
import { entryAction, exitAction, type Trade } from '../domain/trading.ts';
import { bracketHit, marketFillPrice } from '../broker/sim/fill-model.ts';
import { TradingEngine, type Decision } from '../engine/engine.ts';
import type { EngineSettings } from '../engine/settings.ts';
import { ColumnCache, type StrategyDefinition, type StrategyParams } from '../strategy/types.ts';
import { computeMetrics } from './metrics.ts';
import { HaltLog } from './halts.ts';
import type { BacktestResult, EquityPoint } from '../domain/research.ts';

export interface BacktestInput {
  readonly series: BarSeries;
  readonly strategy: StrategyDefinition;
  readonly params: StrategyParams;
  readonly settings: EngineSettings;
  /** First bar traded; bars before it only warm up the strategy's indicators. Default 0. */
  readonly from?: number;
  /** One past the last bar traded. Default: the series length. */
  readonly to?: number;
  /** Precomputed indicator columns of `series`, shared across runs of a grid search. */
  readonly cache?: ColumnCache;
  /** When given, receives the equity (cents) at each traded bar's close: index i − from. */
  readonly equityOut?: Float64Array;
}

/**
 * Replays bars through the shared engine with the paper exchange's fill model. Per bar:
 * (a) fill the market order decided at the previous close at this open; (b) check the resting
 * stop/target; (c) mark to market at the close; (d) one decision for the next open.
 */
export function runBacktest(input: BacktestInput): BacktestResult {
  const { series, settings, params, equityOut } = input;
  const from = input.from ?? 0;
  const to = input.to ?? series.length;
  if (!(from >= 0 && from < to && to <= series.length)) throw new RangeError(`bar range [${from}, ${to}) is empty or outside the ${series.length} bars`);
  const { time, open, high, low, close } = series;
  const slip = settings.slippageTicks;
  const engine = new TradingEngine(settings);
  const state = engine.state;
  const strategy = input.strategy.create(params, input.cache ?? new ColumnCache(series));
  for (let i = 0; i < from; i++) strategy.onBar(close[i]!, 'flat');

  const trades: Trade[] = [];
  const sessionEquityCents: number[] = [];
  const equity: EquityPoint[] = [];
  let maxDrawdownCents = 0;
  let maxDrawdownPeakCents = state.peakEquityCents;
  let session = Number.NaN;
  let pending: Decision | null = null;
  const halts = new HaltLog();

  for (let i = from; i < to; i++) {
    const t = time[i]!;
    // Equity at the previous close; the fills below do not change it, onBarClose does.
    const previousEquityCents = state.equityCents;
    const o = open[i]!;
    if (pending !== null) {
      if (pending.type === 'enter') {
        engine.openPosition(pending.side, engine.qty, marketFillPrice(o, entryAction(pending.side), slip), t);
      } else {
        const side = state.position!.side;
        trades.push(engine.closePosition(marketFillPrice(o, exitAction(side), slip), t, pending.reason));
      }
      pending = null;
    }
    const pos = state.position;
    if (pos !== null) {
      const hit = bracketHit(pos.side, pos.stop, pos.target, o, high[i]!, low[i]!, slip);
      if (hit !== null) trades.push(engine.closePosition(hit.price, t, hit.reason));
    }
    const signal = strategy.onBar(close[i]!, engine.positionState);
    const decision = engine.onBarClose(t, close[i]!, signal);
    pending = decision === null || decision.type === 'denied' ? null : decision;
    // Fills and onBarClose roll the session first (beginBar), so it is known by now.
    if (state.sessionStart !== session) {
      if (i > from) endSession(time[i - 1]!, previousEquityCents);
      session = state.sessionStart;
    }
    const changes = engine.drainChanges();
    if (changes.length !== 0) halts.record(changes);
    if (equityOut !== undefined) equityOut[i - from] = state.equityCents;
    const dd = state.peakEquityCents - state.equityCents;
    if (dd > maxDrawdownCents) {
      maxDrawdownCents = dd;
      maxDrawdownPeakCents = state.peakEquityCents;
    }
  }

  const last = to - 1;
  if (state.position !== null) trades.push(engine.closePosition(close[last]!, time[last]!, 'end_of_data'));
  endSession(time[last]!, toCents(settings.initialCapital) + state.realisedCents);

  const metrics = computeMetrics(trades, { maxDrawdownCents, maxDrawdownPeakCents, initialCents: toCents(settings.initialCapital), sessionEquityCents });
  return {
    run: { strategy: input.strategy.name, params, bars: to - from, from: time[from]!, to: time[last]! },
    metrics,
    trades,
    equity,
    halts: halts.all,
    sessionsHalted: halts.sessionsHalted,
  };

  function endSession(t: number, equityCents: number): void {
    sessionEquityCents.push(equityCents);
    equity.push({ time: t, equity: fromCents(equityCents) });
  }
}
