import { fromCents, moveCents, roundToTick, toCents } from '../domain/money.ts';
import { SessionTracker } from '../domain/session.ts';
import { directionOf, type ExitReason, type Side, type Trade } from '../domain/trading.ts';
import { afterTrade, bracketLevelsInTicks, NO_STREAK, positionSize, riskLimits, type TradingState } from '../risk/rules.ts';
import { SIGNAL_CODE, SIGNAL_ENTER_LONG, SIGNAL_ENTER_SHORT, SIGNAL_EXIT, type PositionDirection, type PositionState, type Signal, type SignalCode } from '../strategy/types.ts';
import { clearsAtSession, outranks, type DenyReason, type EntryDenied, type Halt, type HaltReason, type RiskChange, type RiskState } from './risk-state.ts';
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

/**
 * A decision as a small integer, what the backtest's per-bar path handles (`decide`);
 * `DECISIONS[code]` is the value onBarClose returns. 0: nothing; 1 / 2: enter long / short (the
 * numbers of the signals that ask for them); then one code per exit reason, then per refusal.
 */
export type DecisionCode = number;
export const NO_DECISION = 0;
export const ENTER_LONG_CODE = SIGNAL_ENTER_LONG;
export const ENTER_SHORT_CODE = SIGNAL_ENTER_SHORT;
const EXIT_REASONS = ['signal', 'stop', 'target', 'max_hold', 'daily_loss', 'drawdown', 'end_of_data', 'flatten', 'shutdown'] as const satisfies readonly ExitReason[];
const DENY_REASONS = ['daily_loss', 'drawdown', 'supervisor', 'manual', 'reconcile', 'store', 'paused', 'cooldown'] as const satisfies readonly DenyReason[];
const FIRST_EXIT = 3;
const FIRST_DENIAL = FIRST_EXIT + EXIT_REASONS.length;
const EXIT_CODE = Object.fromEntries(EXIT_REASONS.map((r, i) => [r, FIRST_EXIT + i])) as Readonly<Record<ExitReason, DecisionCode>>;
const DENY_CODE = Object.fromEntries(DENY_REASONS.map((r, i) => [r, FIRST_DENIAL + i])) as Readonly<Record<DenyReason, DecisionCode>>;
const DECISIONS: readonly (Decision | EntryDenied | null)[] = [
  null,
  { type: 'enter', side: 'long' },
  { type: 'enter', side: 'short' },
  ...EXIT_REASONS.map((reason): Decision => ({ type: 'exit', reason })),
  ...DENY_REASONS.map((reason): EntryDenied => ({ type: 'denied', reason })),
];
/** riskDecision's answer when it leaves the decision to the position's own rules. */
const UNDECIDED = -1;
/** A code that asks for an order (an entry or an exit), not nothing or a refusal. */
export const isOrderCode = (code: DecisionCode): boolean => code !== NO_DECISION && code < FIRST_DENIAL;
/** The exit reason of an exit's code. */
export const exitReasonOfCode = (code: DecisionCode): ExitReason => EXIT_REASONS[code - FIRST_EXIT]!;

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
  // The open position's numbers, mirrored from `state.position` by `hold` (the one writer of
  // both): decide reads them every bar, and a number in a field is one load where the object
  // behind `state.position` is three, plus a string compare for its side.
  private dir: PositionDirection = 0;
  private entryPrice = 0;
  private entryTime = 0;
  private heldQty = 0;
  private entryCommission = 0;
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
    this.hold(this.state.position);
  }

  /** Sets the open position, in the state and in the numbers decide reads. */
  private hold(position: OpenPosition | null): void {
    this.state.position = position;
    this.dir = position === null ? 0 : directionOf(position.side);
    this.entryPrice = position?.entryPrice ?? 0;
    this.entryTime = position?.entryTime ?? 0;
    this.heldQty = position?.qty ?? 0;
    this.entryCommission = position?.entryCommissionCents ?? 0;
  }

  get positionState(): PositionState {
    const p = this.state.position;
    return p === null ? 'flat' : p.side;
  }

  /** The position as a direction (0 flat, +1 long, −1 short). */
  get direction(): PositionDirection {
    return this.dir;
  }

  /** Whether there are risk changes to drain. */
  get changed(): boolean {
    return this.changes.length !== 0;
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
    // Nothing to do until the next session or the end of a cooldown: the engine's own methods
    // re-arm this window whenever they change the session or the streak, `restore` clears it.
    if (time < this.quietUntil && time >= this.quietFrom) return;
    this.rollAndRearm(time);
  }

  /** Puts back a state taken earlier (a transaction that failed): the next call rolls from it. */
  restore(earlier: EngineState): void {
    Object.assign(this.state, earlier);
    this.hold(earlier.position);
    this.quietUntil = Number.NEGATIVE_INFINITY;
  }

  private rollAndRearm(time: number): void {
    this.roll(time);
    this.rearm();
  }

  /** Notes the state just rolled: beginBar has nothing to do until the session or a cooldown ends. */
  private rearm(): void {
    const s = this.state;
    this.quietFrom = s.sessionStart;
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
    this.hold(position);
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
    this.hold(position);
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
    this.hold(rest > 0 ? { ...p, qty: rest, entryCommissionCents: this.commissionCents * rest } : null);
    s.realisedCents += pnlCents;
    s.sessionRealisedCents += pnlCents;
    const pauseBefore = s.streak.pauseUntil;
    s.streak = afterTrade(s.streak, pnlCents, time, this.settings.consecutiveLossLimit, this.settings.consecutiveLossPauseMinutes);
    if (s.streak.pauseUntil !== pauseBefore && s.streak.pauseUntil > time) this.changes.push({ type: 'CooldownStarted', until: s.streak.pauseUntil, time });
    // The session was rolled above; only the streak changed.
    this.rearm();
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
    return DECISIONS[this.decide(time, close, SIGNAL_CODE[signal])]!;
  }

  /** onBarClose with the signal and the decision as codes (`SignalCode`, `DecisionCode`): the rules, written once. */
  decide(time: number, close: number, signal: SignalCode): DecisionCode {
    this.beginBar(time);
    const s = this.state;
    const dir = this.dir;
    const open = dir === 0 ? 0 : moveCents(this.entryPrice, close, this.heldQty, dir) - this.entryCommission;
    const equity = this.capitalCents + s.realisedCents + open;
    s.equityCents = equity;
    if (equity > s.peakEquityCents) s.peakEquityCents = equity;
    // The risk rules, each written once, here (README "Backtest assumptions"); at the limit itself
    // they trip. Plain expressions on fields and integer codes: the JIT inlines this method into a
    // backtest's loop.
    const drawdown = s.peakEquityCents - equity >= this.maxDrawdownCents;
    const dailyLoss = s.sessionRealisedCents + open <= -this.dailyLossCents;
    if (s.halt !== null || drawdown || dailyLoss) {
      const d = this.riskDecision(time, signal, open, drawdown, dailyLoss);
      if (d !== UNDECIDED) return d;
    }
    if (dir !== 0) return time - this.entryTime >= this.maxHoldMs ? EXIT_CODE.max_hold : signal === SIGNAL_EXIT ? EXIT_CODE.signal : NO_DECISION;
    return signal === SIGNAL_ENTER_LONG || signal === SIGNAL_ENTER_SHORT ? this.entryDecision(time, signal) : NO_DECISION;
  }

  private entryDecision(time: number, signal: SignalCode): DecisionCode {
    const blocked = this.entryBlock(time);
    // An entry's code is its signal's.
    return blocked === null ? signal : DENY_CODE[blocked];
  }

  /**
   * The bar's decision when a halt is in force or a limit is reached (equity and peak marked):
   * the exit or refusal it forces, or UNDECIDED when the position's own rules still decide (a
   * halt other than drawdown lets exits through; entries are refused by entryBlock).
   */
  private riskDecision(time: number, signal: SignalCode, open: number, drawdown: boolean, dailyLoss: boolean): DecisionCode {
    const s = this.state;
    const p = s.position;
    const h = s.halt;
    if (h !== null && h.reason === 'drawdown') return p ? EXIT_CODE.drawdown : this.deny(signal, 'drawdown');
    if (drawdown) {
      this.trip('drawdown', time, `equity ${fromCents(s.equityCents).toFixed(2)} is ${fromCents(s.peakEquityCents - s.equityCents).toFixed(2)} below peak ${fromCents(s.peakEquityCents).toFixed(2)}`);
      return p ? EXIT_CODE.drawdown : this.deny(signal, 'drawdown');
    }
    if (dailyLoss) {
      if (h === null || h.reason !== 'daily_loss') this.trip('daily_loss', time, `session P&L ${fromCents(s.sessionRealisedCents + open).toFixed(2)} reached the daily loss limit ${this.settings.dailyLossLimit.toFixed(2)}`);
      return p ? EXIT_CODE.daily_loss : this.deny(signal, 'daily_loss');
    }
    return UNDECIDED;
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

  private deny(signal: SignalCode, reason: DenyReason): DecisionCode {
    return signal === SIGNAL_ENTER_LONG || signal === SIGNAL_ENTER_SHORT ? DENY_CODE[reason] : NO_DECISION;
  }
}
