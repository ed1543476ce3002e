import { MES } from '../domain/instrument.ts';
import { compareZ, compareZExact, type Sign, type Threshold } from './threshold.ts';

/**
 * Exact moments of a rolling window of closes on the tick grid, for decisions at a threshold.
 *
 * For the last n closes x₁…xₙ in integer ticks, the current close xₙ:
 *   N = n·xₙ − Σx,   D = n·Σx² − (Σx)² = n²·variance,   so z = N / √D (0 when D = 0).
 * Both are integers and do not depend on how they are computed, so every implementation that
 * computes them exactly — this TypeScript, the Rust kernel, batch or one close at a time, with
 * any number of bars after — yields the same pair, and `compareZ` decides on it exactly.
 * Bollinger's band touches are the same test: close ≤ SMA − k·σ ⟺ z ≤ −k.
 *
 * Column layout (batch): out[2i] = N, out[2i + 1] = D at bar i; NaN, NaN before the window is
 * full; NaN, Infinity when |N| or D exceeds 2^53 (not representable exactly: recompute that
 * window with `windowMomentsBig`). The rule depends on the values only, so every implementation
 * marks the same bars.
 */

/** Closes above 2^38 points (2^40 ticks) are refused: the native kernel's i128 sums stay in range. */
export const MAX_ABS_TICKS = 2 ** 40;
/** Longest window for exact moments (the native kernel's i128 bound, see `native/src/moments.rs`). */
export const MAX_MOMENTS_LOOKBACK = 2 ** 20;
const EXACT = 2 ** 53;

/**
 * A close → integer ticks; throws a RangeError naming the value (as `closes[index]` when an
 * index is given) when it is not a finite price on the grid.
 */
export function closeTicks(close: number, index?: number): number {
  const t = close / MES.tickSize; // exact: the tick is a power of two
  if (Number.isInteger(t) && Math.abs(t) <= MAX_ABS_TICKS) return t;
  const where = index === undefined ? 'close' : `closes[${index}]`;
  if (!Number.isFinite(close)) throw new RangeError(`${where} is not a finite number (${close})`);
  if (!Number.isInteger(t)) throw new RangeError(`${where} = ${close} is not on the ${MES.tickSize} tick grid; exact threshold decisions need tick prices`);
  throw new RangeError(`${where} = ${close} is beyond ±${MAX_ABS_TICKS * MES.tickSize}, too large for exact tick arithmetic`);
}

function checkLookback(lookback: number): void {
  if (!Number.isInteger(lookback) || lookback < 2 || lookback > MAX_MOMENTS_LOOKBACK) {
    throw new RangeError(`lookback must be an integer from 2 to ${MAX_MOMENTS_LOOKBACK}, got ${lookback}`);
  }
}

/** Reference: N and D of ticks[end − n + 1 ..= end] in BigInt, whatever their size. */
export function windowMomentsBig(ticks: ArrayLike<number>, end: number, n: number): { num: bigint; den: bigint } {
  let s1 = 0n;
  let s2 = 0n;
  for (let i = end - n + 1; i <= end; i++) {
    const t = BigInt(ticks[i]!);
    s1 += t;
    s2 += t * t;
  }
  const len = BigInt(n);
  return { num: len * BigInt(ticks[end]!) - s1, den: len * s2 - s1 * s1 };
}

/**
 * Incremental N and D. Sums of a = x − B for a base B re-set to the newest close every
 * `lookback` closes, or sooner when a close lands more than `limit` = ⌊2^26 / lookback⌋ ticks
 * from it. Bound: while every |a| ≤ limit and n ≤ lookback, |Σa| ≤ 2^26, Σa² ≤ 2^52 / lookback,
 * n·Σa² ≤ 2^52 and (Σa)² ≤ 2^52, |N| ≤ 2^27, 0 ≤ D ≤ 2^52: every intermediate is an integer
 * below 2^53, so double arithmetic is exact. A window wider than `limit` (e.g. more than 1,677
 * points for lookback 10,000) is summed in BigInt instead, bar by bar, until it narrows.
 */
export class TickMoments {
  readonly lookback: number;
  private readonly limit: number;
  private readonly buf: Float64Array;
  private head = 0;
  private n = 0;
  private base = 0;
  private s1 = 0;
  private s2 = 0;
  private since = 0;
  private narrow = true;
  private last = 0;
  private big: { num: bigint; den: bigint } | null = null;
  /** N of the current window (NaN before it is full or when too large, see the column layout). */
  num = Number.NaN;
  /** D of the current window (NaN before it is full, Infinity when too large). */
  den = Number.NaN;

  constructor(lookback: number) {
    checkLookback(lookback);
    this.lookback = lookback;
    this.limit = Math.floor(2 ** 26 / lookback);
    this.buf = new Float64Array(lookback);
  }

  get ready(): boolean {
    return this.n === this.lookback;
  }

  get count(): number {
    return this.n;
  }

  /** Adds a close; `index` only names it in an error. */
  push(close: number, index?: number): void {
    const t = closeTicks(close, index);
    const L = this.lookback;
    if (this.n < L) this.n++;
    else if (this.narrow) {
      const old = this.buf[this.head]! - this.base;
      this.s1 -= old;
      this.s2 -= old * old;
    }
    this.buf[this.head] = t;
    this.head = this.head + 1 === L ? 0 : this.head + 1;
    this.last = t;
    const a = t - this.base;
    if (!this.narrow || this.n === 1 || Math.abs(a) > this.limit || ++this.since >= L) this.rebase(t);
    else {
      this.s1 += a;
      this.s2 += a * a;
    }
    this.update();
  }

  /** sign(z − t) of the current window, exactly; null before the window is full. */
  compare(t: Threshold): Sign | null {
    if (!this.ready) return null;
    return this.big ? compareZExact(this.big.num, this.big.den, t) : compareZ(this.num, this.den, t);
  }

  reset(): void {
    this.head = this.n = this.s1 = this.s2 = this.since = 0;
    this.narrow = true;
    this.big = null;
    this.num = this.den = Number.NaN;
  }

  private update(): void {
    this.big = null;
    if (!this.ready) return;
    if (this.narrow) {
      this.num = this.n * (this.last - this.base) - this.s1;
      this.den = this.n * this.s2 - this.s1 * this.s1;
      return;
    }
    const last = this.head === 0 ? this.lookback - 1 : this.head - 1;
    const ordered = Array.from({ length: this.n }, (_, i) => this.buf[(last + 1 + i) % this.lookback]!);
    const m = windowMomentsBig(ordered, this.n - 1, this.n);
    const fits = (m.num < 0n ? -m.num : m.num) <= BigInt(EXACT) && m.den <= BigInt(EXACT);
    this.num = fits ? Number(m.num) : Number.NaN;
    this.den = fits ? Number(m.den) : Number.POSITIVE_INFINITY;
    this.big = fits ? null : m;
  }

  private rebase(k: number): void {
    this.base = k;
    this.s1 = this.s2 = this.since = 0;
    this.narrow = true;
    for (let i = 0; i < this.n; i++) {
      const a = this.buf[i]! - k;
      if (Math.abs(a) > this.limit) this.narrow = false;
      this.s1 += a;
      this.s2 += a * a;
    }
  }
}

/** Batch moments of a whole series in the column layout; writes into `out` when given. */
export function rollingTickMomentsTs(closes: Float64Array, lookback: number, out?: Float64Array): Float64Array {
  if (!(closes instanceof Float64Array)) throw new TypeError('closes must be a Float64Array');
  checkLookback(lookback);
  const n = closes.length;
  if (out !== undefined && (!(out instanceof Float64Array) || out.length < 2 * n)) {
    throw new RangeError(`out must be a Float64Array of length ≥ ${2 * n}`);
  }
  const res = out ?? new Float64Array(2 * n);
  const m = new TickMoments(lookback);
  for (let i = 0; i < n; i++) {
    m.push(closes[i]!, i);
    res[2 * i] = m.num;
    res[2 * i + 1] = m.den;
  }
  return res;
}

/**
 * z = N/√D of every bar of a moments column (0 when D = 0; NaN before the window is full and for
 * windows too large for doubles): the filter value of `compareZ`, computed once per column.
 */
export function zOfMoments(column: Float64Array): Float64Array {
  const z = new Float64Array(column.length / 2);
  for (let i = 0; i < z.length; i++) {
    const den = column[2 * i + 1]!;
    z[i] = den === 0 ? 0 : column[2 * i]! / Math.sqrt(den);
  }
  return z;
}

/**
 * Whether a column's z decides sign(z − t) by itself: its difference from the threshold's value
 * is beyond `compareZ`'s margin (false for NaN, so a window not full or too large goes exact).
 */
export function zDecides(z: number, value: number): boolean {
  return Math.abs(z - value) > 1e-12 * (Math.abs(z) + Math.abs(value));
}

/** A bar of `reachedLevelsTs` to decide exactly; no combination of the level bits has this value. */
export const NEAR = 128;

/**
 * The bits of the levels each z reached — 1 (ready) | 2 (z < enterLong) | 4 (z > enterShort) |
 * 8 (z > exitLong) | 16 (z < exitShort), the bits of `strategy/thresholds.ts` — where z decides
 * all four comparisons by itself (`zDecides`); NEAR where it does not (near a level, NaN), for
 * the caller to decide exactly. The native kernel (`native/src/levels.rs`) writes the same bytes.
 */
export function reachedLevelsTs(z: Float64Array, enterLong: number, enterShort: number, exitLong: number, exitShort: number): Uint8Array {
  const out = new Uint8Array(z.length);
  for (let i = 0; i < z.length; i++) {
    const zi = z[i]!;
    const far = zDecides(zi, enterLong) && zDecides(zi, enterShort) && zDecides(zi, exitLong) && zDecides(zi, exitShort);
    // Each bit from its comparison as 0/1, without a branch: z crosses the levels at random.
    out[i] = far ? 1 | (+(zi < enterLong) * 2) | (+(zi > enterShort) * 4) | (+(zi > exitLong) * 8) | (+(zi < exitShort) * 16) : NEAR;
  }
  return out;
}

/**
 * sign(z − t) at bar i, exactly, from a moments column and its `zOfMoments`; null before the
 * window is full. The same filter as `compareZ` (same z bits, same margin), then BigInt — from
 * the column, or for a window too large for doubles from its closes.
 */
export function compareAt(column: Float64Array, z: Float64Array, i: number, closes: Float64Array, lookback: number, t: Threshold): Sign | null {
  const zi = z[i]!;
  if (zDecides(zi, t.value)) return zi > t.value ? 1 : -1;
  const den = column[2 * i + 1]!;
  if (Number.isNaN(den)) return null;
  if (den !== Number.POSITIVE_INFINITY) return compareZ(column[2 * i]!, den, t);
  const ticks = Array.from(closes.subarray(i + 1 - lookback, i + 1), (c) => closeTicks(c));
  const m = windowMomentsBig(ticks, lookback - 1, lookback);
  return compareZExact(m.num, m.den, t);
}
