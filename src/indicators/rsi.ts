import type { Sign, Threshold } from './threshold.ts';
import { closeTicks } from './tick-moments.ts';

/**
 * RSI with Wilder smoothing over `period` price changes:
 *   the first average gain/loss is the simple mean of the first `period` changes;
 *   after that avg = (avg·(period − 1) + current) / period.
 *   RSI = 100 − 100 / (1 + avgGain / avgLoss) = 100·avgGain / (avgGain + avgLoss);
 *   100 when avgLoss = 0 < avgGain; 50 when both are 0.
 * The first value appears after period + 1 closes.
 *
 * What "exact" means here. Wilder's averages have no finite exact form (each bar multiplies the
 * denominator by `period`), so their arithmetic is fixed instead: changes in integer ticks, and
 * the averages kept scaled by `period` (A = period·avg), so the first one is the integer sum of
 * the first changes, and each later step is the double operations A ← A·(period − 1) / period +
 * change, in that order. IEEE-754 rounds each operation correctly, so any implementation of these
 * steps (there is one: this class, used by backtest and live alike) gets the same bits. The level
 * test then never rounds: RSI ≤ L is (100 − L)·A_gain ≤ L·A_loss for L the decimal as written,
 * decided in exact rational arithmetic on those doubles (`compare`), not on the rounded RSI.
 * A tie in the first average (e.g. gains 3, losses 7 → exactly 30) is therefore a tie; after
 * smoothing, a true tie may be broken by the averages' rounding — the same way everywhere.
 */
export class Rsi {
  private prev = Number.NaN;
  private changes = 0;
  private gain = 0;
  private loss = 0;

  constructor(readonly period: number) {
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`RSI period must be an integer ≥ 1, got ${period}`);
  }

  push(close: number): number | null {
    if (!Number.isFinite(close)) throw new RangeError(`close must be a finite number, got ${close}`);
    const t = closeTicks(close);
    const prev = this.prev;
    this.prev = t;
    if (Number.isNaN(prev)) return null;
    const change = t - prev;
    const g = change > 0 ? change : 0;
    const l = change < 0 ? -change : 0;
    this.changes++;
    if (this.changes <= this.period) {
      this.gain += g;
      this.loss += l;
      if (this.changes < this.period) return null;
    } else {
      const p = this.period;
      this.gain = (this.gain * (p - 1)) / p + g;
      this.loss = (this.loss * (p - 1)) / p + l;
    }
    return this.value;
  }

  /** The current RSI (display; decisions use `compare`); NaN before warm-up. */
  get value(): number {
    if (this.changes < this.period) return Number.NaN;
    if (this.gain === 0 && this.loss === 0) return 50;
    return (100 * this.gain) / (this.gain + this.loss);
  }

  /**
   * sign(RSI − level), exactly, null before warm-up. Fast path: the displayed RSI has a relative
   * error below 1e-15 and the level's double below 1.2e-16, so a difference beyond 1e-12·(|RSI| +
   * |L|) has the exact sign; closer, the rational test on the averages' exact values decides.
   */
  compare(level: Threshold): Sign | null {
    if (this.changes < this.period) return null;
    const r = this.value;
    const diff = r - level.value;
    if (Math.abs(diff) > 1e-12 * (Math.abs(r) + Math.abs(level.value))) return diff > 0 ? 1 : -1;
    const { p, q } = level;
    if (this.gain === 0 && this.loss === 0) return sign(50n * q - p);
    // RSI − p/q ∝ 100q·G − p·(G + L) = (100q − p)·G − p·L, with G, L ≥ 0 exact dyadic rationals.
    const [g, l] = commonScale(this.gain, this.loss);
    return sign((100n * q - p) * g - p * l);
  }

  reset(): void {
    this.prev = Number.NaN;
    this.changes = 0;
    this.gain = this.loss = 0;
  }
}

const sign = (x: bigint): Sign => (x > 0n ? 1 : x < 0n ? -1 : 0);

const view = new DataView(new ArrayBuffer(8));

/** A finite double ≥ 0 as m·2^e, m a BigInt. */
function dyadic(x: number): { m: bigint; e: number } {
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  return exp === 0 ? { m: frac, e: -1074 } : { m: frac | (1n << 52n), e: exp - 1075 };
}

/** Integers a, b with a : b = x : y exactly (both scaled by the same power of two). */
function commonScale(x: number, y: number): [bigint, bigint] {
  const dx = dyadic(x);
  const dy = dyadic(y);
  const e = Math.min(dx.e, dy.e);
  return [dx.m << BigInt(dx.e - e), dy.m << BigInt(dy.e - e)];
}
