import { RollingStats } from './rolling-stats.ts';

/**
 * Z-Score definition (shared by the TypeScript and native implementations):
 *   z_t = (close_t − mean) / σ over the last `lookback` closes including close_t,
 *   σ the population standard deviation (divide by n), and z = 0 when σ = 0.
 * Entries before the window is full are NaN (batch) or null (incremental).
 */

/** Incremental Z-Score for the live path. */
export class ZScoreTs {
  private readonly stats: RollingStats;
  constructor(readonly lookback: number) {
    this.stats = new RollingStats(lookback);
  }
  push(close: number): number | null {
    this.stats.push(close);
    return this.stats.ready ? this.stats.zOf(close) : null;
  }
  reset(): void {
    this.stats.reset();
  }
  get mean(): number {
    return this.stats.mean;
  }
  get std(): number {
    return this.stats.std;
  }
  get count(): number {
    return this.stats.count;
  }
}

/** Batch Z-Score of a whole series; writes into `out` when given. */
export function rollingZScoreTs(closes: Float64Array, lookback: number, out?: Float64Array): Float64Array {
  if (!(closes instanceof Float64Array)) throw new TypeError('closes must be a Float64Array');
  if (!Number.isInteger(lookback) || lookback < 2) throw new RangeError(`lookback must be an integer ≥ 2, got ${lookback}`);
  const n = closes.length;
  if (out !== undefined && (!(out instanceof Float64Array) || out.length < n)) {
    throw new RangeError(`out must be a Float64Array of length ≥ ${n}`);
  }
  const res = out ?? new Float64Array(n);
  const stats = new RollingStats(lookback);
  for (let i = 0; i < n; i++) {
    const x = closes[i]!;
    if (!Number.isFinite(x)) throw new RangeError(`closes[${i}] is not a finite number (${x})`);
    stats.push(x);
    res[i] = stats.ready ? stats.zOf(x) : Number.NaN;
  }
  return res;
}
