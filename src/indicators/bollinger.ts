import { RollingStats } from './rolling-stats.ts';
import type { Sign, Threshold } from './threshold.ts';
import { TickMoments } from './tick-moments.ts';

/**
 * Bollinger Bands: middle = SMA of the last `period` closes (including the current one),
 * upper/lower = middle ± k·σ with σ the population standard deviation of the same closes.
 *
 * The band values are floating point, for display. Whether the close touches a band is decided
 * exactly: close ≥ middle + k·σ ⟺ (close − middle)/σ ≥ k, the z-score test on the tick moments
 * (`compare`), so a close exactly on a band is on it, with no rounding of middle ± k·σ.
 */
export interface BollingerValue {
  readonly middle: number;
  readonly upper: number;
  readonly lower: number;
}

export class Bollinger {
  private readonly stats: RollingStats;
  private readonly moments: TickMoments;
  constructor(
    readonly period: number,
    readonly k: number,
  ) {
    this.stats = new RollingStats(period);
    this.moments = new TickMoments(period);
  }

  /** Adds a close (on the tick grid); returns the bands once `period` closes are in, else null. */
  push(close: number): BollingerValue | null {
    this.stats.push(close);
    this.moments.push(close);
    if (!this.stats.ready) return null;
    const middle = this.stats.mean;
    const width = this.k * this.stats.std;
    return { middle, upper: middle + width, lower: middle - width };
  }

  /**
   * sign(w − t) for the last close's distance from the middle in σ, w = (close − middle)/σ
   * (0 when σ = 0), exactly: t = ±k tests the bands, t = 0 the middle. Null before warm-up.
   */
  compare(t: Threshold): Sign | null {
    return this.moments.compare(t);
  }

  reset(): void {
    this.stats.reset();
    this.moments.reset();
  }
}
