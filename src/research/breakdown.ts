import type { BarSeries } from '../domain/bar.ts';
import type { Trade } from '../domain/trading.ts';
import { hourKey, monthKey, sessionKey, weekdayKey, weekKey } from './calendar-keys.ts';

/**
 * Breakdowns of a run's trades (README "Research"): per group the trade count, win rate (share
 * with P&L > 0), net P&L, gross profit and loss, profit factor (null with no loss) and mean P&L.
 * Groups: exit reason, side, New York hour of the entry, and the weekday, session, ISO week and
 * month of the entry's trading date. Money in dollars to the cent.
 */

export interface GroupStats {
  readonly key: string;
  readonly trades: number;
  readonly winRate: number | null;
  readonly netPnl: number;
  readonly grossProfit: number;
  readonly grossLoss: number;
  readonly profitFactor: number | null;
  readonly avgPnl: number | null;
}

export interface Streaks {
  readonly longestWin: number;
  readonly longestLoss: number;
  /** Positive: the run ended on that many wins; negative: on that many losses; 0: no trades. */
  readonly current: number;
}

export interface Exposure {
  /** Traded bars at whose close a position was open. */
  readonly barsInMarket: number;
  readonly totalBars: number;
  /** barsInMarket / totalBars (0…1). */
  readonly timeInMarket: number;
  /** Contracts held at a bar close, averaged over all traded bars (long and short count alike). */
  readonly avgContracts: number;
  readonly maxContracts: number;
}

export const BREAKDOWN_KINDS = ['exitReason', 'side', 'hour', 'weekday', 'session', 'week', 'month'] as const;
export type BreakdownKind = (typeof BREAKDOWN_KINDS)[number];

export interface Breakdowns {
  readonly groups: Readonly<Record<BreakdownKind, readonly GroupStats[]>>;
  readonly streaks: Streaks;
  readonly exposure: Exposure;
}

const KEY: Record<BreakdownKind, (t: Trade) => string> = {
  exitReason: (t) => t.exitReason,
  side: (t) => t.side,
  hour: (t) => hourKey(t.entryTime),
  weekday: (t) => weekdayKey(t.entryTime),
  session: (t) => sessionKey(t.entryTime),
  week: (t) => weekKey(t.entryTime),
  month: (t) => monthKey(t.entryTime),
};

export function groupStats(key: string, trades: readonly Trade[]): GroupStats {
  let wins = 0;
  let profit = 0;
  let loss = 0;
  let losers = 0;
  for (const t of trades) {
    if (t.pnlCents > 0) {
      wins++;
      profit += t.pnlCents;
    } else if (t.pnlCents < 0) {
      losers++;
      loss -= t.pnlCents;
    }
  }
  const n = trades.length;
  return {
    key,
    trades: n,
    winRate: n > 0 ? wins / n : null,
    netPnl: (profit - loss) / 100,
    grossProfit: profit / 100,
    grossLoss: loss / 100,
    profitFactor: losers > 0 ? profit / loss : null,
    avgPnl: n > 0 ? Math.round((profit - loss) / n) / 100 : null,
  };
}

/** Groups sorted by key (hours "00"…"23", weekdays Monday first, dates in order). */
export function groupBy(trades: readonly Trade[], key: (t: Trade) => string): GroupStats[] {
  const groups = new Map<string, Trade[]>();
  for (const t of trades) {
    const k = key(t);
    const g = groups.get(k);
    if (g) g.push(t);
    else groups.set(k, [t]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, g]) => groupStats(k, g));
}

export function streaks(trades: readonly Trade[]): Streaks {
  let longestWin = 0;
  let longestLoss = 0;
  let current = 0;
  for (const t of trades) {
    current = t.pnlCents > 0 ? Math.max(current, 0) + 1 : Math.min(current, 0) - 1;
    longestWin = Math.max(longestWin, current);
    longestLoss = Math.max(longestLoss, -current);
  }
  return { longestWin, longestLoss, current };
}

/** First index in [lo, hi) with time[i] ≥ t. */
function lowerBound(time: Float64Array, t: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A position entered at a bar's open and exited at a later bar is open at the close of every bar
 * from its entry bar up to the bar before its exit: bars with entryTime ≤ time < exitTime.
 */
export function exposure(series: BarSeries, from: number, to: number, trades: readonly Trade[]): Exposure {
  let barsInMarket = 0;
  let contractBars = 0;
  let maxContracts = 0;
  for (const t of trades) {
    const a = lowerBound(series.time, t.entryTime, from, to);
    const b = lowerBound(series.time, t.exitTime, a, to);
    // A trade that ran to the end of the data is open at the last bar's close too.
    const bars = b - a + (t.exitReason === 'end_of_data' ? 1 : 0);
    barsInMarket += bars;
    contractBars += bars * t.qty;
    maxContracts = Math.max(maxContracts, t.qty);
  }
  const totalBars = to - from;
  return { barsInMarket, totalBars, timeInMarket: totalBars > 0 ? barsInMarket / totalBars : 0, avgContracts: totalBars > 0 ? contractBars / totalBars : 0, maxContracts };
}

export function breakdowns(series: BarSeries, from: number, to: number, trades: readonly Trade[]): Breakdowns {
  const groups = Object.fromEntries(BREAKDOWN_KINDS.map((k) => [k, groupBy(trades, KEY[k])])) as Record<BreakdownKind, GroupStats[]>;
  return { groups, streaks: streaks(trades), exposure: exposure(series, from, to, trades) };
}
