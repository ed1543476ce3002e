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

/**
 * Dollars → integer cents, rounding half away from zero at the cent, of the number as written:
 * 1.005 → 101, 0.145 → 15, −1.005 → −101. Multiplying by 100 first would round the binary value
 * (1.005 is stored as 1.00499999999999989…, so 1.005 × 100 = 100.49999999999999 → 100); the
 * shortest decimal string of a double (`String(x)`) is the number a config or a CSV wrote, so
 * the rounding is done on its digits.
 */
export function toCents(dollars: number): number {
  if (!Number.isFinite(dollars)) throw new RangeError(`dollars must be a finite number, got ${dollars}`);
  // Fast path: an amount of whole cents (c / 100 rounds back to it, and no other decimal with
  // two places lies within half an ulp below 2^46 cents).
  const c = dollars * 100;
  if (Number.isInteger(c) && Math.abs(c) < 2 ** 46 && c / 100 === dollars) return c;
  const { num, den } = decimalOf(dollars);
  const scaled = num * 100n;
  const magnitude = scaled < 0n ? -scaled : scaled;
  let cents = magnitude / den;
  if ((magnitude % den) * 2n >= den) cents += 1n;
  return scaled < 0n ? -Number(cents) : Number(cents);
}

/**
 * The exact decimal a double stands for as written (its shortest round-trip string): 0.1 → 1/10,
 * 2.5 → 25/10, 1e-7 → 1/10⁷. Denominators are powers of ten; the fraction is not reduced.
 */
export function decimalOf(x: number): { readonly num: bigint; readonly den: bigint } {
  if (!Number.isFinite(x)) throw new RangeError(`expected a finite number, got ${x}`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) throw new RangeError(`cannot read ${x} as a decimal`);
  const [, sign, int, frac = '', exp = '0'] = m;
  const shift = Number(exp) - frac.length;
  let num = BigInt(int! + frac);
  let den = 1n;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den = 10n ** BigInt(-shift);
  return { num: sign === '-' ? -num : num, den };
}

/** True when `dollars` as written has a fraction of a cent (0.625, 1.005). */
export function hasSubCent(dollars: number): boolean {
  return Number.isFinite(dollars) && toCents(dollars) / 100 !== dollars;
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

/**
 * A dollar distance per contract → the whole ticks that fit within it (rounded down, so the
 * distance is worth at most the amount), at least one tick.
 */
export function dollarsToTicksWithin(dollarsPerContract: number, inst: Instrument = MES): number {
  // Integer cents / integer cents per tick: the quotient's fraction is 0 or ≥ 1/tickValueCents,
  // far beyond the division's rounding, so floor is exact.
  return Math.max(1, Math.floor(toCents(dollarsPerContract) / inst.tickValueCents));
}
