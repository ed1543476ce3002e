import type { BarSeries } from '../domain/bar.ts';
import { MES } from '../domain/instrument.ts';
import { MINUTE, SessionTracker } from '../domain/session.ts';
import { dollarsToTicksWithin, toCents } from '../domain/money.ts';
import type { EngineSettings } from '../engine/settings.ts';
import { compareAt } from '../indicators/tick-moments.ts';
import { centredLevels } from '../strategy/thresholds.ts';

/**
 * The bench's reference, never used to trade: the Z-Score rules of a backtest written as one flat
 * loop over the columns (ticks and cents in locals, no objects, no calls per bar), so `bun run
 * bench` can say what the shared engine path costs over the floor of the same work in Bun. It
 * does the work every bar of a backtest needs — fills at the open with slippage, stop before
 * target, marking to market, session P&L, drawdown and daily-loss checks, the max-drawdown
 * figure, max hold, signal exits, the loss-streak pause, end of data — but does not implement
 * what follows a halt: it throws if a limit is reached (the bench's limits are out of reach). It
 * must reproduce the engine's trades and P&L to the cent in the same run, or the bench fails.
 */

export interface BareLoopResult {
  readonly trades: number;
  readonly netCents: number;
  /** Order-sensitive digest of (exit time, P&L cents) of every trade. */
  readonly digest: number;
  readonly maxDrawdownCents: number;
}

export interface ZColumns {
  /** Tick moments of the closes (`rollingTickMoments`) and their z (`zOfMoments`). */
  readonly moments: Float64Array;
  readonly z: Float64Array;
}

/** The digest of no trades (FNV's offset basis), as a signed 32-bit integer like every digest. */
export const DIGEST_SEED = 2166136261 | 0;

/**
 * Adds one trade to an order-sensitive digest (a 32-bit FNV-style mix of exit time and P&L). Kept
 * a signed 32-bit integer: as an unsigned one it crossed 2³¹ at random, and each crossing sent the
 * bare loop's JIT code back a tier.
 */
export function digestTrade(digest: number, exitTime: number, pnlCents: number): number {
  const h = Math.imul(digest ^ (exitTime / MINUTE), 16777619);
  return Math.imul(h ^ pnlCents, 16777619);
}

export function bareLoopZScore(series: BarSeries, cols: ZColumns, params: { lookback: number; entry: number; exit: number }, s: EngineSettings): BareLoopResult {
  const { time, open, high, low, close } = series;
  const { moments, z } = cols;
  const { enterLong, enterShort, exitLong, exitShort } = centredLevels(params.entry, params.exit);
  const eL = enterLong.value;
  const eS = enterShort.value;
  const xL = exitLong.value;
  const xS = exitShort.value;
  const lookback = params.lookback;
  const qty = Math.max(0, Math.min(s.contracts, s.maxContracts));
  const slip = s.slippageTicks;
  const stopTicks = dollarsToTicksWithin(s.stopLossPerContract);
  const targetTicks = dollarsToTicksWithin(s.takeProfitPerContract);
  const commission2 = 2 * toCents(s.commissionPerContract) * qty;
  const tickCents = MES.tickValueCents * qty;
  const maxHold = s.maxHoldMinutes * MINUTE;
  const lossLimit = s.consecutiveLossLimit;
  const pause = s.consecutiveLossPauseMinutes * MINUTE;
  const capital = toCents(s.initialCapital);
  const ddLimit = toCents(s.maxDrawdown);
  const dayLimit = toCents(s.dailyLossLimit);
  const sessions = new SessionTracker();
  const n = series.length;

  let dir = 0; // +1 long, −1 short, 0 flat
  let entryT = 0;
  let entryTime = 0;
  let stop = 0;
  let target = 0;
  let pending = 0; // +1 / −1 enter, 2 exit, 0 none
  let losses = 0;
  let pauseUntil = 0;
  let trades = 0;
  let netCents = 0;
  let digest = DIGEST_SEED;
  let session = Number.NaN;
  let sessionCents = 0;
  let peak = capital;
  let maxDd = 0;

  // sign(z − level) exactly: the float filter, and the exact test only for near-ties.
  const cmp = (i: number, level: number, t: typeof enterLong) => {
    const zi = z[i]!;
    const d = zi - level;
    if (Math.abs(d) > 1e-12 * (Math.abs(zi) + Math.abs(level))) return d > 0 ? 1 : -1;
    return compareAt(moments, z, i, close, lookback, t) ?? 2;
  };

  // Everything in locals, nothing captured by a closure that writes it: the loop the JIT likes.
  for (let i = 0; i < n; i++) {
    const t = time[i]!;
    const o = open[i]! * 4;
    const start = sessions.at(t);
    if (start !== session) {
      session = start;
      sessionCents = 0;
    }
    let exitT = Number.NaN; // the exit fill of this bar, in ticks
    if (pending !== 0) {
      if (pending === 2) exitT = dir > 0 ? o - slip : o + slip;
      else {
        dir = pending;
        entryT = o + (dir > 0 ? slip : -slip);
        entryTime = t;
        stop = entryT - dir * stopTicks;
        target = entryT + dir * targetTicks;
      }
      pending = 0;
    }
    if (dir > 0 && exitT !== exitT) {
      if (low[i]! * 4 <= stop) exitT = (o <= stop ? o : stop) - slip;
      else if (high[i]! * 4 >= target) exitT = o >= target ? o : target;
    } else if (dir < 0 && exitT !== exitT) {
      if (high[i]! * 4 >= stop) exitT = (o >= stop ? o : stop) + slip;
      else if (low[i]! * 4 <= target) exitT = o <= target ? o : target;
    }
    if (exitT === exitT) {
      const pnl = (exitT - entryT) * dir * tickCents - commission2;
      trades++;
      netCents += pnl;
      sessionCents += pnl;
      digest = digestTrade(digest, t, pnl);
      if (pnl >= 0) losses = 0;
      else if (++losses >= lossLimit) {
        losses = 0;
        pauseUntil = t + pause;
      }
      dir = 0;
    }
    const c = close[i]! * 4;
    const openCents = dir === 0 ? 0 : (c - entryT) * dir * tickCents - commission2 / 2;
    const equity = capital + netCents + openCents;
    if (equity > peak) peak = equity;
    if (peak - equity > maxDd) maxDd = peak - equity;
    if (peak - equity >= ddLimit || sessionCents + openCents <= -dayLimit) throw new Error('bare loop: a risk limit was reached; it has no halts (widen the limits)');
    const zi = z[i]!;
    if (dir !== 0) {
      if (t - entryTime >= maxHold) pending = 2;
      else if (zi === zi && (dir > 0 ? cmp(i, xL, exitLong) >= 0 : cmp(i, xS, exitShort) <= 0)) pending = 2;
    } else if (zi === zi && t >= pauseUntil) {
      if (cmp(i, eL, enterLong) <= 0) pending = 1;
      else if (cmp(i, eS, enterShort) >= 0) pending = -1;
    }
  }
  if (dir !== 0) {
    const pnl = (close[n - 1]! * 4 - entryT) * dir * tickCents - commission2;
    trades++;
    netCents += pnl;
    digest = digestTrade(digest, time[n - 1]!, pnl);
  }
  return { trades, netCents, digest, maxDrawdownCents: maxDd };
}
