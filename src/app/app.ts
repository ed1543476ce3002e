import * as commands from './commands.ts';
import type { LogTail } from './log-tail.ts';
import type { CommandDeps } from './commands.ts';
import * as pnlHistory from './pnl-history.ts';
import * as queries from './queries.ts';
import * as refusals from './refusals.ts';
import { statechartQueries } from './statecharts.ts';
import type { QueryDeps } from './queries.ts';
import type { CommandSource } from './types.ts';

export type AppDeps = QueryDeps & CommandDeps & { readonly logTail?: LogTail };

/**
 * The one facade every operator channel (dashboard, JSON API, Telegram) goes through: queries read
 * the actors' snapshots and the store; commands are idempotent, audited, and say what happened.
 */
export function createApp(d: AppDeps) {
  const history = { repos: d.repos, marketNow: () => d.core.lastBar?.time ?? d.now() };
  return {
    ...statechartQueries(d),
    status: () => queries.status(d),
    positions: () => {
      const p = queries.position(d);
      return p ? [p] : [];
    },
    pnl: () => queries.pnl(d),
    trades: (page: { limit: number; offset?: number }) => d.repos.trades.recent({ limit: page.limit, offset: page.offset ?? 0 }),
    tradeCount: () => d.repos.trades.count(),
    breakers: () => queries.breakers(d),
    /** Which account and instrument the service trades (the contract month in use is in status()). */
    venue: () => ({ mode: d.config.mode, account: d.config.ib.account === '' ? null : d.config.ib.account, symbol: d.config.trading.symbol, broker: d.broker.name }),
    /** The newest log lines, secrets removed (empty when the service keeps no tail). */
    recentLogs: (n: number) => d.logTail?.lines(n) ?? [],
    dailyPnl: (days: number) => pnlHistory.dailyPnl(history, days),
    weeklyPnl: (weeks: number) => pnlHistory.weeklyPnl(history, weeks),
    actors: () => queries.actors(d),
    transitions: (actor?: string) => d.system.transitions.recent(actor),
    runs: (page: { limit: number; offset?: number }) => d.repos.runs.listRuns({ limit: page.limit, offset: page.offset ?? 0 }),
    run: (id: number) => d.repos.runs.getRun(id),
    flatten: (source: CommandSource) => commands.flatten(d, source),
    pause: (source: CommandSource) => commands.pause(d, source),
    resume: (source: CommandSource) => commands.resume(d, source),
    resetBreaker: (source: CommandSource) => commands.resetBreaker(d, source),
    /** A request refused before reaching a command (not on the allow-list, bad token): audited too. */
    auditRefused: (source: CommandSource, command: string, reason: string) => refusals.auditRefused({ repos: d.repos, now: d.now }, source, command, reason),
  };
}

export type App = ReturnType<typeof createApp>;
