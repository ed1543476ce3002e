/**
 * Mean and population standard deviation of the last `lookback` values, O(1) per value and
 * numerically stable over any number of values.
 *
 * Why not running Σx and Σx²: over millions of prices near 5000 (or 1e6) the squares are ~1e7
 * (~1e12) while the window variance may be ~1, so Σx² − (Σx)²/n cancels nearly every digit and
 * the error grows with every update. Instead the sums are kept of shifted values x − K, where K is
 * a value inside the recent window (so x − K is exact by Sterbenz's lemma and small), with
 * Neumaier-compensated add/remove. Every `lookback` values K moves to the newest value and the sums
 * are recomputed from the ring buffer, so error cannot accumulate; the cost stays O(1) amortised.
 *
 * A window whose values are all identical has σ = 0 exactly (tracked by the run of equal values),
 * never a rounding residue.
 */
export class RollingStats {
  readonly lookback: number;
  private readonly buf: Float64Array;
  private head = 0;
  private n = 0;
  private shift = 0;
  private s1 = 0;
  private c1 = 0;
  private s2 = 0;
  private c2 = 0;
  private sinceRebase = 0;
  private last = Number.NaN;
  private equalRun = 0;

  constructor(lookback: number) {
    if (!Number.isInteger(lookback) || lookback < 2) {
      throw new RangeError(`lookback must be an integer ≥ 2, got ${lookback}`);
    }
    this.lookback = lookback;
    this.buf = new Float64Array(lookback);
  }

  get count(): number {
    return this.n;
  }

  get ready(): boolean {
    return this.n === this.lookback;
  }

  /** Adds a value, dropping the oldest once the window is full. */
  push(x: number): void {
    if (!Number.isFinite(x)) throw new RangeError(`value must be a finite number, got ${x}`);
    this.equalRun = x === this.last ? this.equalRun + 1 : 1;
    this.last = x;
    if (this.n === 0) {
      this.shift = x;
    }
    if (this.n === this.lookback) {
      const old = this.buf[this.head]! - this.shift;
      this.add1(-old);
      this.add2(-old * old);
    } else {
      this.n++;
    }
    this.buf[this.head] = x;
    this.head = this.head + 1 === this.lookback ? 0 : this.head + 1;
    const d = x - this.shift;
    this.add1(d);
    this.add2(d * d);
    if (++this.sinceRebase >= this.lookback) this.rebase(x);
  }

  reset(): void {
    this.head = 0;
    this.n = 0;
    this.s1 = this.c1 = this.s2 = this.c2 = 0;
    this.sinceRebase = 0;
    this.last = Number.NaN;
    this.equalRun = 0;
  }

  /** Mean of the window (NaN when empty). */
  get mean(): number {
    return this.n === 0 ? Number.NaN : this.shift + (this.s1 + this.c1) / this.n;
  }

  /** Population variance of the window (0 for a constant window). */
  get variance(): number {
    if (this.n === 0) return Number.NaN;
    if (this.equalRun >= this.n) return 0;
    const m = (this.s1 + this.c1) / this.n;
    const v = (this.s2 + this.c2) / this.n - m * m;
    return v > 0 ? v : 0;
  }

  get std(): number {
    return Math.sqrt(this.variance);
  }

  /** z of `x` against the window: (x − mean) / σ, 0 when σ = 0. */
  zOf(x: number): number {
    const v = this.variance;
    if (v === 0) return 0;
    const m = (this.s1 + this.c1) / this.n;
    return (x - this.shift - m) / Math.sqrt(v);
  }

  private add1(v: number): void {
    const t = this.s1 + v;
    this.c1 += Math.abs(this.s1) >= Math.abs(v) ? this.s1 - t + v : v - t + this.s1;
    this.s1 = t;
  }

  private add2(v: number): void {
    const t = this.s2 + v;
    this.c2 += Math.abs(this.s2) >= Math.abs(v) ? this.s2 - t + v : v - t + this.s2;
    this.s2 = t;
  }

  private rebase(k: number): void {
    this.shift = k;
    this.s1 = this.c1 = this.s2 = this.c2 = 0;
    for (let i = 0; i < this.n; i++) {
      const d = this.buf[i]! - k;
      this.add1(d);
      this.add2(d * d);
    }
    this.sinceRebase = 0;
  }
}
