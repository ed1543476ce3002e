import { MES } from '../../domain/instrument.ts';
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

/**
 * The contract to trade at `nowMs`: the nearest expiry that is more than `rollDays` days away.
 * Liquidity moves to the next quarter about a week before expiry (CME's roll date is eight days
 * before), and a position must never be carried into the expiry (the quarterly contract stops
 * trading at 9:30 New York on its last day), so the bot changes contract at the start of the
 * day `rollDays` before the last trading day — with 0, the day before it. Only MES with the $5
 * multiplier in USD qualifies.
 */
export function pickFrontMonth(candidates: readonly FutureContract[], nowMs: number, rollDays: number): FutureContract {
  const usable = candidates
    .filter((c) => c.symbol === MES.symbol && c.multiplier === MES.multiplier && c.currency === MES.currency)
    .map((c) => ({ c, day: lastTradeDay(c) }))
    .filter((x): x is { c: FutureContract; day: number } => x.day !== null && nowMs < x.day - rollDays * DAY)
    .sort((a, b) => a.day - b.day);
  const first = usable[0];
  if (first === undefined) {
    const listed = candidates.map((c) => `${c.localSymbol || c.conId} (${c.lastTradeDate})`).join(', ') || 'none';
    throw new IbBrokerError(
      IB_ADAPTER.noContract,
      `no MES future to trade: IB listed ${listed}; every one expires within ib.rollDaysBeforeExpiry (${rollDays}) days of ${new Date(nowMs).toISOString().slice(0, 10)} or is not MES $5 USD. Lower ib.rollDaysBeforeExpiry or check the market data permissions`,
      true,
    );
  }
  return first.c;
}
