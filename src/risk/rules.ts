import { dollarsToTicksWithin, fromTicks, toCents, toTicks } from '../domain/money.ts';
import { MINUTE } from '../domain/session.ts';
import type { Side } from '../domain/trading.ts';

/**
 * Pure risk rules. Money in integer cents, times in epoch ms. Each is a small function or state
 * transition so the backtester and the live actors apply exactly the same arithmetic; the limits
 * checked every bar (drawdown, daily loss, max hold) are written once in the engine's onBarClose.
 */

/** NautilusTrader-style trading states: ACTIVE trades; REDUCING may only exit; HALTED does nothing new. */
export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';

export interface BracketLevels {
  readonly stop: number;
  readonly target: number;
}

/**
 * Stop and target at entry ∓/± (dollars per contract / $5) points, on the tick grid, each
 * distance rounded toward the entry to whole ticks (at least one):
 * - the stop, so a stopped-out trade never loses more than `stopLossPerContract` before
 *   slippage ($203 = 162.4 ticks → 162 ticks = $202.50, not 163 = $203.75);
 * - the target too, so a backtest never books a winner larger than `takeProfitPerContract`
 *   and rounding never flatters the risk/reward the trader configured. One rule for both
 *   legs keeps the bracket inside the configured amounts on either side.
 */
export function bracketLevels(side: Side, entryPrice: number, stopLossPerContract: number, takeProfitPerContract: number): BracketLevels {
  return bracketLevelsInTicks(side, entryPrice, dollarsToTicksWithin(stopLossPerContract), dollarsToTicksWithin(takeProfitPerContract));
}

/** `bracketLevels` with the distances already in ticks (`riskLimits`), for the hot path. */
export function bracketLevelsInTicks(side: Side, entryPrice: number, stopTicks: number, targetTicks: number): BracketLevels {
  const entry = toTicks(entryPrice);
  return side === 'long'
    ? { stop: fromTicks(entry - stopTicks), target: fromTicks(entry + targetTicks) }
    : { stop: fromTicks(entry + stopTicks), target: fromTicks(entry - targetTicks) };
}

/**
 * The limits in the units the engine compares in, converted once per settings: a backtest asks
 * them every bar, and converting dollars to cents every time cost a third of its bar.
 */
export interface RiskLimits {
  readonly maxDrawdownCents: number;
  readonly dailyLossCents: number;
  readonly maxHoldMs: number;
  readonly stopTicks: number;
  readonly targetTicks: number;
}

export function riskLimits(s: {
  readonly maxDrawdown: number;
  readonly dailyLossLimit: number;
  readonly maxHoldMinutes: number;
  readonly stopLossPerContract: number;
  readonly takeProfitPerContract: number;
}): RiskLimits {
  return {
    maxDrawdownCents: toCents(s.maxDrawdown),
    dailyLossCents: toCents(s.dailyLossLimit),
    maxHoldMs: s.maxHoldMinutes * MINUTE,
    stopTicks: dollarsToTicksWithin(s.stopLossPerContract),
    targetTicks: dollarsToTicksWithin(s.takeProfitPerContract),
  };
}

export function positionSize(contracts: number, maxContracts: number): number {
  return Math.max(0, Math.min(contracts, maxContracts));
}

/** Consecutive losing trades and the entry pause they cause. */
export interface LossStreak {
  readonly losses: number;
  /** Entries are blocked while bar time < pauseUntil (epoch ms; 0 = none). */
  readonly pauseUntil: number;
}

export const NO_STREAK: LossStreak = { losses: 0, pauseUntil: 0 };

/**
 * A losing trade (P&L < 0) extends the streak; at `limit` losses in a row entries pause for
 * `pauseMinutes` from that trade's exit and the count starts again. A trade with P&L ≥ 0 resets it.
 */
export function afterTrade(streak: LossStreak, pnlCents: number, exitTime: number, limit: number, pauseMinutes: number): LossStreak {
  if (pnlCents >= 0) return streak.losses === 0 ? streak : { losses: 0, pauseUntil: streak.pauseUntil };
  const losses = streak.losses + 1;
  if (losses >= limit) return { losses: 0, pauseUntil: exitTime + pauseMinutes * MINUTE };
  return { losses, pauseUntil: streak.pauseUntil };
}
