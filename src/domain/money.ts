import { MES, type Instrument } from './instrument.ts';

/**
 * Prices live on the tick grid; arithmetic on them happens in integer ticks and money in
 * integer cents, so sums of many trades never pick up binary floating-point dust.
 */

/** Price → whole ticks. Exact for any price on the grid (0.25 is a power of two). */
export function toTicks(price: number, inst: Instrument = MES): number {
  return Math.round(price / inst.tickSize);
}

export function fromTicks(ticks: number, inst: Instrument = MES): number {
  return ticks * inst.tickSize;
}

export function isOnGrid(price: number, inst: Instrument = MES): boolean {
  return Number.isFinite(price) && price / inst.tickSize === Math.round(price / inst.tickSize);
}

/** Rounds a price to the nearest tick (for derived levels, never for market prices). */
export function roundToTick(price: number, inst: Instrument = MES): number {
  return fromTicks(toTicks(price, inst), inst);
}

/** Dollars → integer cents, rounding half away from zero at the cent. */
export function toCents(dollars: number): number {
  return Math.sign(dollars) * Math.round(Math.abs(dollars) * 100);
}

export function fromCents(cents: number): number {
  return cents / 100;
}

/**
 * Gross P&L of a price move for `qty` contracts in `direction` (+1 long, −1 short), in cents.
 * Exact for prices on the grid (their difference is a multiple of 0.25, exact in binary); an
 * average entry of several fills (e.g. 5000.125 for two contracts) is exact to the cent too,
 * because P&L is linear in the price.
 */
export function moveCents(entryPrice: number, exitPrice: number, qty: number, direction: 1 | -1, inst: Instrument = MES): number {
  return Math.round((exitPrice - entryPrice) * inst.multiplier * 100 * qty * direction);
}

/** A dollar distance per contract → a price distance in whole ticks (nearest tick, at least one). */
export function dollarsToTicks(dollarsPerContract: number, inst: Instrument = MES): number {
  return Math.max(1, Math.round((dollarsPerContract * 100) / inst.tickValueCents));
}
