import { fromCents, moveCents, toCents } from '../domain/money.ts';
import { SessionTracker } from '../domain/session.ts';
import { directionOf, type ExitReason, type Side, type Trade } from '../domain/trading.ts';
import {
  afterTrade,
  bracketLevels,
  dailyLossBreached,
  drawdownBreached,
  holdExpired,
  NO_STREAK,
  positionSize,
  type LossStreak,
  type TradingState,
} from '../risk/rules.ts';
import type { PositionState, Signal } from '../strategy/types.ts';
import type { EngineSettings } from './settings.ts';

/**
 * The trading core shared by the backtester and the live actors: it owns the risk state and turns
 * a strategy's advice into at most one decision per closed bar. It never talks to a broker; the
 * caller reports fills (`openPosition`, `closePosition`) and acts on the decisions.
 *
 * Per bar the caller reports the fills that happened in the bar, then calls onBarClose(time, close,
 * signal). Every call first rolls the CME session by its time, so a fill that opens a new session
 * counts in that session's P&L. The rules are the README's "Backtest assumptions".
 */

export type Decision = { readonly type: 'enter'; readonly side: Side } | { readonly type: 'exit'; readonly reason: ExitReason };

const ENTER_LONG: Decision = { type: 'enter', side: 'long' };
const ENTER_SHORT: Decision = { type: 'enter', side: 'short' };
const EXIT: Readonly<Record<ExitReason, Decision>> = Object.fromEntries(
  (['signal', 'stop', 'target', 'max_hold', 'daily_loss', 'drawdown', 'end_of_data', 'flatten', 'shutdown'] as const).map((r) => [r, { type: 'exit', reason: r }]),
) as Record<ExitReason, Decision>;

export interface OpenPosition {
  readonly side: Side;
  readonly qty: number;
  readonly entryPrice: number;
  readonly entryTime: number;
  readonly stop: number;
  readonly target: number;
  readonly entryCommissionCents: number;
}

/** Everything the engine knows, as plain data: persisted by the live system, rebuilt on boot. */
export interface EngineState {
  position: OpenPosition | null;
  realisedCents: number;
  sessionStart: number;
  sessionRealisedCents: number;
  peakEquityCents: number;
  equityCents: number;
  halted: boolean;
  /** Daily loss limit hit: no entries until the next session. */
  sessionBlocked: boolean;
  /** Operator pause: no entries until resumed. */
  paused: boolean;
  /** Manual or supervisor halt: no entries until an explicit reset (never cleared by a new session). */
  operatorHalt: boolean;
  streak: LossStreak;
}

export interface EngineOptions {
  /** 'run': a drawdown halt lasts for the rest of the run (backtest); 'session': until the next session. */
  readonly haltScope?: 'run' | 'session';
}

export class TradingEngine {
  readonly state: EngineState;
  private readonly sessions = new SessionTracker();
  private readonly commissionCents: number;
  readonly qty: number;

  constructor(
    readonly settings: EngineSettings,
    private readonly options: EngineOptions = {},
    restored?: EngineState,
  ) {
    this.commissionCents = toCents(settings.commissionPerContract);
    this.qty = positionSize(settings.contracts, settings.maxContracts);
    const capital = toCents(settings.initialCapital);
    this.state = restored ?? {
      position: null,
      realisedCents: 0,
      sessionStart: Number.NaN,
      sessionRealisedCents: 0,
      peakEquityCents: capital,
      equityCents: capital,
      halted: false,
      sessionBlocked: false,
      paused: false,
      operatorHalt: false,
      streak: NO_STREAK,
    };
  }

  get positionState(): PositionState {
    const p = this.state.position;
    return p === null ? 'flat' : p.side;
  }

  /** Rolls the session (daily P&L, daily block) when `time` lies in a new one. Idempotent. */
  beginBar(time: number): void {
    const start = this.sessions.at(time);
    if (start !== this.state.sessionStart) {
      this.state.sessionStart = start;
      this.state.sessionRealisedCents = 0;
      this.state.sessionBlocked = false;
      if (this.options.haltScope === 'session' && this.state.halted) {
        // The drawdown is measured afresh from here, or the first bar would halt again.
        this.state.halted = false;
        this.state.peakEquityCents = this.state.equityCents;
      }
    }
  }

  openPosition(side: Side, qty: number, price: number, time: number): OpenPosition {
    this.beginBar(time);
    const { stop, target } = bracketLevels(side, price, this.settings.stopLossPerContract, this.settings.takeProfitPerContract);
    const position: OpenPosition = { side, qty, entryPrice: price, entryTime: time, stop, target, entryCommissionCents: this.commissionCents * qty };
    this.state.position = position;
    return position;
  }

  /**
   * Closes `qty` contracts (default: all) at `price`. Closing part of a position (a broker fill
   * that covered only some contracts) books a trade for that part; the rest stays open.
   */
  closePosition(price: number, time: number, reason: ExitReason, qty?: number): Trade {
    const p = this.state.position;
    if (p === null) throw new Error(`closePosition(${reason}) while flat`);
    this.beginBar(time);
    const closed = qty === undefined ? p.qty : Math.min(qty, p.qty);
    const rest = p.qty - closed;
    const commissionCents = 2 * this.commissionCents * closed;
    const pnlCents = moveCents(p.entryPrice, price, closed, directionOf(p.side)) - commissionCents;
    const s = this.state;
    s.position = rest > 0 ? { ...p, qty: rest, entryCommissionCents: this.commissionCents * rest } : null;
    s.realisedCents += pnlCents;
    s.sessionRealisedCents += pnlCents;
    s.streak = afterTrade(s.streak, pnlCents, time, this.settings.consecutiveLossLimit, this.settings.consecutiveLossPauseMinutes);
    return { side: p.side, qty: closed, entryTime: p.entryTime, entryPrice: p.entryPrice, exitTime: time, exitPrice: price, exitReason: reason, commissionCents, pnlCents };
  }

  /** Open P&L at `price` net of the entry commission, in cents (0 when flat). */
  unrealisedCents(price: number): number {
    const p = this.state.position;
    return p === null ? 0 : moveCents(p.entryPrice, price, p.qty, directionOf(p.side)) - p.entryCommissionCents;
  }

  /** Marks to market at the close and returns the one decision for the next open, if any. */
  onBarClose(time: number, close: number, signal: Signal): Decision | null {
    this.beginBar(time);
    const s = this.state;
    const open = this.unrealisedCents(close);
    s.equityCents = toCents(this.settings.initialCapital) + s.realisedCents + open;
    if (s.equityCents > s.peakEquityCents) s.peakEquityCents = s.equityCents;
    const p = s.position;

    if (s.halted) return p ? EXIT.drawdown : null;
    if (drawdownBreached(s.peakEquityCents, s.equityCents, this.settings.maxDrawdown)) {
      s.halted = true;
      return p ? EXIT.drawdown : null;
    }
    if (dailyLossBreached(s.sessionRealisedCents + open, this.settings.dailyLossLimit)) {
      s.sessionBlocked = true;
      return p ? EXIT.daily_loss : null;
    }
    if (p !== null) {
      if (holdExpired(time, p.entryTime, this.settings.maxHoldMinutes)) return EXIT.max_hold;
      return signal === 'exit' ? EXIT.signal : null;
    }
    if (this.entriesBlocked(time)) return null;
    if (signal === 'enter_long') return ENTER_LONG;
    if (signal === 'enter_short') return ENTER_SHORT;
    return null;
  }

  entriesBlocked(time: number): boolean {
    const s = this.state;
    return s.halted || s.operatorHalt || s.sessionBlocked || s.paused || time < s.streak.pauseUntil;
  }

  tradingState(time: number): TradingState {
    if (this.state.halted || this.state.operatorHalt) return 'HALTED';
    return this.entriesBlocked(time) ? 'REDUCING' : 'ACTIVE';
  }

  get equity(): number {
    return fromCents(this.state.equityCents);
  }
}
