import { createActor, fromPromise, waitFor, type AnyActorRef, type InspectionEvent } from 'xstate';
import type { Broker } from '../broker/port.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../domain/log.ts';
import { sessionStart } from '../domain/session.ts';
import { entryAction, exitAction, type OrderRequest } from '../domain/trading.ts';
import { isMarketOpen } from '../market/calendar.ts';
import type { Repositories } from '../store/repositories.ts';
import type { Alerts } from './alerts.ts';
import { BREAKER_FACT, BreakerContextSchema } from './breaker-fact.ts';
import { circuitBreakerMachine, type BreakerContext } from './circuit-breaker.machine.ts';
import type { Clock } from './clock.ts';
import { connectionMachine } from './connection.machine.ts';
import { notifierMachine } from './notifier.machine.ts';
import type { NotifierChannel } from './notifier-port.ts';
import type { OrderDesk } from './order-desk.ts';
import { positionMachine } from './position.machine.ts';
import { reconcile } from './reconcile.ts';
import { routeBrokerEvents } from './routing.ts';
import { strategyMachine } from './strategy.machine.ts';
import { supervisorMachine } from './supervisor.machine.ts';
import type { TradingCore } from './trading-core.ts';
import { TransitionLog } from './transition-log.ts';

export interface TradingSystemDeps {
  readonly config: Config;
  readonly broker: Broker;
  readonly repos: Repositories;
  readonly core: TradingCore;
  readonly desk: OrderDesk;
  readonly alerts: Alerts;
  readonly channels: readonly NotifierChannel[];
  readonly clock: Clock;
  readonly log: Logger;
  /** Bars of history for the strategy's warm-up. */
  readonly warmupBars: number;
  /** Whether silence from the feed means a dead connection now (default: the CME calendar). */
  readonly marketOpen?: (now: number) => boolean;
  /** Called with each decision's order request as it goes to the desk (latency bench). */
  readonly onOrderRequest?: (req: OrderRequest) => void;
}

/** An order the broker has not acknowledged in this time is cancelled and reconciled. */
const ACK_TIMEOUT_MS = 10_000;

export const CHILD_IDS = ['circuitBreaker', 'notifier', 'position', 'connection', 'strategy'] as const;
export type ChildId = (typeof CHILD_IDS)[number];

/**
 * Composes the supervised actor system: each child machine gets the service's side effects
 * through `.provide(...)`, broker events are routed to children by systemId (so routing survives
 * a child's restart), and the root has an error observer so no actor error escapes.
 */
export function createTradingSystem(deps: TradingSystemDeps) {
  const { config, broker, repos, core, desk, alerts, clock, log } = deps;
  const transitions = new TransitionLog(repos, clock, new Set(CHILD_IDS));
  let accepting = true;
  // In sim mode the feed is the market: it is open whenever it produces bars.
  const marketOpen = deps.marketOpen ?? ((now: number) => isMarketOpen(now));
  const get = (id: ChildId): AnyActorRef | undefined => root.system.get(id);
  const send = (id: ChildId, event: { type: string } & Record<string, unknown>) => {
    const ref = get(id);
    if (ref) ref.send(event);
    else log.warn('actor.unavailable', { actor: id, event: event.type });
  };
  const place = (req: OrderRequest) => {
    deps.onOrderRequest?.(req);
    desk.place(req);
  };

  const breaker = circuitBreakerMachine.provide({
    actions: {
      onTripped: (_, p) => {
        repos.breaker.append({ time: p.time, kind: 'trip', reason: p.reason, detail: p.detail ?? null });
        if (p.reason === 'manual' || p.reason === 'supervisor') core.halt(p.time);
        log.warn('breaker.tripped', { reason: p.reason, detail: p.detail });
        alerts.alert('breaker', `Breaker HALTED: ${p.reason}${p.detail ? ` (${p.detail})` : ''}`);
      },
      onCooldown: (_, p) => {
        repos.breaker.append({ time: p.time, kind: 'cooldown', reason: 'consecutive_losses', until: p.until });
        log.warn('breaker.cooldown', { until: new Date(p.until).toISOString() });
        alerts.alert('breaker', `Breaker cooldown after ${config.risk.consecutiveLossLimit} losses until ${new Date(p.until).toISOString()}`);
      },
      onCleared: (_, p) => {
        repos.breaker.append({ time: p.time, kind: p.cause === 'cooldown_end' ? 'cooldown_end' : 'reset', reason: p.cause === 'session' ? 'session' : p.cause === 'reset' ? 'manual' : null, detail: p.source ?? null });
        if (p.cause === 'reset') core.resetRisk(p.time);
        log.info('breaker.closed', { cause: p.cause, source: p.source });
        alerts.alert('breaker', `Breaker closed (${p.cause}${p.source ? ` by ${p.source}` : ''})`);
      },
    },
  });

  const position = positionMachine.provide({
    actions: {
      placeEntry: (_, p) => place({ ref: p.ref, action: entryAction(p.side), type: 'market', qty: p.qty, reason: 'entry' }),
      openedPosition: (_, p) => {
        core.entryFilled(p.side, p.fill.qty, p.fill.price, p.fill.time);
        const pos = core.engine.state.position!;
        const action = exitAction(p.side);
        alerts.alert('fills', `Entered ${p.side} ${p.fill.qty} MES @ ${p.fill.price} (stop ${pos.stop}, target ${pos.target})`);
        desk.place({ ref: p.stopRef, action, type: 'stop', qty: pos.qty, price: pos.stop, ocaGroup: p.entryRef, parentRef: p.entryRef, reason: 'stop' });
        desk.place({ ref: p.targetRef, action, type: 'limit', qty: pos.qty, price: pos.target, ocaGroup: p.entryRef, parentRef: p.entryRef, reason: 'target' });
      },
      adoptEntry: (_, p) => core.entryFilled(p.side, p.fill.qty, p.fill.price, p.fill.time),
      placeExit: (_, p) => place({ ref: p.ref, action: exitAction(p.side), type: 'market', qty: p.qty, reason: p.reason }),
      cancelOrders: (_, p) => {
        for (const ref of p.refs) if (ref !== null) desk.cancel(ref);
      },
      closedPosition: (_, p) => {
        const t = core.exitFilled(p.fill.price, p.fill.time, p.reason, { entryRef: p.entryRef, exitRef: p.fill.orderRef }, p.fill.qty);
        log.info('trade.closed', { side: t.side, qty: t.qty, entry: t.entryPrice, exit: t.exitPrice, reason: t.exitReason, pnl: t.pnlCents / 100 });
        alerts.alert('trades', `Closed ${t.side} ${t.qty} MES ${t.entryPrice} → ${t.exitPrice} (${t.exitReason}): ${t.pnlCents >= 0 ? '+' : '-'}$${Math.abs(t.pnlCents / 100).toFixed(2)}`);
      },
      alert: (_, p) => {
        log.warn('position.alert', { message: p.message });
        alerts.alert('fills', p.message);
      },
      requestReconcile: () => send('connection', { type: 'ReconcileRequested' }),
    },
    actors: {
      cancelAll: fromPromise(() => desk.cancelAll()),
      confirmFlat: fromPromise(async () => (await broker.positions()).every((p) => p.qty === 0)),
    },
  });

  const connection = connectionMachine.provide({
    actors: {
      connect: fromPromise(async () => {
        await broker.connect();
        await broker.subscribeBars(config.trading.barMinutes);
      }),
      sync: fromPromise(async ({ input }) => {
        if (input.resubscribe) await broker.subscribeBars(config.trading.barMinutes);
        const report = await reconcile({ broker, repos, core, desk, log, now: () => clock.now() });
        if (report.mismatch) {
          // reconcile paused the core; the strategy actor must be paused too, or it stays `ready`
          // and ignores the operator's Resume, leaving entries paused for good.
          send('strategy', { type: 'Pause', source: 'reconcile' });
          alerts.alert('connection', `Reconcile: ${report.mismatch}. New entries are paused until you resume.`);
        }
        send('position', { type: 'Reconciled', position: report.position });
      }),
    },
    actions: {
      onReady: (_, p) => {
        log.info('connection.ready', { reason: p.reason, attempts: p.attempts });
        if (p.reason !== 'connect' || p.attempts > 0) alerts.alert('connection', `Connection restored (${p.reason})`);
      },
      onLost: (_, p) => {
        log.warn('connection.lost', { reason: p.reason });
        alerts.alert('connection', `Connection lost: ${p.reason}`);
      },
      onDegraded: (_, p) => log.warn('connection.degraded', { reason: p.reason }),
      dropConnection: (_, p) => {
        log.info('connection.drop', { reason: p.reason });
        broker.disconnect().catch((e: unknown) => log.warn('connection.drop_failed', { error: String(e) }));
      },
    },
  });

  const strategy = strategyMachine.provide({
    actors: {
      loadHistory: fromPromise(async () => {
        // History needs a live connection; a warm-up that starts first waits for it.
        const conn = get('connection');
        if (conn) await waitFor(conn, (snap) => snap.matches('ready') || snap.matches('degraded'), { timeout: 120_000 });
        const bars = await broker.history(config.trading.barMinutes, deps.warmupBars);
        core.warmUp(bars);
        log.info('strategy.warmed_up', { bars: bars.length });
        return bars.length;
      }),
    },
    actions: {
      warmBars: (_, p) => core.warmUp(p.bars),
      setPaused: (_, p) => {
        core.setPaused(p.paused, clock.now());
        log.info(p.paused ? 'strategy.paused' : 'strategy.resumed', { source: p.source });
      },
      runBar: (_, { bar }) => {
        const decision = core.onBar(bar);
        if (decision?.type === 'enter' && accepting) {
          send('position', { type: 'Enter', side: decision.side, qty: core.engine.qty, ref: `E${bar.time}` });
          log.info('signal', { decision: `enter_${decision.side}`, time: new Date(bar.time).toISOString(), close: bar.close });
        } else if (decision?.type === 'exit') {
          send('position', { type: 'Exit', reason: decision.reason, ref: `X${bar.time}` });
          log.info('signal', { decision: 'exit', reason: decision.reason, time: new Date(bar.time).toISOString(), close: bar.close });
        }
        core.commitBar();
      },
    },
  });


  // The inspector runs inside whichever actor is processing: a throw there (a failed transitions
  // write, disk full) would error that actor and the root with it. Recording is not worth trading.
  let observeFailures = 0;
  const observe = (e: InspectionEvent) => {
    try {
      transitions.observe(e);
    } catch (err) {
      // Logged at the first failure and then every 1000th, not once per bar and actor.
      if (observeFailures++ % 1000 === 0) log.error('transitions.not_recorded', { error: err instanceof Error ? err.message : String(err), failures: observeFailures, note: 'trading continues; state changes are not being recorded' });
    }
  };

  const root = createActor(
    supervisorMachine.provide({
      actions: {
        onRestart: (_, p) => log.error('actor.restarted', { actor: p.id, error: p.error, restarts: p.restarts }),
        escalate: (_, p) => {
          log.error('supervisor.escalation', { actor: p.id, error: p.error });
          const time = core.lastBar?.time ?? clock.now();
          // Before the engine's first bar its session is NaN, which the breaker's persisted fact cannot hold.
          const session = Number.isNaN(core.engine.state.sessionStart) ? sessionStart(time) : core.engine.state.sessionStart;
          send('circuitBreaker', { type: 'BreakerTripped', reason: 'supervisor', time, sessionStart: session, detail: `${p.id} kept failing: ${p.error}` });
          send('position', { type: 'Flatten', ref: `F${clock.now()}-supervisor` });
          alerts.alert('escalation', `Supervisor: ${p.id} failed repeatedly (${p.error}); trading halted, flattening`);
        },
      },
    }),
    {
      clock,
      input: {
        children: {
          circuitBreaker: { logic: breaker, input: () => ({ restore: (repos.facts.get(BREAKER_FACT, BreakerContextSchema) as BreakerContext | null) ?? undefined }) },
          notifier: { logic: notifierMachine, input: () => ({ outbox: repos.outbox, channels: deps.channels, now: () => clock.now(), logger: log }) },
          position: { logic: position, input: () => ({ ackTimeoutMs: ACK_TIMEOUT_MS }) },
          connection: {
            logic: connection,
            input: () => ({ staleAfterMs: config.ib.staleDataSeconds * 1000, backoff: { initialMs: 1000, maxMs: 60_000, jitter: 0.3 }, isMarketOpen: marketOpen, now: () => clock.now() }),
          },
          strategy: { logic: strategy, input: () => ({ startPaused: core.engine.state.paused }) },
        },
        maxRestarts: 5,
        windowMs: 60_000,
        now: () => clock.now(),
      },
      inspect: (e: InspectionEvent) => observe(e),
    },
  );
  root.subscribe({ error: (e) => log.error('supervisor.failed', { error: String(e) }) });

  const unroute = routeBrokerEvents({ broker, desk, log, alerts, send, core });
  core.onRisk((e) => {
    if (e.type === 'tick') send('circuitBreaker', { type: 'Tick', time: e.time, sessionStart: e.sessionStart });
    else if (e.type === 'halted') send('circuitBreaker', { type: 'BreakerTripped', reason: e.reason, time: e.time, sessionStart: e.sessionStart, detail: e.detail });
    else send('circuitBreaker', { type: 'CooldownStarted', until: e.until, time: e.time });
  });

  return {
    root,
    transitions,
    get: (id: ChildId) => get(id),
    send,
    start(): void {
      root.start();
      send('connection', { type: 'Connect' });
    },
    /** No new entries from now on (shutdown). */
    stopEntries(): void {
      accepting = false;
    },
    /** Disconnects on purpose: the connection actor goes to `disconnected` without raising "lost". */
    async disconnect(): Promise<void> {
      const conn = get('connection');
      send('connection', { type: 'Disconnect' });
      if (conn) await waitFor(conn, (snap) => snap.matches('disconnected'), { timeout: 5_000 }).catch(() => undefined);
    },
    stop(): void {
      unroute();
      root.stop();
    },
  };
}

export type TradingSystem = ReturnType<typeof createTradingSystem>;
