import { createActor, fromPromise, waitFor, type AnyActorRef, type InspectionEvent } from 'xstate';
import type { Broker } from '../broker/port.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../domain/log.ts';
import type { OrderRequest } from '../domain/trading.ts';
import { closingOrder, entryBracket, entryRef, exitRef, flattenRef } from '../engine/orders.ts';
import { isMarketOpen } from '../market/calendar.ts';
import type { Repositories } from '../store/repositories.ts';
import type { Alerts } from './alerts.ts';
import { circuitBreakerMachine } from './circuit-breaker.machine.ts';
import type { Clock } from './clock.ts';
import { connectionMachine } from './connection.machine.ts';
import { flattenThroughBroker } from './flatten.ts';
import { notifierMachine } from './notifier.machine.ts';
import type { NotifierChannel } from './notifier-port.ts';
import type { OrderDesk } from './order-desk.ts';
import { positionMachine } from './position.machine.ts';
import { reconcile } from './reconcile.ts';
import { RunningReconciliation } from './running-reconciliation.ts';
import { routeBrokerEvents } from './routing.ts';
import { StoreHealth } from './store-health.ts';
import { strategyMachine } from './strategy.machine.ts';
import { supervisorMachine } from './supervisor.machine.ts';
import { CHILD_IDS, type ChildId, type Send } from './system-types.ts';
import type { TradingCore } from './trading-core.ts';
import { TransitionLog } from './transition-log.ts';

export { CHILD_IDS, type ChildId };

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
  /** Wall time between running reconciliations (default 5 s). */
  readonly reconcileEveryMs?: number;
}

/** An order the broker has not acknowledged in this time is cancelled and reconciled. */
const ACK_TIMEOUT_MS = 10_000;

/**
 * Composes the supervised actor system: each child machine gets the service's side effects
 * through `.provide(...)`, broker events are routed to children by systemId (so routing survives
 * a child's restart), and the root has an error observer so no actor error escapes. Policy lives
 * in named modules: orders and refs (engine/orders), flatten, reconcile, store health.
 */
export function createTradingSystem(deps: TradingSystemDeps) {
  const { config, broker, repos, core, desk, alerts, clock, log } = deps;
  // Market time of a transition: the close of the last bar the core has seen.
  const barMs = config.trading.barMinutes * 60_000;
  // Recording is not worth trading: a failed write (disk full) is logged at the first failure and
  // then every 1000th, not once per bar and actor.
  let observeFailures = 0;
  const notRecorded = (err: unknown) => {
    if (observeFailures++ % 1000 === 0) log.error('transitions.not_recorded', { error: err instanceof Error ? err.message : String(err), failures: observeFailures, note: 'trading continues; state changes are not being recorded' });
  };
  const transitions = new TransitionLog(repos, clock, new Set(CHILD_IDS), () => (core.lastBar ? core.lastBar.time + barMs : null), notRecorded);
  let accepting = true;
  let flattens = 0;
  // In sim mode the feed is the market: it is open whenever it produces bars.
  const marketOpen = deps.marketOpen ?? ((now: number) => isMarketOpen(now));
  const get = (id: ChildId): AnyActorRef | undefined => root.system.get(id);
  const send: Send = (id, event) => {
    const ref = get(id);
    if (ref) ref.send(event);
    else log.warn('actor.unavailable', { actor: id, event: event.type });
  };
  const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(() => resolve(), ms));
  const flattenDeps = { broker, desk, log, sleep };
  const reconcileDeps = { broker, repos, core, desk, log, now: () => clock.now() };
  const store = new StoreHealth({ repos, core, clock, log, alerts, onRecovered: () => running.soon() });
  desk.onStoreFailure = (e) => store.failed(e);
  const running = new RunningReconciliation({
    clock,
    log,
    everyMs: deps.reconcileEveryMs ?? 5_000,
    // Orders in flight make the broker's view lag ours; a check then could see ghosts.
    quiet: () => ['ready', 'degraded'].some((s) => get('connection')?.getSnapshot().matches(s)) && ['flat', 'open'].some((s) => get('position')?.getSnapshot().matches(s)),
    check: (repair) => reconcile(reconcileDeps, { boot: false, repair, graceMs: ACK_TIMEOUT_MS }),
    // The position actor's view follows the engine's: an entry that filled after the actor gave up on it, or a position that is gone.
    onChecked: (report) => {
      const flat = get('position')?.getSnapshot().matches('flat') ?? true;
      if (flat !== (report.position === null)) send('position', { type: 'Reconciled', position: report.position });
    },
    onRepaired: (report) => {
      alerts.alert('connection', `Reconciliation: ${report.violations.join('; ')}${report.mismatch ? '. New entries are halted until you reset.' : ''}`);
      send('position', { type: 'Reconciled', position: report.position });
    },
  });

  const breaker = circuitBreakerMachine.provide({
    actions: {
      onTripped: (_, { halt }) => {
        store.guard(() => repos.breaker.append({ time: halt.since, kind: 'trip', reason: halt.reason, detail: halt.detail }));
        log.warn('breaker.tripped', { reason: halt.reason, detail: halt.detail });
        alerts.alert('breaker', `Breaker HALTED: ${halt.reason} (${halt.detail})`);
      },
      onCooldown: (_, p) => {
        store.guard(() => repos.breaker.append({ time: p.time, kind: 'cooldown', reason: 'consecutive_losses', until: p.until }));
        log.warn('breaker.cooldown', { until: new Date(p.until).toISOString() });
        alerts.alert('breaker', `Breaker cooldown after ${config.risk.consecutiveLossLimit} losses until ${new Date(p.until).toISOString()}`);
      },
      onCleared: (_, p) => {
        store.guard(() => repos.breaker.append({ time: p.time, kind: p.cause === 'cooldown_end' ? 'cooldown_end' : 'reset', reason: p.cause === 'session' ? 'session' : p.cause === 'reset' ? 'manual' : null, detail: p.reason }));
        log.info('breaker.closed', { cause: p.cause, reason: p.reason });
        alerts.alert('breaker', `Breaker closed (${p.cause}${p.reason ? `, was ${p.reason}` : ''})`);
      },
      requestReset: (_, p) => store.guard(() => core.resetRisk(p.time)),
    },
  });

  const position = positionMachine.provide({
    actions: {
      placeEntry: (_, p) => {
        const bracket = entryBracket(p.side, p.qty, p.ref, p.reference, core.settings);
        deps.onOrderRequest?.(bracket.entry);
        if (!desk.placeBracket(bracket)) send('position', { type: 'OrderRefused', ref: p.ref, message: 'not sent (duplicate ref or journal failure)' });
      },
      openedPosition: (_, p) => {
        const pos = core.engine.state.position;
        if (pos === null) return;
        // Attached at the decision's close; the engine measures them from the fill.
        desk.modify(p.stopRef, pos.stop);
        desk.modify(p.targetRef, pos.target);
        alerts.alert('fills', `Entered ${pos.side} ${pos.qty} MES @ ${pos.entryPrice} (stop ${pos.stop}, target ${pos.target})`);
      },
      placeExit: (_, p) => {
        const req = closingOrder(p.side, p.qty, p.ref, p.reason, p.ocaGroup);
        deps.onOrderRequest?.(req);
        if (!desk.place(req)) send('position', { type: 'OrderRefused', ref: p.ref, message: 'not sent (duplicate ref or journal failure); the stop stays' });
      },
      cancelOrders: (_, p) => {
        for (const ref of p.refs) if (ref !== null) desk.cancel(ref);
      },
      closedPosition: (_, p) => {
        if (p.effect.kind !== 'closed') return;
        const t = p.effect.trade;
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
      flatten: fromPromise(({ input }: { input: { ref: string } }) => flattenThroughBroker(flattenDeps, input.ref)),
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
        const report = await reconcile(reconcileDeps, { boot: input.reason === 'connect', repair: true });
        if (report.violations.length > 0) alerts.alert('connection', `Reconcile: ${report.violations.join('; ')}${report.mismatch ? '. New entries are halted until you reset.' : ''}`);
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
        store.guard(() => core.setPaused(p.paused, clock.now()));
        log.info(p.paused ? 'strategy.paused' : 'strategy.resumed', { source: p.source });
      },
      runBar: (_, { bar }) => {
        const decision = core.onBar(bar);
        if (decision?.type === 'enter' && accepting) {
          send('position', { type: 'Enter', side: decision.side, qty: core.engine.qty, ref: entryRef(bar.time), reference: bar.close });
          log.info('signal', { decision: `enter_${decision.side}`, time: new Date(bar.time).toISOString(), close: bar.close });
        } else if (decision?.type === 'exit') {
          send('position', { type: 'Exit', reason: decision.reason, ref: exitRef(bar.time) });
          log.info('signal', { decision: 'exit', reason: decision.reason, time: new Date(bar.time).toISOString(), close: bar.close });
        } else if (decision?.type === 'denied') {
          log.debug('entry.denied', { reason: decision.reason, time: new Date(bar.time).toISOString() });
        }
        store.guard(() => core.commitBar());
        core.announce();
      },
    },
  });

  // The inspector runs inside whichever actor is processing: a throw there would error that actor and the root with it.
  const observe = (e: InspectionEvent) => {
    try {
      transitions.observe(e);
    } catch (err) {
      notRecorded(err);
    }
  };

  /** Flattens through the broker port itself: works whichever child has failed. */
  const flattenNow = (why: string) =>
    flattenThroughBroker(flattenDeps, flattenRef(clock.now(), ++flattens)).then(
      (summary) => alerts.alert('escalation', `${why}: ${summary}`),
      (e: unknown) => alerts.alert('escalation', `${why}: flatten failed: ${e instanceof Error ? e.message : String(e)}`),
    );

  const root = createActor(
    supervisorMachine.provide({
      actions: {
        onRestart: (_, p) => log.error('actor.restarted', { actor: p.id, error: p.error, restarts: p.restarts }),
        escalate: (_, p) => {
          log.error('supervisor.escalation', { actor: p.id, error: p.error });
          store.guard(() => core.halt('supervisor', core.lastBar?.time ?? clock.now(), `${p.id} kept failing: ${p.error}`));
          alerts.alert('escalation', `Supervisor: ${p.id} failed repeatedly (${p.error}); trading halted, flattening`);
          void flattenNow(`Supervisor escalation (${p.id})`);
        },
      },
    }),
    {
      clock,
      input: {
        children: {
          circuitBreaker: { logic: breaker, input: () => ({ restore: { halt: core.engine.state.halt, pauseUntil: core.engine.state.streak.pauseUntil } }) },
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

  /** Through the position actor when it runs (it tracks the close), else through the broker directly. */
  const flattenPosition = (why: string): string => {
    const ref = flattenRef(clock.now(), ++flattens);
    if (get('position')) send('position', { type: 'Flatten', ref });
    else void flattenNow(`${why} (position actor not running)`);
    return ref;
  };

  const unroute = routeBrokerEvents({ broker, desk, log, alerts, send, afterFill: () => running.soon(), flatten: () => flattenPosition('Contract roll') });
  const offRisk = core.onRisk((changes) => {
    for (const c of changes) if (c.type !== 'SessionStarted') send('circuitBreaker', c);
  });

  return {
    root,
    transitions,
    store,
    get: (id: ChildId) => get(id),
    send,
    start(): void {
      root.start();
      send('connection', { type: 'Connect' });
      running.start();
    },
    /** Operator flatten: through the position actor when it runs (it tracks the close), else through the broker directly. */
    flatten(): string {
      return flattenPosition('Flatten');
    },
    /** No new entries from now on (shutdown). */
    stopEntries(): void {
      accepting = false;
    },
    /** Disconnects on purpose: the connection actor goes to `disconnected` without raising "lost". */
    async disconnect(): Promise<void> {
      running.stop();
      const conn = get('connection');
      send('connection', { type: 'Disconnect' });
      if (conn) await waitFor(conn, (snap) => snap.matches('disconnected'), { timeout: 5_000 }).catch(() => undefined);
    },
    stop(): void {
      running.stop();
      store.stop();
      offRisk();
      unroute();
      root.stop();
      // Before the store closes: the last transitions would otherwise be written after it.
      transitions.flush();
    },
  };
}

export type TradingSystem = ReturnType<typeof createTradingSystem>;
