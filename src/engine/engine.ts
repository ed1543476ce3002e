import { fromCents, moveCents, roundToTick, toCents } from '../domain/money.ts';
import { SessionTracker } from '../domain/session.ts';
import { directionOf, type ExitReason, type Side, type Trade } from '../domain/trading.ts';
import { afterTrade, bracketLevelsInTicks, NO_STREAK, positionSize, type LossStreak, riskLimits, type TradingState } from '../risk/rules.ts';
import type { PositionState, Signal } from '../strategy/types.ts';
import { clearsAtSession, outranks, type EntryDenied, type Halt, type HaltReason, type RiskChange, type RiskState } from './risk-state.ts';
import type { EngineSettings } from './settings.ts';

/**
 * The trading core shared by the backtester and the live actors: it owns the risk state and turns
 * a strategy's advice into at most one decision per closed bar. It never talks to a broker; the
 * caller reports fills (`openPosition`, `closePosition`) and acts on the decisions.
 *
 * Per bar the caller reports the fills that happened in the bar, then calls onBarClose(time, close,
 * signal). Every call first rolls the CME session by its time, so a fill that opens a new session
 * counts in that session's P&L. The rules are the README's "Backtest assumptions". Every change of
 * the risk state is announced as a value (`drainChanges`); an entry refused is an `EntryDenied`.
 */

export type Decision = { readonly type: 'enter'; readonly side: Side } | { readonly type: 'exit'; readonly reason: ExitReason };

const ENTER_LONG: Decision = { type: 'enter', side: 'long' };
const ENTER_SHORT: Decision = { type: 'enter', side: 'short' };
const EXIT: Readonly<Record<ExitReason, Decision>> = Object.fromEntries(
  (['signal', 'stop', 'target', 'max_hold', 'daily_loss', 'drawdown', 'end_of_data', 'flatten', 'shutdown'] as const).map((r) => [r, { type: 'exit', reason: r }]),
) as Record<ExitReason, Decision>;
const DENIED: Readonly<Record<EntryDenied['reason'], EntryDenied>> = Object.fromEntries(
  (['daily_loss', 'drawdown', 'supervisor', 'manual', 'reconcile', 'store', 'paused', 'cooldown'] as const).map((r) => [r, { type: 'denied', reason: r }]),
) as Record<EntryDenied['reason'], EntryDenied>;

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
export interface EngineState extends RiskState {
  position: OpenPosition | null;
  realisedCents: number;
  sessionStart: number;
  sessionRealisedCents: number;
  peakEquityCents: number;
  equityCents: number;
}

export class TradingEngine {
  readonly state: EngineState;
  private readonly sessions = new SessionTracker();
  private readonly commissionCents: number;
  private readonly capitalCents: number;
  // The settings' limits in cents, ms and ticks, converted once and held as fields of their own:
  // onBarClose runs every bar of a backtest, and each object hop or helper call there costs.
  private readonly maxDrawdownCents: number;
  private readonly dailyLossCents: number;
  private readonly maxHoldMs: number;
  private readonly stopTicks: number;
  private readonly targetTicks: number;
  private changes: RiskChange[] = [];
  private quietFrom = Number.POSITIVE_INFINITY;
  private quietUntil = Number.NEGATIVE_INFINITY;
  private quietStreak: LossStreak | null = null;
  readonly qty: number;

  constructor(
    readonly settings: EngineSettings,
    restored?: EngineState,
  ) {
    this.commissionCents = toCents(settings.commissionPerContract);
    this.qty = positionSize(settings.contracts, settings.maxContracts);
    this.capitalCents = toCents(settings.initialCapital);
    ({ maxDrawdownCents: this.maxDrawdownCents, dailyLossCents: this.dailyLossCents, maxHoldMs: this.maxHoldMs, stopTicks: this.stopTicks, targetTicks: this.targetTicks } = riskLimits(settings));
    this.state = restored ?? {
      position: null,
      realisedCents: 0,
      sessionStart: Number.NaN,
      sessionRealisedCents: 0,
      peakEquityCents: this.capitalCents,
      equityCents: this.capitalCents,
      halt: null,
      paused: false,
      streak: NO_STREAK,
    };
  }

  get positionState(): PositionState {
    const p = this.state.position;
    return p === null ? 'flat' : p.side;
  }

  /** The risk changes since the last call, oldest first. */
  drainChanges(): RiskChange[] {
    if (this.changes.length === 0) return this.changes;
    const out = this.changes;
    this.changes = [];
    return out;
  }

  /** Rolls the session (daily P&L, halts that end with it) when `time` lies in a new one. Idempotent. */
  beginBar(time: number): void {
    // Nothing to do until the next session or the end of a cooldown, while the state is the
    // one last rolled (a caller may restore an earlier state object: then it is rolled again).
    const s = this.state;
    if (time < this.quietUntil && time >= this.quietFrom && s.streak === this.quietStreak && s.sessionStart === this.quietFrom) return;
    this.rollAndRearm(time);
  }

  private rollAndRearm(time: number): void {
    const s = this.state;
    this.roll(time);
    this.quietFrom = s.sessionStart;
    this.quietStreak = s.streak;
    const pause = s.streak.pauseUntil;
    this.quietUntil = pause !== 0 && pause < this.sessions.until ? pause : this.sessions.until;
  }

  private roll(time: number): void {
    const s = this.state;
    if (s.streak.pauseUntil !== 0 && time >= s.streak.pauseUntil) {
      s.streak = { losses: s.streak.losses, pauseUntil: 0 };
      this.changes.push({ type: 'CooldownEnded', time });
    }
    const start = this.sessions.at(time);
    if (start === s.sessionStart) return;
    s.sessionStart = start;
    s.sessionRealisedCents = 0;
    const h = s.halt;
    if (h !== null && clearsAtSession(h.reason, this.settings.drawdownReset)) {
      // The drawdown is measured afresh from here, or the first bar would halt again.
      if (h.reason === 'drawdown') s.peakEquityCents = s.equityCents;
      this.clear(time, 'session');
    }
    this.changes.push({ type: 'SessionStarted', sessionStart: start, time });
  }

  openPosition(side: Side, qty: number, price: number, time: number): OpenPosition {
    this.beginBar(time);
    const { stop, target } = bracketLevelsInTicks(side, price, this.stopTicks, this.targetTicks);
    const position: OpenPosition = { side, qty, entryPrice: price, entryTime: time, stop, target, entryCommissionCents: this.commissionCents * qty };
    this.state.position = position;
    return position;
  }

  /**
   * More contracts of the same entry (a late execution of a part-filled entry): the position
   * grows at the average price; its stop and target are measured from that average, on the grid.
   */
  addToPosition(qty: number, price: number, time: number): OpenPosition {
    const p = this.state.position;
    if (p === null) return this.openPosition('long', qty, price, time);
    this.beginBar(time);
    const total = p.qty + qty;
    const entryPrice = (p.entryPrice * p.qty + price * qty) / total;
    const { stop, target } = bracketLevelsInTicks(p.side, roundToTick(entryPrice), this.stopTicks, this.targetTicks);
    const position: OpenPosition = { ...p, qty: total, entryPrice, stop, target, entryCommissionCents: this.commissionCents * total };
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
    const pauseBefore = s.streak.pauseUntil;
    s.streak = afterTrade(s.streak, pnlCents, time, this.settings.consecutiveLossLimit, this.settings.consecutiveLossPauseMinutes);
    if (s.streak.pauseUntil !== pauseBefore && s.streak.pauseUntil > time) this.changes.push({ type: 'CooldownStarted', until: s.streak.pauseUntil, time });
    return { side: p.side, qty: closed, entryTime: p.entryTime, entryPrice: p.entryPrice, exitTime: time, exitPrice: price, exitReason: reason, commissionCents, pnlCents };
  }

  /** Open P&L at `price` net of the entry commission, in cents (0 when flat). */
  unrealisedCents(price: number): number {
    const p = this.state.position;
    return p === null ? 0 : moveCents(p.entryPrice, price, p.qty, directionOf(p.side)) - p.entryCommissionCents;
  }

  /**
   * Marks to market at the close and returns the one decision for the next open: an order, an
   * entry the risk rules refused (`denied`), or null when the strategy asked for nothing.
   */
  onBarClose(time: number, close: number, signal: Signal): Decision | EntryDenied | null {
    this.beginBar(time);
    const s = this.state;
    const p = s.position;
    const open = p === null ? 0 : moveCents(p.entryPrice, close, p.qty, directionOf(p.side)) - p.entryCommissionCents;
    const equity = this.capitalCents + s.realisedCents + open;
    s.equityCents = equity;
    if (equity > s.peakEquityCents) s.peakEquityCents = equity;
    // The risk rules, each written once, here (README "Backtest assumptions"); at the limit itself
    // they trip. Plain expressions on fields: the JIT inlines this method into a backtest's loop.
    const drawdown = s.peakEquityCents - equity >= this.maxDrawdownCents;
    const dailyLoss = s.sessionRealisedCents + open <= -this.dailyLossCents;
    if (s.halt !== null || drawdown || dailyLoss) {
      const d = this.riskDecision(time, signal, open, drawdown, dailyLoss);
      if (d !== undefined) return d;
    }
    if (p !== null) return time - p.entryTime >= this.maxHoldMs ? EXIT.max_hold : signal === 'exit' ? EXIT.signal : null;
    return signal === 'enter_long' || signal === 'enter_short' ? this.entryDecision(time, signal) : null;
  }

  private entryDecision(time: number, signal: 'enter_long' | 'enter_short'): Decision | EntryDenied {
    const blocked = this.entryBlock(time);
    if (blocked !== null) return DENIED[blocked];
    return signal === 'enter_long' ? ENTER_LONG : ENTER_SHORT;
  }

  /**
   * The bar's decision when a halt is in force or a limit is reached (equity and peak marked):
   * the exit or refusal it forces, or undefined when the position's own rules still decide (a
   * halt other than drawdown lets exits through; entries are refused by entryBlock).
   */
  private riskDecision(time: number, signal: Signal, open: number, drawdown: boolean, dailyLoss: boolean): Decision | EntryDenied | null | undefined {
    const s = this.state;
    const p = s.position;
    const h = s.halt;
    if (h !== null && h.reason === 'drawdown') return p ? EXIT.drawdown : this.deny(signal, 'drawdown');
    if (drawdown) {
      this.trip('drawdown', time, `equity ${fromCents(s.equityCents).toFixed(2)} is ${fromCents(s.peakEquityCents - s.equityCents).toFixed(2)} below peak ${fromCents(s.peakEquityCents).toFixed(2)}`);
      return p ? EXIT.drawdown : this.deny(signal, 'drawdown');
    }
    if (dailyLoss) {
      if (h === null || h.reason !== 'daily_loss') this.trip('daily_loss', time, `session P&L ${fromCents(s.sessionRealisedCents + open).toFixed(2)} reached the daily loss limit ${this.settings.dailyLossLimit.toFixed(2)}`);
      return p ? EXIT.daily_loss : this.deny(signal, 'daily_loss');
    }
    return undefined;
  }

  /** Why entries are refused at `time`, or null when they are allowed. */
  entryBlock(time: number): EntryDenied['reason'] | null {
    const s = this.state;
    if (s.halt !== null) return s.halt.reason;
    if (s.paused) return 'paused';
    return time < s.streak.pauseUntil ? 'cooldown' : null;
  }

  tradingState(time: number): TradingState {
    const h = this.state.halt;
    if (h !== null && h.reason !== 'daily_loss') return 'HALTED';
    return this.entryBlock(time) === null ? 'ACTIVE' : 'REDUCING';
  }

  /** Halts entries for `reason`, unless a halt that needs more to clear is already in force. */
  trip(reason: HaltReason, time: number, detail: string): void {
    const s = this.state;
    if (Number.isNaN(s.sessionStart)) this.beginBar(time);
    if (!outranks(reason, s.halt?.reason ?? null, this.settings.drawdownReset)) return;
    const halt: Halt = { reason, since: time, session: s.sessionStart, detail };
    s.halt = halt;
    this.changes.push({ type: 'Halted', halt });
  }

  /** The journal can be written again: a halt for that reason ends. */
  storeRecovered(time: number): void {
    if (this.state.halt?.reason === 'store') this.clear(time, 'store_ok');
  }

  setPaused(paused: boolean): void {
    this.state.paused = paused;
  }

  /** An operator's reset: every risk block ends (halt, loss-streak pause); the drawdown peak restarts at today's equity. */
  reset(time: number): void {
    const s = this.state;
    if (Number.isNaN(s.sessionStart)) this.beginBar(time);
    if (s.streak.pauseUntil !== 0) this.changes.push({ type: 'CooldownEnded', time });
    s.streak = NO_STREAK;
    s.peakEquityCents = s.equityCents;
    if (s.halt !== null) this.clear(time, 'reset');
  }

  get equity(): number {
    return fromCents(this.state.equityCents);
  }

  private clear(time: number, cause: 'session' | 'reset' | 'store_ok'): void {
    const h = this.state.halt;
    if (h === null) return;
    this.state.halt = null;
    this.changes.push({ type: 'HaltCleared', reason: h.reason, time, cause });
  }

  private deny(signal: Signal, reason: EntryDenied['reason']): EntryDenied | null {
    return signal === 'enter_long' || signal === 'enter_short' ? DENIED[reason] : null;
  }
}
