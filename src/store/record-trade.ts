import type { DailyPnl, DailyPnlRepository } from './daily-pnl.ts';
import type { Store } from './db.ts';
import type { JournalTradeInput, JournalTradesRepository } from './journal-trades.ts';
import { inTransaction } from './transaction.ts';

export interface RecordedTrade {
  /** False when this exit was already recorded (a replayed fill): nothing was added. */
  readonly recorded: boolean;
  /** The session's totals after the call. */
  readonly session: DailyPnl | null;
}

/**
 * Journals a closed trade and adds it to its session's P&L in one transaction, and only when the
 * trade is new: a replayed exit fill after a restart must not count against the daily loss limit
 * twice, and a crash must not leave the trade without its P&L or the P&L without its trade.
 * A trade wins when its net P&L (after commission) is above zero.
 */
export function recordClosedTrade(
  store: Store,
  repos: { readonly trades: JournalTradesRepository; readonly dailyPnl: DailyPnlRepository },
  trade: JournalTradeInput,
  at: number,
): RecordedTrade {
  return inTransaction(store, () => {
    if (!repos.trades.insert(trade)) return { recorded: false, session: repos.dailyPnl.get(trade.sessionStart) };
    return { recorded: true, session: repos.dailyPnl.upsertAdd(trade.sessionStart, trade.pnlCents, trade.pnlCents > 0, at) };
  });
}
