import { DAY, toNyWallMs } from '../../domain/session.ts';
import { MES } from '../../domain/instrument.ts';
import type { SimContract } from './responses.ts';

/**
 * The MES contracts the gateway lists: the quarterly months (H M U Z) whose last trading day
 * (the third Friday of the month) is still ahead of the market's clock, as IB lists only
 * unexpired futures. conIds are made up but stable, so a restarted gateway keeps them.
 */

const MONTH_CODES: Record<number, string> = { 3: 'H', 6: 'M', 9: 'U', 12: 'Z' };

/** UTC midnight of the third Friday of `month` (1-12). */
export function thirdFriday(year: number, month: number): number {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  const day = 1 + ((5 - first + 7) % 7) + 14;
  return Date.UTC(year, month - 1, day);
}

export function mesContract(year: number, month: number): SimContract {
  const expiry = new Date(thirdFriday(year, month));
  const ymd = `${year}${String(month).padStart(2, '0')}${String(expiry.getUTCDate()).padStart(2, '0')}`;
  return {
    conId: 700_000_000 + year * 100 + month,
    symbol: MES.symbol,
    secType: 'FUT',
    lastTradeDate: ymd,
    // Equity index futures stop trading at 9:30 New York (08:30 Chicago) on the last day.
    lastTradeTime: '08:30:00 US/Central',
    localSymbol: `${MES.symbol}${MONTH_CODES[month]}${year % 10}`,
    multiplier: MES.multiplier,
    exchange: MES.exchange,
    currency: MES.currency,
    minTick: MES.tickSize,
  };
}

/** The next `count` unexpired quarterly contracts at `nowMs`, nearest first. */
export function listedContracts(nowMs: number, count = 4): SimContract[] {
  const out: SimContract[] = [];
  const d = new Date(nowMs);
  let year = d.getUTCFullYear();
  let month = Math.ceil((d.getUTCMonth() + 1) / 3) * 3;
  while (out.length < count) {
    // The contract trades until its last trading day ends (in New York).
    if (thirdFriday(year, month) + DAY > toNyWallMs(nowMs)) out.push(mesContract(year, month));
    month += 3;
    if (month > 12) {
      month -= 12;
      year++;
    }
  }
  return out;
}
