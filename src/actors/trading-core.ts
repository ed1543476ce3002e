import * as v from 'valibot';
import type { Bar } from '../domain/bar.ts';
import type { Logger } from '../domain/log.ts';
import { fromCents } from '../domain/money.ts';
import type { ExitReason, Side, Trade } from '../domain/trading.ts';
import { TradingEngine, type Decision, type EngineState } from '../engine/engine.ts';
import type { EngineSettings } from '../engine/settings.ts';
import type { Strategy, StrategyDefinition, StrategyParams } from '../strategy/types.ts';
import type { Repositories } from '../store/repositories.ts';
import { ENGINE_FACT, EngineSnapshotSchema } from './engine-snapshot.ts';

const LAST_BAR_FACT = 'lastDecidedBar';

/** What changed in the engine's risk state on a bar or a fill, for the circuit breaker. */
export type RiskEvent =
  | { type: 'halted'; reason: 'daily_loss' | 'drawdown'; time: number; sessionStart: number; detail: string }
  | { type: 'cooldown'; until: number; time: number }
  | { type: 'tick'; time: number; sessionStart: number };

/**
 * The live side of the one trading core: the shared engine plus the strategy instance, with every
 * change persisted as a fact (the engine snapshot) so a restart rebuilds the same state. The
 * strategy actor feeds it bars; the position actor reports fills. It decides nothing the backtester
 * would not decide: both call the same TradingEngine.
 */
export class TradingCore {
  readonly engine: TradingEngine;
  private readonly strategy: Strategy;
  private readonly listeners = new Set<(e: RiskEvent) => void>();
  private readonly warmUpListeners = new Set<(bars: readonly Bar[]) => void>();
  lastBar: Bar | null = null;
  /** Open time of the last bar the engine decided on: a bar re-sent after a crash only updates indicators. */
  private lastDecided: number;

  constructor(
    readonly settings: EngineSettings,
    readonly strategyDef: StrategyDefinition,
    readonly params: StrategyParams,
    private readonly repos: Repositories,
    private readonly log: Logger,
  ) {
    const restored = repos.facts.get(ENGINE_FACT, EngineSnapshotSchema) as EngineState | null;
    this.engine = new TradingEngine(settings, { haltScope: 'session' }, restored ?? undefined);
    this.strategy = strategyDef.create(params);
    this.lastDecided = repos.facts.get(LAST_BAR_FACT, v.number()) ?? Number.NEGATIVE_INFINITY;
    if (restored) log.info('core.restored', { position: restored.position?.side ?? 'flat', realised: fromCents(restored.realisedCents), halted: restored.halted });
  }

  onRisk(listener: (e: RiskEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Feeds history bars to the indicators only (no decisions); views (the live chart) hear of them too. */
  warmUp(bars: readonly Bar[]): void {
    for (const b of bars) this.strategy.onBar(b.close, 'flat');
    for (const l of this.warmUpListeners) l(bars);
  }

  onWarmUp(listener: (bars: readonly Bar[]) => void): () => void {
    this.warmUpListeners.add(listener);
    return () => this.warmUpListeners.delete(listener);
  }

  /** A closed bar: strategy advice → the engine's one decision; risk changes are announced. */
  onBar(bar: Bar): Decision | null {
    if (bar.time <= this.lastDecided) {
      this.strategy.onBar(bar.close, this.engine.positionState);
      this.log.info('core.bar_replayed', { time: new Date(bar.time).toISOString(), note: 'decided before a restart; indicators only' });
      return null;
    }
    const s = this.engine.state;
    // Roll the session first, so a halt the new session clears is not announced as a change.
    this.engine.beginBar(bar.time);
    const before = { halted: s.halted, blocked: s.sessionBlocked, pauseUntil: s.streak.pauseUntil };
    this.lastBar = bar;
    const signal = this.strategy.onBar(bar.close, this.engine.positionState);
    const decision = this.engine.onBarClose(bar.time, bar.close, signal);
    this.emit({ type: 'tick', time: bar.time, sessionStart: s.sessionStart });
    if (s.halted && !before.halted) this.emit({ type: 'halted', reason: 'drawdown', time: bar.time, sessionStart: s.sessionStart, detail: `equity ${fromCents(s.equityCents)} is ${fromCents(s.peakEquityCents - s.equityCents)} below peak ${fromCents(s.peakEquityCents)}` });
    else if (s.sessionBlocked && !before.blocked) this.emit({ type: 'halted', reason: 'daily_loss', time: bar.time, sessionStart: s.sessionStart, detail: `session P&L ${fromCents(s.sessionRealisedCents + this.engine.unrealisedCents(bar.close))}` });
    this.lastDecided = bar.time;
    return decision;
  }

  /**
   * Persists the state after a bar. Called once the bar's decision has been acted on, so the
   * write is off the bar → order path; a crash in between re-decides the bar on boot, and the
   * order it produces carries the same client ref, which the journal does not send twice.
   */
  commitBar(): void {
    const time = this.lastDecided;
    this.repos.relaxedTransaction(() => {
      this.repos.facts.set(LAST_BAR_FACT, v.number(), time, time);
      this.persist(time);
    });
  }

  entryFilled(side: Side, qty: number, price: number, time: number): void {
    this.engine.openPosition(side, qty, price, time);
    this.persist(time);
  }

  /** Closes the engine's position (or `qty` of it) at a fill; journals the trade and its session P&L once. */
  exitFilled(price: number, time: number, reason: ExitReason, refs: { entryRef: string | null; exitRef: string }, qty?: number): Trade {
    const pauseBefore = this.engine.state.streak.pauseUntil;
    const trade = this.engine.closePosition(price, time, reason, qty);
    this.repos.transaction(() => {
      this.repos.recordClosedTrade({ ...trade, sessionStart: this.engine.state.sessionStart, ...refs }, time);
      this.persist(time);
    });
    const until = this.engine.state.streak.pauseUntil;
    if (until !== pauseBefore && until > time) this.emit({ type: 'cooldown', until, time });
    return trade;
  }

  setPaused(paused: boolean, time: number): void {
    this.ensureSession(time);
    this.engine.state.paused = paused;
    this.persist(time);
  }

  /** Manual or supervisor halt: no new entries until reset, in this session and the next ones. */
  halt(time: number): void {
    this.ensureSession(time);
    this.engine.state.operatorHalt = true;
    this.persist(time);
  }

  /** Clears every risk block (an operator's reset): halt, daily block, loss-streak pause; the drawdown peak restarts at today's equity. */
  resetRisk(time: number): void {
    this.ensureSession(time);
    const s = this.engine.state;
    s.halted = false;
    s.operatorHalt = false;
    s.sessionBlocked = false;
    s.streak = { losses: 0, pauseUntil: 0 };
    s.peakEquityCents = s.equityCents;
    this.persist(time);
  }

  private emit(e: RiskEvent): void {
    for (const l of this.listeners) l(e);
  }

  /**
   * Before its first bar or fill the engine has no session (NaN), which JSON cannot hold: a pause,
   * halt or reset that early opens the session of `time`; the first bar rolls it on, losing nothing.
   */
  private ensureSession(time: number): void {
    if (Number.isNaN(this.engine.state.sessionStart)) this.engine.beginBar(time);
  }

  private persist(time: number): void {
    this.repos.facts.set(ENGINE_FACT, EngineSnapshotSchema, this.engine.state, time);
  }
}
