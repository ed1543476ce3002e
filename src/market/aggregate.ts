import type { Bar } from '../domain/bar.ts';
import { MINUTE } from '../domain/session.ts';
import { checkStepMinutes } from './calendar.ts';

export interface AggregatorOptions {
  /** Output bar length in minutes, dividing 60 so bars sit on the New York clock too. */
  readonly periodMinutes: number;
  /**
   * Length of the incoming bars (5 000 for IB real-time bars). When given, the bar that ends
   * exactly at a period end completes the period at once instead of waiting for the next bar.
   */
  readonly sourceBarMs?: number;
  /**
   * How long after a period end `flush` still waits. IB delivers the last 5-second bar of a period
   * shortly after the period ends; a timer-driven flush right at the end would cut it off.
   */
  readonly graceMs?: number;
}

/**
 * Builds N-minute bars from shorter bars (IB 5-second real-time bars or 1-minute bars). A bar's
 * time is its period start (floor of the source bar time to the period). Empty periods (a halt,
 * the weekend, a feed gap) produce no bar. A source bar older than the period being built
 * arrives too late to count: it is dropped and counted in `dropped`, never merged into a bar
 * that may already have gone out.
 */
export class BarAggregator {
  readonly periodMs: number;
  private readonly sourceBarMs: number;
  private readonly graceMs: number;
  private start = Number.NaN;
  private open = 0;
  private high = 0;
  private low = 0;
  private close = 0;
  private volume = 0;
  /** Period start of the last emitted bar: later bars must start after it. */
  private lastEmitted = Number.NEGATIVE_INFINITY;
  private droppedCount = 0;

  constructor(opts: AggregatorOptions) {
    this.periodMs = checkStepMinutes(opts.periodMinutes) * MINUTE;
    this.sourceBarMs = opts.sourceBarMs ?? 0;
    this.graceMs = opts.graceMs ?? 0;
    if (!(this.sourceBarMs >= 0 && this.sourceBarMs <= this.periodMs)) throw new RangeError(`sourceBarMs must be from 0 to the period (${this.periodMs}), got ${opts.sourceBarMs}`);
    if (!(this.graceMs >= 0)) throw new RangeError(`graceMs must be ≥ 0, got ${opts.graceMs}`);
  }

  /** Source bars that arrived after their period had been built. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** The bar being built, or null. */
  get pending(): Bar | null {
    return Number.isNaN(this.start) ? null : this.current();
  }

  /**
   * Adds a source bar. Returns the bars completed by it, oldest first: the previous period when
   * this bar starts a later one, and this bar's own period when it ends it (with `sourceBarMs`).
   */
  push(bar: Bar): Bar[] {
    const periodStart = Math.floor(bar.time / this.periodMs) * this.periodMs;
    const done: Bar[] = [];
    if (periodStart <= this.lastEmitted || (!Number.isNaN(this.start) && periodStart < this.start)) {
      this.droppedCount++;
      return done;
    }
    if (!Number.isNaN(this.start) && periodStart > this.start) done.push(this.take());
    if (Number.isNaN(this.start)) {
      this.start = periodStart;
      this.open = bar.open;
      this.high = bar.high;
      this.low = bar.low;
      this.volume = 0;
    } else {
      if (bar.high > this.high) this.high = bar.high;
      if (bar.low < this.low) this.low = bar.low;
    }
    this.close = bar.close;
    this.volume += bar.volume;
    if (this.sourceBarMs > 0 && bar.time + this.sourceBarMs >= periodStart + this.periodMs) done.push(this.take());
    return done;
  }

  /**
   * Emits the pending bar if its period (plus the grace) has ended by `nowMs`; call it from a
   * timer so a bar is not held back when the next source bar is late or never comes (a halt).
   * `flush(Infinity)` emits whatever is pending, e.g. at the end of a replay.
   */
  flush(nowMs: number): Bar | null {
    if (Number.isNaN(this.start) || nowMs < this.start + this.periodMs + this.graceMs) return null;
    return this.take();
  }

  private current(): Bar {
    return { time: this.start, open: this.open, high: this.high, low: this.low, close: this.close, volume: this.volume };
  }

  private take(): Bar {
    const bar = this.current();
    this.lastEmitted = this.start;
    this.start = Number.NaN;
    return bar;
  }
}
