import type { TradingSystem } from '../actors/system.ts';
import type { TradingCore } from '../actors/trading-core.ts';
import { stateString } from '../actors/transition-log.ts';
import type { Config } from '../config/schema.ts';
import { fromCents, toCents } from '../domain/money.ts';
import { DAY } from '../domain/session.ts';
import type { Repositories } from '../store/repositories.ts';
import type { Broker } from '../broker/port.ts';
import { contractStatus } from './contract-status.ts';
import type { TradingStateView } from './types.ts';

export interface QueryDeps {
  readonly system: TradingSystem;
  readonly core: TradingCore;
  readonly repos: Repositories;
  readonly broker: Pick<Broker, 'tradedContract'>;
  readonly config: Config;
  readonly now: () => number;
  readonly startedAt: number;
  readonly zscoreImpl: string;
}

type Snap = { value?: unknown; context?: Record<string, unknown> } | undefined;
const snap = (d: QueryDeps, id: Parameters<TradingSystem['get']>[0]): Snap => d.system.get(id)?.getSnapshot() as Snap;

export function tradingState(d: QueryDeps): TradingStateView {
  const b = snap(d, 'circuitBreaker');
  const state = b?.value;
  if (state === 'halted') return { kind: 'HALTED', reason: String(b?.context?.reason ?? 'unknown') };
  if (state === 'cooldown') return { kind: 'COOLDOWN', until: Number(b?.context?.until) };
  if (d.core.state.paused) return { kind: 'PAUSED' };
  return { kind: 'ACTIVE' };
}

export function position(d: QueryDeps) {
  const p = d.core.state.position;
  const mark = d.core.lastBar?.close ?? null;
  if (!p) return null;
  return {
    side: p.side,
    qty: p.qty,
    entryPrice: p.entryPrice,
    entryTime: p.entryTime,
    stop: p.stop,
    target: p.target,
    markPrice: mark,
    unrealised: mark === null ? null : fromCents(d.core.unrealisedCents(mark)),
  };
}

export function pnl(d: QueryDeps) {
  const s = d.core.state;
  const mark = d.core.lastBar?.close;
  const open = mark === undefined ? 0 : d.core.unrealisedCents(mark);
  const now = d.core.lastBar?.time ?? d.now();
  const week = d.repos.dailyPnl.range(now - 7 * DAY, now + DAY).reduce((a, r) => a + r.realisedCents, 0);
  const todayLoss = Math.max(0, -(s.sessionRealisedCents + open));
  return {
    session: Number.isNaN(s.sessionStart) ? null : s.sessionStart,
    today: { realised: fromCents(s.sessionRealisedCents), unrealised: fromCents(open), total: fromCents(s.sessionRealisedCents + open) },
    week: fromCents(week),
    sinceStart: fromCents(s.realisedCents),
    equity: fromCents(s.equityCents),
    dailyLossUsed: fromCents(todayLoss),
    dailyLossLimit: d.config.risk.dailyLossLimit,
    drawdown: fromCents(s.peakEquityCents - s.equityCents),
    maxDrawdown: d.config.risk.maxDrawdown,
    dailyLossUsedPct: (todayLoss / toCents(d.config.risk.dailyLossLimit)) * 100,
  };
}

export function breakers(d: QueryDeps) {
  const b = snap(d, 'circuitBreaker');
  return { state: stateString(b?.value ?? 'unknown'), ...(b?.context ?? {}), events: d.repos.breaker.recent(50) };
}

export function actors(d: QueryDeps) {
  const root = d.system.root.getSnapshot().context;
  return Object.entries(root.health).map(([id, h]) => {
    const s = snap(d, id as Parameters<TradingSystem['get']>[0]);
    return { id, state: s ? stateString(s.value) : 'stopped', failed: h.failed, restarts: h.restarts.length, lastError: h.lastError, context: summary(s?.context) };
  });
}

/** Primitive context fields only: actor refs, functions and big arrays stay out of the API. */
function summary(context: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!context) return {};
  return Object.fromEntries(Object.entries(context).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v)));
}

export function status(d: QueryDeps) {
  const conn = snap(d, 'connection');
  return {
    mode: d.config.mode,
    connection: conn ? stateString(conn.value) : 'stopped',
    // Market time decides the days left, as it decides the roll (the gateway's clock).
    contract: contractStatus(d.broker.tradedContract(), d.core.lastBar?.time ?? d.now(), d.config.ib.rollDaysBeforeExpiry),
    trading: tradingState(d),
    position: position(d),
    pnl: pnl(d),
    zscore: d.zscoreImpl,
    uptimeSec: Math.round((d.now() - d.startedAt) / 1000),
    lastBar: d.core.lastBar,
  };
}
