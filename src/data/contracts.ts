import { MES } from '../domain/instrument.ts';

/**
 * Dated MES futures: `MESH26` (March 2026). The quarterly contracts (H M U Z) stop trading at
 * 9:30 New York on the third Friday of their month (CME Rulebook, Chapter 352: "Trading in
 * expiring futures terminates at 9:30 a.m. ET on the 3rd Friday of the contract month").
 * Stored names carry two year digits so MESH6 of 2016 and of 2026 never meet; IB's local
 * symbol has one (MESH6), resolved by the dates it is used with.
 */
export const QUARTER_CODES = ['H', 'M', 'U', 'Z'] as const;
const MONTH_OF: Record<string, number> = { F: 1, G: 2, H: 3, J: 4, K: 5, M: 6, N: 7, Q: 8, U: 9, V: 10, X: 11, Z: 12 };
const CODE_OF = Object.fromEntries(Object.entries(MONTH_OF).map(([k, v]) => [v, k])) as Record<number, string>;
const DAY = 86_400_000;

export interface DatedContract {
  /** `MESH26`. */
  readonly name: string;
  /** IB's local symbol, `MESH6`. */
  readonly localSymbol: string;
  readonly symbol: string;
  readonly year: number;
  readonly month: number;
  /** UTC midnight of the last trading day. */
  readonly lastTradeDay: number;
  /** IB's lastTradeDateOrContractMonth, `202603`. */
  readonly contractMonth: string;
}

/** UTC midnight of the third Friday of a month. */
export function thirdFriday(year: number, month: number): number {
  const dow = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return Date.UTC(year, month - 1, 1 + ((5 - dow + 7) % 7) + 14);
}

export function datedContract(year: number, month: number, symbol = MES.symbol): DatedContract {
  const code = CODE_OF[month]!;
  return {
    name: `${symbol}${code}${String(year % 100).padStart(2, '0')}`,
    localSymbol: `${symbol}${code}${year % 10}`,
    symbol,
    year,
    month,
    lastTradeDay: thirdFriday(year, month),
    contractMonth: `${year}${String(month).padStart(2, '0')}`,
  };
}

/**
 * `MESH6`, `MESH26` or `mesh2026` as a contract. A one-digit year is the first year at or after
 * `nearMs`'s year ending in that digit (a contract's bars precede its expiry).
 */
export function parseContract(text: string, nearMs: number): DatedContract | null {
  const m = /^([A-Z]+?)([FGHJKMNQUVXZ])(\d{1,4})$/.exec(text.trim().toUpperCase());
  if (!m || m[1] !== MES.symbol) return null;
  const digits = m[3]!;
  const near = new Date(nearMs).getUTCFullYear();
  let year: number;
  if (digits.length === 1) year = near + ((+digits - (near % 10) + 10) % 10);
  else if (digits.length === 2) year = 2000 + +digits;
  else if (digits.length === 4) year = +digits;
  else return null;
  return datedContract(year, MONTH_OF[m[2]!]!, m[1]);
}

/** The quarterly contracts whose trading overlaps [fromMs, toMs]: each trades until its last day. */
export function quarterliesCovering(fromMs: number, toMs: number, rollDays: number): DatedContract[] {
  const out: DatedContract[] = [];
  const y0 = new Date(fromMs).getUTCFullYear();
  const y1 = new Date(toMs).getUTCFullYear() + 1;
  let prevRoll = Number.NEGATIVE_INFINITY;
  for (let y = y0; y <= y1; y++) {
    for (const month of [3, 6, 9, 12]) {
      const c = datedContract(y, month);
      const roll = c.lastTradeDay - rollDays * DAY;
      // The live rule trades this contract in [previous roll, this roll).
      if (roll > fromMs && prevRoll <= toMs) out.push(c);
      prevRoll = roll;
    }
  }
  return out;
}

/**
 * The contract live trading holds at `nowMs` under `pickFrontMonth`'s rule when IB lists every
 * quarterly: the nearest expiry more than `rollDays` days away.
 */
export function frontContractAt(nowMs: number, rollDays: number): DatedContract {
  const y = new Date(nowMs).getUTCFullYear();
  for (let year = y; ; year++) {
    for (const month of [3, 6, 9, 12]) {
      const c = datedContract(year, month);
      if (nowMs < c.lastTradeDay - rollDays * DAY) return c;
    }
  }
}
