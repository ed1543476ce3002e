import { MES } from '../../domain/instrument.ts';
import { fromNyWallMs, HOUR } from '../../domain/session.ts';
import { IB_ADAPTER, IbBrokerError } from './codes.ts';

/** A listed MES future, from reqContractDetails. */
export interface FutureContract {
  readonly conId: number;
  readonly symbol: string;
  readonly localSymbol: string;
  /** YYYYMMDD: the last trading day. */
  readonly lastTradeDate: string;
  readonly multiplier: number;
  readonly exchange: string;
  readonly currency: string;
}

const DAY = 86_400_000;

/** The last trading day as UTC midnight; null when IB's text is not a YYYYMMDD date. */
export function lastTradeDay(c: FutureContract): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(c.lastTradeDate);
  if (!m) return null;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
  return Number.isNaN(t) ? null : t;
}

/** When the contract stops trading: 09:30 New York on its last trading day (CME equity index quarterlies); null when the date is unreadable. */
export function expiryTime(c: FutureContract): number | null {
  const day = lastTradeDay(c);
  return day === null ? null : fromNyWallMs(day + 9.5 * HOUR);
}

/**
 * By when a position still open in `c` is closed: `closeHours` before it stops trading. With the
 * default 24 that is 09:30 New York on the day before the last trading day — a regular-hours
 * session with the contract still liquid, and a whole day left if the close meets a problem.
 */
export function closeDeadline(c: FutureContract, closeHours: number): number | null {
  const expiry = expiryTime(c);
  return expiry === null ? null : expiry - closeHours * HOUR;
}

/**
 * The contract to trade at `nowMs`: the nearest expiry that is more than `rollDays` days away.
 * Liquidity moves to the next quarter about a week before expiry (CME's roll date is eight days
 * before), and a position must never be carried into the expiry (the quarterly contract stops
 * trading at 9:30 New York on its last day), so the bot changes contract at the start of the
 * day `rollDays` before the last trading day — with 0, the day before it. Given `closeHours`, a
 * contract is also left at its close deadline if that comes first, so no entry is ever made in a
 * contract whose positions are being closed. Only MES with the $5 multiplier in USD qualifies.
 */
export function pickFrontMonth(candidates: readonly FutureContract[], nowMs: number, rollDays: number, closeHours?: number): FutureContract {
  const beforeClose = (c: FutureContract) => closeHours === undefined || nowMs < (closeDeadline(c, closeHours) ?? Number.NEGATIVE_INFINITY);
  const usable = candidates
    .filter((c) => c.symbol === MES.symbol && c.multiplier === MES.multiplier && c.currency === MES.currency)
    .map((c) => ({ c, day: lastTradeDay(c) }))
    .filter((x): x is { c: FutureContract; day: number } => x.day !== null && nowMs < x.day - rollDays * DAY && beforeClose(x.c))
    .sort((a, b) => a.day - b.day);
  const first = usable[0];
  if (first === undefined) {
    const listed = candidates.map((c) => `${c.localSymbol || c.conId} (${c.lastTradeDate})`).join(', ') || 'none';
    throw new IbBrokerError(
      IB_ADAPTER.noContract,
      `no MES future to trade: IB listed ${listed}; every one expires within ib.rollDaysBeforeExpiry (${rollDays}) days${closeHours === undefined ? '' : ` or is past ib.closeHoursBeforeExpiry (${closeHours} h)`} of ${new Date(nowMs).toISOString().slice(0, 10)} or is not MES $5 USD. Lower ib.rollDaysBeforeExpiry or check the market data permissions`,
      true,
    );
  }
  return first.c;
}
