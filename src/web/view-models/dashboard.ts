import type { App } from '../../app/app.ts';

/** What the dashboard's views render: the facade's answers, named. */
export type Status = ReturnType<App['status']>;
export type Pnl = ReturnType<App['pnl']>;
export type OpenPosition = NonNullable<Status['position']>;
export type Breakers = ReturnType<App['breakers']>;
export type BreakerEvent = Breakers['events'][number];
export type ActorView = ReturnType<App['actors']>[number];
export type JournalTrade = ReturnType<App['trades']>[number];
export type TradingState = Status['trading'];
export type Venue = ReturnType<App['venue']>;
export type { CommandResult } from '../../app/types.ts';

export interface TradesPage {
  readonly trades: readonly JournalTrade[];
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  /** Trades that closed at or after this instant are today's (this CME session's). */
  readonly sessionStart: number | null;
}

export const TRADES_PAGE_SIZE = 20;

export function tradesPage(app: App, page: number, pageSize = TRADES_PAGE_SIZE): TradesPage {
  const total = app.tradeCount();
  const last = Math.max(1, Math.ceil(total / pageSize));
  const p = Math.min(Math.max(1, page), last);
  return { trades: app.trades({ limit: pageSize, offset: (p - 1) * pageSize }), page: p, pageSize, total, sessionStart: app.pnl().session };
}

/** Today's closed trades and their result, for the panel's headline. */
export function todaySummary(page: TradesPage): { count: number; pnl: number } | null {
  if (page.sessionStart === null) return null;
  const today = page.trades.filter((t) => t.exitTime >= page.sessionStart!);
  return { count: today.length, pnl: today.reduce((a, t) => a + t.pnlCents, 0) / 100 };
}
