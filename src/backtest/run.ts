import type { BarSeries } from '../domain/bar.ts';
import { fromCents, toCents } from '../domain/money.ts';
import { entryAction, exitAction, type Side, type Trade } from '../domain/trading.ts';
import { bracketHit, marketFillPrice } from '../broker/sim/fill-model.ts';
import { ENTER_LONG_CODE, ENTER_SHORT_CODE, exitReasonOfCode, isOrderCode, NO_DECISION, TradingEngine, type DecisionCode } from '../engine/engine.ts';
import type { EngineSettings } from '../engine/settings.ts';
import { ColumnCache, signalSource, type StrategyDefinition, type StrategyParams } from '../strategy/types.ts';
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
  const strategy = signalSource(input.strategy.create(params, input.cache ?? new ColumnCache(series)));
  for (let i = 0; i < from; i++) strategy(close[i]!, 0);

  const trades: Trade[] = [];
  const sessionEquityCents: number[] = [];
  const equity: EquityPoint[] = [];
  let maxDrawdownCents = 0;
  let maxDrawdownPeakCents = state.peakEquityCents;
  // The decision of the previous close, as a code (engine.decide): the order to fill at this open.
  let pending: DecisionCode = NO_DECISION;
  // Equity at the previous close: a session that starts at this bar ended with it.
  let previousEquityCents = state.equityCents;
  const halts = new HaltLog();

  for (let i = from; i < to; i++) {
    const t = time[i]!;
    const o = open[i]!;
    if (pending !== NO_DECISION) {
      if (pending === ENTER_LONG_CODE || pending === ENTER_SHORT_CODE) {
        const side: Side = pending === ENTER_LONG_CODE ? 'long' : 'short';
        engine.openPosition(side, engine.qty, marketFillPrice(o, entryAction(side), slip), t);
      } else {
        const side = state.position!.side;
        trades.push(engine.closePosition(marketFillPrice(o, exitAction(side), slip), t, exitReasonOfCode(pending)));
      }
      pending = NO_DECISION;
    }
    const pos = state.position;
    if (pos !== null) {
      const hit = bracketHit(pos.side, pos.stop, pos.target, o, high[i]!, low[i]!, slip);
      if (hit !== null) trades.push(engine.closePosition(hit.price, t, hit.reason));
    }
    const c = close[i]!;
    const decision = engine.decide(t, c, strategy(c, engine.direction));
    pending = isOrderCode(decision) ? decision : NO_DECISION;
    // A new session, a halt or a cooldown: the engine announced it (fills and decide roll first).
    if (engine.changed) {
      const changes = engine.drainChanges();
      if (i > from && changes.some((ch) => ch.type === 'SessionStarted')) endSession(time[i - 1]!, previousEquityCents);
      halts.record(changes);
    }
    const equityCents = state.equityCents;
    if (equityOut !== undefined) equityOut[i - from] = equityCents;
    const dd = state.peakEquityCents - equityCents;
    if (dd > maxDrawdownCents) {
      maxDrawdownCents = dd;
      maxDrawdownPeakCents = state.peakEquityCents;
    }
    previousEquityCents = equityCents;
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
