import type { Database, Statement } from 'bun:sqlite';
import type { Store } from './db.ts';

export interface DailyPnl {
  readonly sessionStart: number;
  readonly realisedCents: number;
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  readonly updatedAt: number;
}

const COLUMNS = `session_start AS sessionStart, realised_cents AS realisedCents, trades, wins, losses, updated_at AS updatedAt`;

/** Realised P&L per CME session: what the daily loss limit is checked against after a restart. */
export class DailyPnlRepository {
  private readonly db: Database;
  private readonly add: Statement<DailyPnl, [number, number, number, number]>;

  constructor(store: Store) {
    this.db = store.db;
    // One statement, so the increment is atomic without a read-modify-write in JavaScript that a
    // second writer could interleave with.
    this.add = this.db.prepare(
      `INSERT INTO daily_pnl (session_start, realised_cents, trades, wins, losses, updated_at)
       VALUES (?1, ?2, 1, ?3, 1 - ?3, ?4)
       ON CONFLICT (session_start) DO UPDATE SET
         realised_cents = realised_cents + excluded.realised_cents,
         trades = trades + 1,
         wins = wins + excluded.wins,
         losses = losses + excluded.losses,
         updated_at = excluded.updated_at
       RETURNING ${COLUMNS}`,
    );
  }

  /** Adds one closed trade to its session; a trade that is not a win counts as a loss. Returns the new totals. */
  upsertAdd(sessionStart: number, pnlCents: number, win: boolean, at: number): DailyPnl {
    const row = this.add.get(sessionStart, pnlCents, win ? 1 : 0, at);
    if (!row) throw new Error('daily_pnl upsert returned no row');
    return row;
  }

  get(sessionStart: number): DailyPnl | null {
    return this.db.query<DailyPnl, [number]>(`SELECT ${COLUMNS} FROM daily_pnl WHERE session_start = ?`).get(sessionStart);
  }

  /** Sessions that started in [from, to), oldest first. */
  range(from: number, to: number): DailyPnl[] {
    return this.db
      .query<DailyPnl, [number, number]>(`SELECT ${COLUMNS} FROM daily_pnl WHERE session_start >= ? AND session_start < ? ORDER BY session_start`)
      .all(from, to);
  }
}
