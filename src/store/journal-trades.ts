import type { Database, Statement } from 'bun:sqlite';
import type { Trade } from '../domain/trading.ts';
import type { Store } from './db.ts';
import { checkPage, type Page } from './paging.ts';

/** A closed live trade with what ties it to the session and to its orders. */
export interface JournalTradeInput extends Trade {
  /** Epoch ms of the CME session the trade closed in; daily P&L and limits are per session. */
  readonly sessionStart: number;
  /** Null when the entry was not ours to know (a position found at the broker on boot). */
  readonly entryRef: string | null;
  /** The order that closed the position: a trade is recorded once per exit order. */
  readonly exitRef: string;
}

export interface JournalTrade extends JournalTradeInput {
  readonly id: number;
}

type TradeRow = {
  side: Trade['side'];
  qty: number;
  entry_time: number;
  entry_price: number;
  exit_time: number;
  exit_price: number;
  exit_reason: Trade['exitReason'];
  commission_cents: number;
  pnl_cents: number;
  session_start: number;
  entry_ref: string | null;
  exit_ref: string;
};

const COLUMNS = `id, side, qty, entry_time AS entryTime, entry_price AS entryPrice, exit_time AS exitTime, exit_price AS exitPrice,
  exit_reason AS exitReason, commission_cents AS commissionCents, pnl_cents AS pnlCents, session_start AS sessionStart,
  entry_ref AS entryRef, exit_ref AS exitRef`;

/** Live closed trades (research trades live in run_trades). */
export class JournalTradesRepository {
  private readonly db: Database;
  private readonly insertRow: Statement<unknown, [TradeRow]>;

  constructor(store: Store) {
    this.db = store.db;
    this.insertRow = this.db.prepare(
      `INSERT INTO journal_trades (side, qty, entry_time, entry_price, exit_time, exit_price, exit_reason, commission_cents,
         pnl_cents, session_start, entry_ref, exit_ref)
       VALUES ($side, $qty, $entry_time, $entry_price, $exit_time, $exit_price, $exit_reason, $commission_cents,
         $pnl_cents, $session_start, $entry_ref, $exit_ref)
       ON CONFLICT (exit_ref) DO NOTHING`,
    );
  }

  /**
   * True when the trade is new. A replayed exit fill after a restart yields false, which is what
   * keeps daily P&L from counting the trade twice (see recordClosedTrade).
   */
  insert(t: JournalTradeInput): boolean {
    return (
      this.insertRow.run({
        side: t.side,
        qty: t.qty,
        entry_time: t.entryTime,
        entry_price: t.entryPrice,
        exit_time: t.exitTime,
        exit_price: t.exitPrice,
        exit_reason: t.exitReason,
        commission_cents: t.commissionCents,
        pnl_cents: t.pnlCents,
        session_start: t.sessionStart,
        entry_ref: t.entryRef,
        exit_ref: t.exitRef,
      }).changes > 0
    );
  }

  /** Newest exit first. */
  recent(page: Page): JournalTrade[] {
    const { limit, offset } = checkPage(page);
    return this.db
      .query<JournalTrade, [number, number]>(`SELECT ${COLUMNS} FROM journal_trades ORDER BY exit_time DESC, id DESC LIMIT ? OFFSET ?`)
      .all(limit, offset);
  }

  /** In exit order. */
  inSession(sessionStart: number): JournalTrade[] {
    return this.db
      .query<JournalTrade, [number]>(`SELECT ${COLUMNS} FROM journal_trades WHERE session_start = ? ORDER BY exit_time, id`)
      .all(sessionStart);
  }

  /** Trades that closed in [from, to), in exit order. */
  between(from: number, to: number): JournalTrade[] {
    return this.db
      .query<JournalTrade, [number, number]>(`SELECT ${COLUMNS} FROM journal_trades WHERE exit_time >= ? AND exit_time < ? ORDER BY exit_time, id`)
      .all(from, to);
  }

  count(): number {
    return this.db.query<{ n: number }, []>('SELECT count(*) AS n FROM journal_trades').get()?.n ?? 0;
  }

  /** Σ P&L of every journalled trade, cents: the venue's realised P&L must equal it. */
  totalPnlCents(): number {
    return this.db.query<{ s: number | null }, []>('SELECT sum(pnl_cents) AS s FROM journal_trades').get()?.s ?? 0;
  }
}
