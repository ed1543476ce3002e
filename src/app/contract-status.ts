import type { BrokerContract } from '../broker/port.ts';
import { DAY, toNyWallMs } from '../domain/session.ts';

/** The contract in use as the operator reads it: when it expires and whether the roll is due. */
export interface ContractStatus {
  readonly localSymbol: string;
  readonly conId: number;
  readonly exchange: string;
  /** The last trading day, YYYY-MM-DD; null when the venue's date is not YYYYMMDD. */
  readonly expiry: string | null;
  /** Calendar days from today (New York, by the market clock) to the last trading day; 0 on it. */
  readonly daysToExpiry: number | null;
  /** ib.rollDaysBeforeExpiry. */
  readonly rollDays: number;
  /**
   * Within rollDays of the last trading day: the bot trades the next month from its next entry
   * (an open position stays in this one until it closes, and must close before the expiry).
   */
  readonly inRollWindow: boolean;
}

export function contractStatus(c: BrokerContract | null, marketNow: number, rollDays: number): ContractStatus | null {
  if (c === null) return null;
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(c.lastTradeDate);
  const expiryDay = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) : Number.NaN;
  const today = Math.floor(toNyWallMs(marketNow) / DAY) * DAY;
  const days = Number.isNaN(expiryDay) ? null : Math.round((expiryDay - today) / DAY);
  return {
    localSymbol: c.localSymbol,
    conId: c.conId,
    exchange: c.exchange,
    expiry: m ? `${m[1]}-${m[2]}-${m[3]}` : null,
    daysToExpiry: days,
    rollDays,
    // The adapter's instant (broker/ib/contract.ts pickFrontMonth): from UTC midnight rollDays before the last day.
    inRollWindow: !Number.isNaN(expiryDay) && marketNow >= expiryDay - rollDays * DAY,
  };
}
