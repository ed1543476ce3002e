import type { Database } from 'bun:sqlite';
import type { Store } from './db.ts';
import { checkLimit } from './paging.ts';

export type BreakerEventKind = 'trip' | 'reset' | 'cooldown' | 'cooldown_end';
export type BreakerReason = 'daily_loss' | 'drawdown' | 'consecutive_losses' | 'supervisor' | 'manual' | 'session' | 'reconcile' | 'store';

export interface BreakerEventInput {
  readonly time: number;
  readonly kind: BreakerEventKind;
  readonly reason: BreakerReason | null;
  readonly detail?: string | null;
  /** Epoch ms the trip or cooldown lasts until; null when it lasts until a reset. */
  readonly until?: number | null;
}

export interface BreakerEvent extends BreakerEventInput {
  readonly id: number;
  readonly detail: string | null;
  readonly until: number | null;
}

const COLUMNS = 'id, time, kind, reason, detail, until';

/**
 * The circuit breaker's history. Its state on boot is rebuilt from `latest()`, so a halt
 * survives a restart; rows are ordered by append, which is the order things happened.
 */
export class BreakerEventsRepository {
  private readonly db: Database;

  constructor(store: Store) {
    this.db = store.db;
  }

  append(event: BreakerEventInput): number {
    const row = this.db
      .query<{ id: number }, [number, string, string | null, string | null, number | null]>(
        'INSERT INTO breaker_events (time, kind, reason, detail, until) VALUES (?, ?, ?, ?, ?) RETURNING id',
      )
      .get(event.time, event.kind, event.reason, event.detail ?? null, event.until ?? null);
    if (!row) throw new Error('INSERT INTO breaker_events returned no id');
    return row.id;
  }

  /** Newest first. */
  recent(limit: number): BreakerEvent[] {
    return this.db.query<BreakerEvent, [number]>(`SELECT ${COLUMNS} FROM breaker_events ORDER BY id DESC LIMIT ?`).all(checkLimit(limit));
  }

  latest(): BreakerEvent | null {
    return this.db.query<BreakerEvent, []>(`SELECT ${COLUMNS} FROM breaker_events ORDER BY id DESC LIMIT 1`).get();
  }
}
