import { RollingStats } from './rolling-stats.ts';

/**
 * Bollinger Bands: middle = SMA of the last `period` closes (including the current one),
 * upper/lower = middle ± k·σ with σ the population standard deviation of the same closes.
 */
export interface BollingerValue {
  readonly middle: number;
  readonly upper: number;
  readonly lower: number;
}

export class Bollinger {
  private readonly stats: RollingStats;
  constructor(
    readonly period: number,
    readonly k: number,
  ) {
    this.stats = new RollingStats(period);
  }

  /** Adds a close; returns the bands once `period` closes are in, else null. */
  push(close: number): BollingerValue | null {
    this.stats.push(close);
    if (!this.stats.ready) return null;
    const middle = this.stats.mean;
    const width = this.k * this.stats.std;
    return { middle, upper: middle + width, lower: middle - width };
  }

  reset(): void {
    this.stats.reset();
  }
}
