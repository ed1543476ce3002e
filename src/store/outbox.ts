import type { Database } from 'bun:sqlite';
import type { Store } from './db.ts';
import { toJson } from './json-columns.ts';
import { checkLimit } from './paging.ts';
import { inTransaction } from './transaction.ts';

export interface OutboxMessageInput {
  /** The alert kind ('order_filled', 'breaker_tripped', …): channels may format or filter by it. */
  readonly kind: string;
  readonly text: string;
  readonly payload?: unknown;
  /** Deliver without a notification sound. */
  readonly silent?: boolean;
}

export interface OutboxMessage {
  readonly id: number;
  readonly kind: string;
  readonly text: string;
  readonly payload: unknown;
  readonly silent: boolean;
  readonly createdAt: number;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
}

type OutboxRow = Omit<OutboxMessage, 'payload' | 'silent'> & { payloadJson: string | null; silent: number };

const COLUMNS = `id, kind, text, payload_json AS payloadJson, silent, created_at AS createdAt, attempts,
  next_attempt_at AS nextAttemptAt, last_error AS lastError`;
const PENDING = 'delivered_at IS NULL AND abandoned_at IS NULL';

/**
 * Alerts waiting to reach the operator. The row is written in the same transaction as the fact it
 * reports, so an alert is never lost to a crash; a crash between sending and markDelivered can
 * send it again (at least once), but a delivered row is never handed out again.
 */
export class OutboxRepository {
  private readonly db: Database;

  // Writes go through inTransaction (a savepoint inside the caller's transaction) so they are counted with the other commits.
  constructor(private readonly store: Store) {
    this.db = store.db;
  }

  /** Due at once. Returns its id. */
  enqueue(message: OutboxMessageInput, now: number): number {
    const payload = message.payload === undefined ? null : toJson(message.payload, `outbox payload (${message.kind})`);
    const row = inTransaction(this.store, () =>
      this.db
        .query<{ id: number }, [string, string, string | null, number, number]>(
          `INSERT INTO outbox (kind, text, payload_json, created_at, next_attempt_at, silent) VALUES (?1, ?2, ?3, ?4, ?4, ?5) RETURNING id`,
        )
        .get(message.kind, message.text, payload, now, message.silent ? 1 : 0),
    );
    if (!row) throw new Error('INSERT INTO outbox returned no id');
    return row.id;
  }

  /**
   * Undelivered messages in the order they were enqueued, stopping before the first one still
   * waiting for its retry: alerts reach the operator in order ("entered", then "stopped out"),
   * and a channel that is down is not hammered with the messages queued behind.
   */
  due(now: number, limit: number): OutboxMessage[] {
    return this.db
      .query<OutboxRow, [number, number]>(
        `SELECT ${COLUMNS} FROM outbox
         WHERE ${PENDING}
           AND id < coalesce((SELECT min(id) FROM outbox WHERE ${PENDING} AND next_attempt_at > ?1), 9223372036854775807)
         ORDER BY id LIMIT ?2`,
      )
      .all(now, checkLimit(limit))
      .map(toMessage);
  }

  /** False when the message was already delivered or abandoned (a second sender lost the race). */
  markDelivered(id: number, now: number): boolean {
    return inTransaction(this.store, () => this.db.query<unknown, [number, number]>(`UPDATE outbox SET delivered_at = ?2, attempts = attempts + 1 WHERE id = ?1 AND ${PENDING}`).run(id, now).changes > 0);
  }

  /** Counts the attempt and holds the message (and those behind it) until `nextAttemptAt`. */
  markFailed(id: number, now: number, error: string, nextAttemptAt: number): boolean {
    if (nextAttemptAt < now) throw new RangeError(`nextAttemptAt ${nextAttemptAt} is before now ${now}: a retry cannot be scheduled in the past`);
    return (
      this.db
        .query<unknown, [number, string, number]>(
          `UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3 WHERE id = ?1 AND ${PENDING}`,
        )
        .run(id, error, nextAttemptAt).changes > 0
    );
  }

  /**
   * Gives up on a message the channel will never accept (rejected as malformed, not merely
   * unreachable), so it stops holding back the ones behind it. The row and its error stay.
   */
  abandon(id: number, now: number, error: string): boolean {
    return (
      this.db
        .query<unknown, [number, number, string]>(
          `UPDATE outbox SET abandoned_at = ?2, attempts = attempts + 1, last_error = ?3 WHERE id = ?1 AND ${PENDING}`,
        )
        .run(id, now, error).changes > 0
    );
  }

  pendingCount(): number {
    return this.db.query<{ n: number }, []>(`SELECT count(*) AS n FROM outbox WHERE ${PENDING}`).get()?.n ?? 0;
  }

  /** Deletes messages delivered before `before`, keeping the table small. Returns how many. */
  pruneDelivered(before: number): number {
    return this.db.query<unknown, [number]>('DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?').run(before).changes;
  }
}

function toMessage({ payloadJson, silent, ...rest }: OutboxRow): OutboxMessage {
  return { ...rest, payload: payloadJson === null ? null : parsePayload(payloadJson), silent: silent === 1 };
}

// The text is the alert; a payload damaged by hand must not stop it, or every alert behind it, going out.
function parsePayload(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}
