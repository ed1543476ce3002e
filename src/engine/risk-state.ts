import type { LossStreak } from '../risk/rules.ts';

/**
 * The engine's risk state and what it announces when that state changes. The engine is the one
 * owner of these facts, in the backtest and live alike; the circuit-breaker machine, the
 * dashboard and the reports only project the changes (STYLE §13–14).
 */

/** Why entries are halted. `store`: the journal cannot be written (live only, never persisted). */
export type HaltReason = 'daily_loss' | 'drawdown' | 'supervisor' | 'manual' | 'reconcile' | 'store';

/** `risk.drawdownReset`: `manual` — halted until an operator resets (a backtest: the rest of the run); `session` — cleared at the next CME session, peak re-based. */
export type DrawdownReset = 'manual' | 'session';

export interface Halt {
  readonly reason: HaltReason;
  /** Market time the halt began (epoch ms). */
  readonly since: number;
  /** Session in which it began. */
  readonly session: number;
  readonly detail: string;
}

/** Why the engine refused an entry its strategy asked for. */
export type DenyReason = HaltReason | 'paused' | 'cooldown';

export interface EntryDenied {
  readonly type: 'denied';
  readonly reason: DenyReason;
}

/** A change of the risk state, in the past tense. Drained by the caller after each call. */
export type RiskChange =
  | { readonly type: 'Halted'; readonly halt: Halt }
  | { readonly type: 'HaltCleared'; readonly reason: HaltReason; readonly time: number; readonly cause: 'session' | 'reset' | 'store_ok' }
  | { readonly type: 'CooldownStarted'; readonly until: number; readonly time: number }
  | { readonly type: 'CooldownEnded'; readonly time: number }
  | { readonly type: 'SessionStarted'; readonly sessionStart: number; readonly time: number };

export interface RiskState {
  halt: Halt | null;
  /** Operator pause: no entries until resumed. */
  paused: boolean;
  streak: LossStreak;
}

/**
 * How long a halt lasts — the one place this rule lives. Daily loss and a lost store clear by
 * themselves (next session; writes succeed again); a drawdown per `risk.drawdownReset`; manual and
 * supervisor halts only by a reset, because an operator should look at what went wrong first.
 */
export function clearsAtSession(reason: HaltReason, drawdownReset: DrawdownReset): boolean {
  return reason === 'daily_loss' || (reason === 'drawdown' && drawdownReset === 'session');
}

/** Whether a halt for `next` may replace `current`: one that needs a reset is never weakened. */
export function outranks(next: HaltReason, current: HaltReason | null, drawdownReset: DrawdownReset): boolean {
  if (current === null) return true;
  const rank = (r: HaltReason) => (r === 'store' ? 0 : clearsAtSession(r, drawdownReset) ? 1 : 2);
  return rank(next) >= rank(current);
}
