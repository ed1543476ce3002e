import type { Logger } from '../domain/log.ts';
import type { Clock } from './clock.ts';
import type { ReconcileReport } from './reconcile.ts';

export interface RunningReconciliationDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly everyMs: number;
  /** True when nothing is in flight (no entry awaiting its fill, no exit or flatten working). */
  readonly quiet: () => boolean;
  readonly check: (repair: boolean) => Promise<ReconcileReport>;
  readonly onRepaired: (report: ReconcileReport) => void;
}

/** How long a violation must persist before it is acted on: the broker's reports can lag ours by this much. */
const CONFIRM_MS = 1_000;

/**
 * The invariants checked while trading, not only at boot: on a timer and soon after every fill.
 * A check only looks; what it finds is acted on (adopt, cancel, place a stop, halt) only if a
 * second check a moment later, also in a quiet moment, still finds it — so an execution report
 * that is merely late does not trigger a repair.
 */
export class RunningReconciliation {
  private timer: unknown = null;
  private busy = false;
  private stopped = true;

  constructor(private readonly d: RunningReconciliationDeps) {}

  start(): void {
    this.stopped = false;
    this.schedule(this.d.everyMs);
  }

  /** A check shortly (after a fill: the stop must be working, the positions must agree). */
  soon(): void {
    if (!this.stopped) this.schedule(CONFIRM_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.d.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    if (this.timer !== null) this.d.clock.clearTimeout(this.timer);
    this.timer = this.d.clock.setTimeout(() => void this.run(), ms);
  }

  private async run(): Promise<void> {
    this.timer = null;
    if (this.stopped) return;
    if (this.busy || !this.d.quiet()) return this.schedule(CONFIRM_MS);
    this.busy = true;
    try {
      const first = await this.d.check(false);
      if (first.violations.length > 0) {
        await new Promise<void>((resolve) => this.d.clock.setTimeout(() => resolve(), CONFIRM_MS));
        if (!this.stopped && this.d.quiet()) {
          const second = await this.d.check(true);
          if (second.violations.length > 0) this.d.onRepaired(second);
        }
      }
    } catch (e) {
      this.d.log.warn('reconcile.running_failed', { error: e instanceof Error ? e.message : String(e) });
    } finally {
      this.busy = false;
      if (!this.stopped && this.timer === null) this.schedule(this.d.everyMs);
    }
  }
}
