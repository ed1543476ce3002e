import type { RiskChange } from '../engine/risk-state.ts';
import type { HaltRecord } from '../domain/research.ts';

/** Turns the engine's risk changes into the halts a report shows, and counts the sessions they touched. */
export class HaltLog {
  readonly records: HaltRecord[] = [];
  sessionsHalted = 0;
  private open: { time: number; reason: HaltRecord['reason']; detail: string } | null = null;
  private countedSession = Number.NaN;

  record(changes: readonly RiskChange[]): void {
    for (const c of changes) {
      if (c.type === 'Halted' && (c.halt.reason === 'drawdown' || c.halt.reason === 'daily_loss')) {
        if (this.open !== null) this.close(c.halt.since);
        this.open = { time: c.halt.since, reason: c.halt.reason, detail: c.halt.detail };
        this.touch(c.halt.session);
      } else if (c.type === 'HaltCleared' && this.open !== null) {
        this.close(c.time);
      } else if (c.type === 'SessionStarted' && this.open !== null) {
        this.touch(c.sessionStart);
      }
    }
  }

  /** The halts with the one still in force at the end (clearedAt null). */
  get all(): HaltRecord[] {
    return this.open === null ? this.records : [...this.records, { ...this.open, clearedAt: null }];
  }

  private close(time: number): void {
    this.records.push({ ...this.open!, clearedAt: time });
    this.open = null;
  }

  private touch(session: number): void {
    if (session === this.countedSession) return;
    this.countedSession = session;
    this.sessionsHalted++;
  }
}
