import type { Database } from 'bun:sqlite';
import type { Store } from './db.ts';
import { checkLimit } from './paging.ts';
import { inRelaxedTransaction } from './transaction.ts';

export interface TransitionInput {
  readonly time: number;
  /** The actor's systemId ('connection', 'position', …). */
  readonly actor: string;
  /** Null for the actor's first state. Nested states as the caller serialises them ('connected.ready'). */
  readonly fromState: string | null;
  readonly toState: string;
  readonly eventType: string;
  /** The market's clock then (end of the last bar seen, ms UTC); null before the first bar. */
  readonly marketTime?: number | null;
}

export interface Transition extends TransitionInput {
  readonly id: number;
  readonly marketTime: number | null;
}

const COLUMNS = 'id, time, actor, from_state AS fromState, to_state AS toState, event_type AS eventType, market_time AS marketTime';

/** State machine transitions, for the dashboard's "what happened" view and post-mortems. */
export class TransitionsRepository {
  private readonly store: Store;
  private readonly db: Database;

  constructor(store: Store) {
    this.store = store;
    this.db = store.db;
  }

  append(t: TransitionInput): number {
    const row = this.db
      .query<{ id: number }, [number, string, string | null, string, string, number | null]>(
        'INSERT INTO transitions (time, actor, from_state, to_state, event_type, market_time) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
      )
      .get(t.time, t.actor, t.fromState, t.toState, t.eventType, t.marketTime ?? null);
    if (!row) throw new Error('INSERT INTO transitions returned no id');
    return row.id;
  }

  /**
   * Several transitions in one transaction without an fsync: they are diagnostics (the dashboard's
   * history, post-mortems), rebuilt by nothing and needed by no invariant, so a power cut may lose
   * the last of them; a process crash loses nothing committed.
   */
  appendAll(rows: readonly TransitionInput[]): void {
    inRelaxedTransaction(this.store, () => {
      for (const t of rows) this.append(t);
    });
  }

  /** Newest first, of one actor or of all. */
  recent(query: { readonly actor?: string; readonly limit: number }): Transition[] {
    const limit = checkLimit(query.limit);
    if (query.actor === undefined) {
      return this.db.query<Transition, [number]>(`SELECT ${COLUMNS} FROM transitions ORDER BY id DESC LIMIT ?`).all(limit);
    }
    return this.db
      .query<Transition, [string, number]>(`SELECT ${COLUMNS} FROM transitions WHERE actor = ? ORDER BY id DESC LIMIT ?`)
      .all(query.actor, limit);
  }

  /**
   * Keeps the newest `keepPerActor` transitions of each actor and deletes the rest, so a chatty
   * actor (a flapping connection) cannot crowd out the others. Returns how many were deleted.
   */
  prune(keepPerActor: number): number {
    const keep = checkLimit(keepPerActor);
    return inRelaxedTransaction(this.store, () => {
      const actors = this.db.query<{ actor: string }, []>('SELECT DISTINCT actor FROM transitions').all();
      let deleted = 0;
      for (const { actor } of actors) {
        // The id of the newest row to drop; every older row of that actor goes with it.
        deleted += this.db
          .query<unknown, [string, number]>(
            `DELETE FROM transitions WHERE actor = ?1 AND id <= (SELECT id FROM transitions WHERE actor = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)`,
          )
          .run(actor, keep).changes;
      }
      return deleted;
    });
  }
}
