import * as v from 'valibot';
import type { Bar } from '../domain/bar.ts';
import type { Logger } from '../domain/log.ts';
import { fromCents } from '../domain/money.ts';
import { exitAction, type ExitReason, type Side, type Trade } from '../domain/trading.ts';
import { exitReasonOf } from '../engine/orders.ts';
import { TradingEngine, type Decision, type EngineState, type OpenPosition } from '../engine/engine.ts';
import type { EntryDenied, HaltReason, RiskChange } from '../engine/risk-state.ts';
import type { EngineSettings } from '../engine/settings.ts';
import type { Strategy, StrategyDefinition, StrategyParams } from '../strategy/types.ts';
import type { Repositories } from '../store/repositories.ts';
import { ENGINE_FACT, EngineSnapshotSchema, restoreSnapshot } from './engine-snapshot.ts';

const LAST_BAR_FACT = 'lastDecidedBar';

/** What a fill did to the engine's position. */
export type FillEffect =
  | { readonly kind: 'opened'; readonly position: OpenPosition }
  | { readonly kind: 'closed'; readonly trade: Trade; readonly rest: OpenPosition | null }
  /** Not explainable by the engine's position (an order placed outside the bot, a fill for the wrong side). */
  | { readonly kind: 'unmatched'; readonly why: string };

/** One order's fills, combined: quantity not yet in the engine, at their average price. */
export interface FillApplication {
  readonly orderRef: string;
  /** The journal trade's unique exit ref: the order ref, suffixed for a second part of one order. */
  readonly tradeRef: string;
  readonly reason: ExitReason | 'entry' | null;
  readonly action: 'buy' | 'sell';
  readonly qty: number;
  readonly price: number;
  readonly time: number;
}

/**
 * The live side of the one trading core: the shared engine plus the strategy instance, with every
 * change persisted as a fact (the engine snapshot) in the same transaction as the journal entry
 * that caused it, so a restart rebuilds the same state. It decides nothing the backtester would
 * not decide: both call the same TradingEngine, and both read its risk changes as values.
 */
export class TradingCore {
  readonly engine: TradingEngine;
  private readonly strategy: Strategy;
  private readonly listeners = new Set<(changes: readonly RiskChange[]) => void>();
  private readonly warmUpListeners = new Set<(bars: readonly Bar[]) => void>();
  private readonly decidedListeners = new Set<(bar: Bar) => void>();
  lastBar: Bar | null = null;
  /** Open time of the last bar the engine decided on: a bar re-sent after a crash only updates indicators. */
  private lastDecided: number;
  /** The engine snapshot (JSON) the store holds, as last committed by an outermost transaction; null when unknown. */
  private stored: string | null = null;

  constructor(
    readonly settings: EngineSettings,
    readonly strategyDef: StrategyDefinition,
    readonly params: StrategyParams,
    private readonly repos: Repositories,
    private readonly log: Logger,
  ) {
    const restored = restoreSnapshot(repos.facts.get(ENGINE_FACT, v.unknown()));
    this.engine = new TradingEngine(settings, restored ?? undefined);
    this.strategy = strategyDef.create(params);
    this.lastDecided = repos.facts.get(LAST_BAR_FACT, v.number()) ?? Number.NEGATIVE_INFINITY;
    if (restored) log.info('core.restored', { position: restored.position?.side ?? 'flat', realised: fromCents(restored.realisedCents), halt: restored.halt?.reason ?? null });
  }

  /** The engine's state, read-only: what the operator surfaces show. */
  get state(): Readonly<EngineState> {
    return this.engine.state;
  }

  /** Open P&L at `price` net of the entry commission, in cents (0 when flat). */
  unrealisedCents(price: number): number {
    return this.engine.unrealisedCents(price);
  }

  /** Hears every change of the risk state (halts, cooldowns, sessions) once it is committed. */
  onRisk(listener: (changes: readonly RiskChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Feeds history bars to the indicators only (no decisions); views (the live chart) hear of them too. */
  warmUp(bars: readonly Bar[]): void {
    for (const b of bars) this.strategy.onBar(b.close, 'flat');
    for (const l of this.warmUpListeners) l(bars);
  }

  /** Hears each bar the engine decided on (the dashboard's live chart). */
  onDecided(listener: (bar: Bar) => void): () => void {
    this.decidedListeners.add(listener);
    return () => this.decidedListeners.delete(listener);
  }

  onWarmUp(listener: (bars: readonly Bar[]) => void): () => void {
    this.warmUpListeners.add(listener);
    return () => this.warmUpListeners.delete(listener);
  }

  /** A closed bar: strategy advice → the engine's one decision (or its refusal). */
  onBar(bar: Bar): Decision | EntryDenied | null {
    if (bar.time <= this.lastDecided) {
      this.strategy.onBar(bar.close, this.engine.positionState);
      this.log.info('core.bar_replayed', { time: new Date(bar.time).toISOString(), note: 'decided before a restart; indicators only' });
      return null;
    }
    this.lastBar = bar;
    const signal = this.strategy.onBar(bar.close, this.engine.positionState);
    const decision = this.engine.onBarClose(bar.time, bar.close, signal);
    this.lastDecided = bar.time;
    for (const l of this.decidedListeners) l(bar);
    return decision;
  }

  /**
   * Persists the state after a bar. Called once the bar's decision has been acted on, so the
   * write is off the bar → order path; a crash in between re-decides the bar on boot, and the
   * order it produces carries the same client ref, which the journal does not send twice.
   */
  commitBar(): void {
    const time = this.lastDecided;
    // The bar's changes are in the engine already (onBar) and this write makes none: no copy of the state to put back.
    this.transact(() => this.repos.facts.set(LAST_BAR_FACT, v.number(), time, time), { relaxed: true, leavesEngine: true });
  }

  /**
   * Applies an order's fills to the engine's position. Runs inside the caller's transaction (the
   * one that journals the fill), so the fill and the position it changes commit together.
   */
  applyFill(f: FillApplication): FillEffect {
    const pos = this.engine.state.position;
    if (f.reason === 'entry') {
      const side: Side = f.action === 'buy' ? 'long' : 'short';
      if (pos === null) return { kind: 'opened', position: this.engine.openPosition(side, f.qty, f.price, f.time) };
      // The rest of the same entry (an execution that beat its cancel and arrived after it).
      if (pos.side === side && this.repos.orders.lastAppliedEntry()?.ref === f.orderRef) return { kind: 'opened', position: this.engine.addToPosition(f.qty, f.price, f.time) };
      return { kind: 'unmatched', why: `entry ${f.orderRef} filled ${f.qty} while ${pos.side} ${pos.qty} is open` };
    }
    if (pos === null) return { kind: 'unmatched', why: `${f.orderRef} ${f.action} ${f.qty} filled while flat` };
    if (f.action !== exitAction(pos.side)) return { kind: 'unmatched', why: `${f.orderRef} ${f.action} ${f.qty} filled against a ${pos.side} position` };
    const reason = exitReasonOf(f.orderRef, f.reason);
    const trade = this.engine.closePosition(f.price, f.time, reason, Math.min(f.qty, pos.qty));
    this.repos.recordClosedTrade({ ...trade, sessionStart: this.engine.state.sessionStart, entryRef: this.repos.orders.lastAppliedEntry()?.ref ?? null, exitRef: f.tradeRef }, f.time);
    if (f.qty > pos.qty) this.log.error('core.overfill', { ref: f.orderRef, filled: f.qty, held: pos.qty });
    return { kind: 'closed', trade, rest: this.engine.state.position };
  }

  setPaused(paused: boolean, time: number): void {
    this.transact(() => {
      this.ensureSession(time);
      this.engine.setPaused(paused);
    });
  }

  /** Halts entries (manual, supervisor, reconciliation): until reset, in this session and the next ones. */
  halt(reason: HaltReason, time: number, detail: string): void {
    this.transact(() => this.engine.trip(reason, time, detail));
  }

  /** The journal cannot be written: entries stop at once (in memory; nothing can be persisted now). */
  storeFailed(time: number, detail: string): void {
    this.engine.trip('store', time, detail);
    this.announce();
  }

  storeRecovered(time: number): void {
    this.transact(() => this.engine.storeRecovered(time));
  }

  /** An operator's reset: every risk block ends; the drawdown peak restarts at today's equity. */
  resetRisk(time: number): void {
    this.transact(() => this.engine.reset(time));
  }

  /**
   * Runs `work` (engine changes and journal writes) as one transaction that also stores the engine
   * snapshot. If anything fails the engine is put back as it was, so memory never holds a fact the
   * store does not; the changes it caused are announced only after the commit.
   */
  transact<T>(work: () => T, opts: { relaxed?: boolean; /** `work` does not change the engine: nothing to put back. */ leavesEngine?: boolean } = {}): T {
    const before = opts.leavesEngine ? null : structuredClone(this.engine.state);
    // Only an outermost transaction knows its writes are committed when it returns.
    const outermost = !this.repos.inTransaction();
    let written: string | null = this.stored;
    try {
      const run = () => {
        const out = work();
        const s = this.engine.state;
        // Before its first session the engine has nothing the journal does not (and NaN is not JSON);
        // a halt for the store lasts only while this process sees the store failing.
        if (!Number.isNaN(s.sessionStart)) {
          const snapshot = s.halt?.reason === 'store' ? { ...s, halt: null } : s;
          const text = JSON.stringify(snapshot);
          // Most commits (order statuses, flat bars) leave the engine as the store already holds it.
          // Skipping the same row is safe: a later fsynced commit makes every earlier one durable.
          if (text !== this.stored) {
            this.repos.facts.set(ENGINE_FACT, EngineSnapshotSchema, snapshot, this.lastBar?.time ?? 0);
            written = text;
          }
        }
        return out;
      };
      const out = opts.relaxed ? this.repos.relaxedTransaction(run) : this.repos.transaction(run);
      this.stored = outermost ? written : null;
      this.announce();
      return out;
    } catch (e) {
      this.stored = null;
      if (before !== null) this.engine.restore(before);
      this.engine.drainChanges();
      throw e;
    }
  }

  /** Announces risk changes made outside transact (a bar's decision); the snapshot follows with commitBar. */
  announce(): void {
    const changes = this.engine.drainChanges();
    if (changes.length === 0) return;
    for (const l of this.listeners) l(changes);
  }

  /**
   * Before its first bar or fill the engine has no session (NaN), which JSON cannot hold: a pause,
   * halt or reset that early opens the session of `time`; the first bar rolls it on, losing nothing.
   */
  private ensureSession(time: number): void {
    if (Number.isNaN(this.engine.state.sessionStart)) this.engine.beginBar(time);
  }
}

export type { EngineState };
