import type { Bar } from '../../domain/bar.ts';
import { BarAggregator } from '../../market/aggregate.ts';

/** IB real-time bars are 5 seconds long, whatever the request asks. */
export const REAL_TIME_BAR_MS = 5_000;

/**
 * The real-time bar subscription: which request id is live and the aggregator that turns its
 * 5-second bars into the strategy's bars. A bar whose last 5-second bar arrived completes at
 * once (the aggregator knows the source bar length), so no wall-clock timer is needed; bars
 * from a cancelled request id are ignored. The aggregator survives a resubscription with the
 * same bar size, so a bar interrupted by IB 1101 is finished from the new stream.
 */
export class RealTimeBars {
  private reqId: number | null = null;
  private minutes: number | null = null;
  private aggregator: BarAggregator | null = null;

  get active(): number | null {
    return this.reqId;
  }

  /** Makes `reqId` the live subscription; returns the id it replaces (to cancel), if any. */
  subscribe(reqId: number, minutes: number): number | null {
    const previous = this.reqId;
    if (this.minutes !== minutes || this.aggregator === null) {
      this.aggregator = new BarAggregator({ periodMinutes: minutes, sourceBarMs: REAL_TIME_BAR_MS });
      this.minutes = minutes;
    }
    this.reqId = reqId;
    return previous;
  }

  /** The strategy bars a 5-second bar completes (usually none). */
  push(reqId: number, bar: Bar): Bar[] {
    if (reqId !== this.reqId || this.aggregator === null) return [];
    return this.aggregator.push(bar);
  }

  /** The subscription died with the connection; the partial bar is kept for the next one. */
  dropped(): void {
    this.reqId = null;
  }
}

/** Bars of a history answer that are complete by `nowMs` (IB includes the bar in progress), last `count`, oldest first. */
export function completedBars(bars: readonly Bar[], minutes: number, nowMs: number, count: number): Bar[] {
  const done = [...bars].sort((a, b) => a.time - b.time).filter((b, i, all) => b.time + minutes * 60_000 <= nowMs && (i === 0 || all[i - 1]!.time !== b.time));
  return done.slice(Math.max(0, done.length - count));
}
