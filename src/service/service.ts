import * as v from 'valibot';
import { Alerts } from '../actors/alerts.ts';
import { wallClock, type Clock } from '../actors/clock.ts';
import { logChannel, type NotifierChannel } from '../actors/notifier-port.ts';
import { OrderDesk } from '../actors/order-desk.ts';
import { createTradingSystem, type TradingSystemDeps } from '../actors/system.ts';
import { TradingCore } from '../actors/trading-core.ts';
import { createApp } from '../app/app.ts';
import type { Broker } from '../broker/port.ts';
import { IbBroker } from '../broker/ib/broker.ts';
import { SimBroker } from '../broker/sim/broker.ts';
import type { Secrets } from '../config/safety.ts';
import type { AlertKind, Config } from '../config/schema.ts';
import { engineSettings } from '../config/to-engine.ts';
import type { Logger } from '../domain/log.ts';
import { describeZScoreImpl, zscoreImpl } from '../indicators/zscore.ts';
import { recordBars } from '../store/bars-recorder.ts';
import { openStore } from '../store/db.ts';
import { createRepositories, type Repositories } from '../store/repositories.ts';
import { getStrategy, resolveParams } from '../strategy/registry.ts';
import { startTelegram } from '../telegram/service.ts';
import { startWebWorker } from '../web/worker/host.ts';
import { marketViewOf } from '../app/market-view.ts';
import { createResearch } from '../app/research.ts';
import { acquireStoreLock } from '../store/lock.ts';
import type { Store } from '../store/db.ts';
import { sqliteVenueStore } from './venue-store.ts';
import { LogTail } from '../app/log-tail.ts';

export interface ServiceOptions {
  readonly config: Config;
  readonly secrets: Secrets;
  readonly log: Logger;
  readonly clock?: Clock;
  /** A venue to use instead of the one the mode selects (tests, benches). */
  readonly broker?: Broker;
  /** Serve HTTP (default true). */
  readonly web?: boolean;
  readonly extraChannels?: readonly NotifierChannel[];
  /** Bars of history for warm-up (default 500, what the simulator keeps). */
  readonly warmupBars?: number;
  readonly onOrderRequest?: TradingSystemDeps['onOrderRequest'];
  /** `--live` was given on the command line: with liveConfirm in the config, mode live may trade. */
  readonly liveConfirmedOnCli?: boolean;
}

const SIM_WARMUP = 500;
const NEXT_ORDER_ID = v.pipe(v.number(), v.integer(), v.minValue(1));

/**
 * The trading service assembled: config → store → venue → core → actors → web. Returns handles
 * for tests and a shutdown that applies the configured policy (keep the position with its
 * resting stop/target at the broker, or flatten), persists and closes.
 */
export async function startService(opts: ServiceOptions) {
  const { config } = opts;
  const clock = opts.clock ?? wallClock;
  // The last lines logged, secrets removed, for Telegram's /logs.
  const logTail = new LogTail({ secrets: [opts.secrets.dashboardToken, opts.secrets.telegramBotToken], now: () => clock.now() });
  const log = logTail.wrap(opts.log);
  // One service per store: the lock comes before the store is opened, so a second service never writes to it.
  const lock = acquireStoreLock(config.store.path);
  let store: Store;
  try {
    // Checkpoints every second: at 20 ms bars the WAL then holds about a second of writes (README "Crash safety").
    store = openStore(config.store.path, { checkpointEveryMs: 1_000 });
  } catch (e) {
    lock.release();
    throw e;
  }
  const repos = createRepositories(store);
  const broker = opts.broker ?? createBroker(config, repos, store, clock, opts.liveConfirmedOnCli === true);
  const def = getStrategy(config.trading.strategy);
  const params = resolveParams(def, config.trading.params);
  const core = new TradingCore(engineSettings(config), def, params, repos, log);
  if (config.mode !== 'sim') recordBars(broker, store, { rollDays: config.ib.rollDaysBeforeExpiry, barMinutes: config.trading.barMinutes, log, now: () => clock.now() });
  const desk = new OrderDesk(broker, repos, core, clock, log);
  let system: ReturnType<typeof createTradingSystem> | null = null;
  // Mutable: the notifier reads it on every send, so a channel started later (Telegram) joins it.
  const channels: NotifierChannel[] = [logChannel(log), ...(opts.extraChannels ?? [])];
  // When the outbox cannot be written (disk full) an alert goes straight to every channel, once.
  let direct = 0;
  const fallback = (kind: AlertKind, text: string) => {
    for (const c of channels) c.send({ id: -++direct, kind, text, silent: false }).catch((e: unknown) => log.warn('alert.direct_failed', { channel: c.name, error: String(e) }));
  };
  const alerts = new Alerts({ outbox: repos.outbox, settings: config.telegram.alerts, now: () => clock.now(), poke: () => system?.send('notifier', { type: 'OutboxChanged' }), logger: log, fallback });
  system = createTradingSystem({
    config,
    broker,
    repos,
    core,
    desk,
    alerts,
    channels,
    clock,
    log,
    warmupBars: opts.warmupBars ?? SIM_WARMUP,
    ...(config.mode === 'sim' ? { marketOpen: () => true } : {}),
    ...(opts.onOrderRequest ? { onOrderRequest: opts.onOrderRequest } : {}),
  });
  const app = createApp({ system, core, repos, config, broker, now: () => clock.now(), startedAt: clock.now(), zscoreImpl, logTail });
  log.info('service.starting', { mode: config.mode, broker: broker.name, strategy: def.name, params: JSON.stringify(params), store: config.store.path, zscore: describeZScoreImpl() });
  system.start();
  // The dashboard runs on a thread of its own: HTTP load never runs on the thread that trades.
  const web = opts.web === false ? null : await startWebWorker(app, { host: config.web.host, port: config.web.port, token: opts.secrets.dashboardToken, market: marketViewOf(core), research: createResearch(repos), log });
  if (web) log.info('web.listening', { url: `http://${config.web.host}:${web.port}` });
  // Starts polling in the background: Telegram being down or slow never delays trading.
  const telegramToken = opts.secrets.telegramBotToken;
  const telegram =
    config.telegram.enabled && telegramToken
      ? startTelegram({
          app,
          config,
          token: telegramToken,
          log,
          now: () => clock.now(),
          notify: (kind, text) => void alerts.alert(kind, text),
        })
      : null;
  if (telegram) channels.push(telegram.channel);

  let stopping: Promise<void> | null = null;
  const shutdown = (reason: string): Promise<void> => (stopping ??= stop(reason));
  async function stop(reason: string): Promise<void> {
    const sys = system!;
    const position = core.state.position;
    log.info('service.stopping', { reason, policy: config.trading.shutdownPolicy, position: position?.side ?? 'flat' });
    // First: no Telegram or dashboard command may start during shutdown; a flatten one already
    // started finishes. The dashboard's thread goes now, not after the venue: nothing may yield
    // between stopping the actors and closing the store, or a venue event could land in the gap.
    await telegram?.stop();
    await web?.stop();
    sys.stopEntries();
    if (config.trading.shutdownPolicy === 'flatten' && position !== null) {
      const result = await app.flatten({ channel: 'system', principal: 'shutdown' });
      log.info('service.flatten_on_stop', { ok: result.ok, message: result.message });
    } else if (position !== null) {
      log.info('service.keep_position', { side: position.side, qty: position.qty, stop: position.stop, target: position.target });
    }
    await sys.disconnect();
    await broker.disconnect().catch((e: unknown) => log.warn('broker.disconnect_failed', { error: String(e) }));
    sys.stop();
    store.close();
    lock.release();
    log.info('service.stopped', { reason });
  }

  return { app, system, broker, repos, core, store, web, channels, shutdown };
}

export type Service = Awaited<ReturnType<typeof startService>>;

function createBroker(config: Config, repos: Repositories, store: Store, clock: Clock, liveConfirmedOnCli: boolean): Broker {
  if (config.mode !== 'sim') {
    // The next order id outlives the process, so ids never repeat even if TWS's sequence was reset.
    const nextOrderIdStore = { load: () => repos.facts.get('ibNextOrderId', NEXT_ORDER_ID), save: (id: number) => repos.facts.set('ibNextOrderId', NEXT_ORDER_ID, id, clock.now()) };
    return new IbBroker({ ib: config.ib, mode: config.mode, liveConfirm: config.liveConfirm, liveConfirmedOnCli, nextOrderIdStore, timers: clock });
  }
  return new SimBroker({
    seed: config.sim.seed,
    regime: config.sim.regime,
    startPrice: config.sim.startPrice,
    barMinutes: config.trading.barMinutes,
    barIntervalMs: config.sim.barIntervalMs,
    slippageTicks: config.backtest.slippageTicks,
    commissionPerContract: config.backtest.commissionPerContract,
    venueState: sqliteVenueStore(store),
    warmup: SIM_WARMUP,
  });
}
