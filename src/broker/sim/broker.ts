import type { Bar } from '../../domain/bar.ts';
import type { Fill, Order, OrderRequest } from '../../domain/trading.ts';
import type { RegimeOption } from '../../market/regimes.ts';
import { DEFAULT_START, DEFAULT_START_PRICE } from '../../market/simulator.ts';
import type { AccountPnl, Bracket, Broker, BrokerContract, BrokerError, BrokerEvents, BrokerPosition, Unsubscribe } from '../port.ts';
import { SimExchange, type ExchangeEvent } from './exchange.ts';
import { checkSameMarket, SimFeed, type SimFeedOptions } from './feed.ts';
import { parseVenueState, type InBar, type VenueStateStore } from './venue-state.ts';

/** Replaceable timers, so tests drive the feed by hand. */
export interface Scheduler {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export interface SimBrokerOptions {
  readonly seed: number;
  readonly regime: RegimeOption;
  readonly startPrice?: number;
  /** Bar size of the feed; subscribeBars and history accept only this size. Default 1. */
  readonly barMinutes?: number;
  /** Wall time between bars. 0: no timer, only step() advances the market (tests, benches). */
  readonly barIntervalMs: number;
  readonly slippageTicks: number;
  readonly commissionPerContract: number;
  readonly venueState?: VenueStateStore;
  readonly scheduler?: Scheduler;
  /** Bars produced before the first live bar, so history() returns real prior bars. Default 500. */
  readonly warmup?: number;
  /** UTC ms the simulated market starts from. Default Sunday 2026-01-04 18:00 New York. */
  readonly start?: number;
  /** Macrotask turns settle() waits between phases. Default 3. */
  readonly settleTurns?: number;
}

/** Errors of the sim venue that are not TWS errors. */
export const SIM_BROKER_ERROR = { notConnected: 504, handlerThrew: 9001, storeFailed: 9002, stepFailed: 9003 } as const;

/** A call the venue refused (not connected, bad arguments); `code`/`retryable` as in BrokerError. */
export class SimBrokerError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SimBrokerError';
  }
}

type Handlers = { [K in keyof BrokerEvents]: Set<(payload: BrokerEvents[K]) => void> };

/**
 * The venue `sim` mode connects to: a SimExchange fed by the deterministic market simulator.
 * Each bar runs openPhase → settle → rangePhase → settle → closePhase → `bar` event → settle →
 * save, so reactions to a fill (the position actor placing its bracket) are in the book before
 * the next phase, as the backtester assumes. Orders take effect synchronously inside placeOrder.
 * Like a real venue, the market and the resting orders carry on while the client is away
 * (injectDisconnect): events of that time are lost and the client reconciles on reconnect.
 */
export class SimBroker implements Broker {
  readonly name = 'sim';
  private readonly exchange: SimExchange;
  private readonly feed: SimFeed;
  private readonly scheduler: Scheduler;
  private readonly handlers: Handlers = { bar: new Set(), orderStatus: new Set(), fill: new Set(), connection: new Set(), error: new Set() };
  private connected = false;
  /** The client's bar subscription; a dropped connection ends it, as with TWS. */
  private delivering = false;
  private timer: unknown = null;
  private stepping = false;
  /** The bar in progress and its last saved phase; restored from a mid-bar save after a crash. */
  private current: InBar | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private rejectReason: string | null = null;

  constructor(private readonly opts: SimBrokerOptions) {
    if (!(opts.barIntervalMs >= 0)) throw new RangeError(`barIntervalMs must be ≥ 0 (0 = advance only by step()), got ${opts.barIntervalMs}`);
    const warmup = opts.warmup ?? 500;
    if (!(Number.isInteger(warmup) && warmup >= 0)) throw new RangeError(`warmup must be a whole number of bars ≥ 0, got ${warmup}`);
    this.scheduler = opts.scheduler ?? realScheduler;
    const market: SimFeedOptions = { seed: opts.seed, regime: opts.regime, startPrice: opts.startPrice ?? DEFAULT_START_PRICE, barMinutes: opts.barMinutes ?? 1, start: opts.start ?? DEFAULT_START };
    const raw = opts.venueState?.load() ?? null;
    const saved = raw === null ? null : parseVenueState(raw);
    const settings = { slippageTicks: opts.slippageTicks, commissionPerContract: opts.commissionPerContract };
    if (saved?.feed !== undefined) checkSameMarket(saved.feed, market);
    this.exchange = saved === null ? new SimExchange(settings) : SimExchange.restore(saved, settings);
    this.feed = new SimFeed(market, saved?.feed?.nextBarIndex ?? warmup + (saved?.barsClosed ?? 0));
    this.current = saved?.inBar ?? null;
  }

  /** Index of the next bar the feed will produce (warmup + live bars so far). */
  get barIndex(): number {
    return this.feed.nextBarIndex;
  }

  /** The simulated market is one continuous series: no listed contract, no expiry. */
  tradedContract(): BrokerContract | null {
    return null;
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    this.connected = true;
    this.emit('connection', { type: 'connected' });
  }

  /** Ends the session: the feed stops (the sim market only moves while the service is attached). */
  async disconnect(): Promise<void> {
    this.stopTimer();
    this.delivering = false;
    if (!this.connected) return;
    this.connected = false;
    this.emit('connection', { type: 'disconnected', reason: 'client disconnected' });
  }

  async subscribeBars(barMinutes: number): Promise<void> {
    this.requireConnected('subscribeBars');
    this.requireBarMinutes(barMinutes);
    this.delivering = true;
    if (this.timer === null && this.opts.barIntervalMs > 0) {
      this.timer = this.scheduler.setInterval(() => this.tick(), this.opts.barIntervalMs);
    }
  }

  async history(barMinutes: number, count: number): Promise<Bar[]> {
    this.requireConnected('history');
    this.requireBarMinutes(barMinutes);
    if (!(Number.isInteger(count) && count >= 0)) throw new SimBrokerError(321, `history: count must be a whole number ≥ 0, got ${count}`, false);
    // A bar interrupted by a crash is not history yet: it is finished (and sent) by the next step.
    if (this.current === null) return this.feed.history(count);
    return this.feed.history(count + 1).slice(0, -1);
  }

  async placeOrder(order: OrderRequest): Promise<void> {
    this.requireConnected('placeOrder');
    let reject: string | undefined;
    if (this.rejectReason !== null && this.exchange.order(order.ref) === undefined) {
      reject = this.rejectReason;
      this.rejectReason = null;
    }
    const { events } = this.exchange.place(order, reject);
    this.save();
    this.emitAll(events);
  }

  /** The three orders go into the book together: the children wait (inactive) for the entry's fill. */
  async placeBracket(b: Bracket): Promise<void> {
    this.requireConnected('placeBracket');
    const events: ExchangeEvent[] = [];
    for (const req of [b.entry, b.stop, b.target]) {
      let reject: string | undefined;
      if (this.rejectReason !== null && this.exchange.order(req.ref) === undefined) {
        reject = this.rejectReason;
        this.rejectReason = null;
      }
      events.push(...this.exchange.place(req, reject).events);
    }
    this.save();
    this.emitAll(events);
  }

  async modifyOrder(ref: string, price: number): Promise<void> {
    this.requireConnected('modifyOrder');
    const events = this.exchange.modify(ref, price);
    this.save();
    this.emitAll(events);
  }

  /** Orders placed again under a ref the venue already had (the invariant "no ref placed twice" counts these). */
  get duplicatesRefused(): number {
    return this.exchange.duplicatesRefused;
  }

  async cancelOrder(ref: string): Promise<void> {
    this.requireConnected('cancelOrder');
    const events = this.exchange.cancel(ref);
    this.save();
    this.emitAll(events);
  }

  async cancelAll(): Promise<void> {
    this.requireConnected('cancelAll');
    const events = this.exchange.cancelAll();
    this.save();
    this.emitAll(events);
  }

  async openOrders(): Promise<Order[]> {
    this.requireConnected('openOrders');
    return this.exchange.openOrders();
  }

  async positions(): Promise<BrokerPosition[]> {
    this.requireConnected('positions');
    return this.exchange.positions();
  }

  async executionsSince(time: number): Promise<Fill[]> {
    this.requireConnected('executionsSince');
    return this.exchange.executionsSince(time);
  }

  async accountPnl(): Promise<AccountPnl> {
    this.requireConnected('accountPnl');
    return this.exchange.accountPnl();
  }

  on<K extends keyof BrokerEvents>(event: K, handler: (payload: BrokerEvents[K]) => void): Unsubscribe {
    const set = this.handlers[event];
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Runs one bar through every phase without timers; calls queue behind a bar in progress. */
  step(): Promise<Bar> {
    const run = this.chain.then(() => this.runBar());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The socket drops: events stop, the subscription ends, the market goes on. connect() to come back. */
  injectDisconnect(reason = 'injected disconnect'): void {
    this.delivering = false;
    if (!this.connected) return;
    this.connected = false;
    this.emit('connection', { type: 'disconnected', reason });
  }

  injectError(code: number, message: string, extra: { readonly ref?: string; readonly retryable?: boolean } = {}): void {
    this.emit('error', { code, message, retryable: extra.retryable ?? true, ...(extra.ref === undefined ? {} : { ref: extra.ref }) });
  }

  /** The next new order is rejected with `reason` (an orderStatus `rejected` event). */
  rejectNext(reason: string): void {
    this.rejectReason = reason;
  }

  /**
   * One bar, write-ahead: each phase's results are saved before they are sent, so a kill -9 at any
   * point leaves a state from which the restarted venue finishes the same bar and the client can
   * catch up on what it missed through executionsSince, as with a real broker.
   */
  private async runBar(): Promise<Bar> {
    const resumed = this.current;
    const bar = resumed?.bar ?? this.feed.next();
    if (resumed === null) this.phase(bar, 'open', this.exchange.openPhase(bar));
    await this.settle();
    if (resumed?.done !== 'range') this.phase(bar, 'range', this.exchange.rangePhase(bar));
    await this.settle();
    this.exchange.closePhase(bar);
    this.current = null;
    if (this.delivering && this.connected) this.emit('bar', bar);
    // Orders decided at this close were saved as they were placed; this save ends the bar.
    await this.settle();
    this.save();
    return bar;
  }

  private phase(bar: Bar, done: InBar['done'], events: readonly ExchangeEvent[]): void {
    this.current = { bar, done };
    this.save();
    this.emitAll(events);
  }

  /**
   * Lets async reactions to the events just emitted reach the book before the next phase. A
   * reaction in the service is a chain (event → actor transition → invoked promise → placeOrder)
   * of several microtask hops, sometimes a setImmediate; each macrotask turn first drains every
   * pending microtask, so a few turns cover such chains without a wall-clock delay that would
   * make the sim slow and flaky.
   */
  private async settle(): Promise<void> {
    const turns = this.opts.settleTurns ?? 3;
    for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** A timer tick while a bar is still settling is skipped rather than queued, so a slow client cannot build a backlog. */
  private tick(): void {
    if (this.stepping) return;
    this.stepping = true;
    this.step()
      .catch((err: unknown) => this.emit('error', { code: SIM_BROKER_ERROR.stepFailed, message: `sim bar failed: ${errorText(err)}`, retryable: true }))
      .finally(() => {
        this.stepping = false;
      });
  }

  private stopTimer(): void {
    if (this.timer !== null) this.scheduler.clearInterval(this.timer);
    this.timer = null;
  }

  private save(): void {
    if (this.opts.venueState === undefined) return this.exchange.discardChanges();
    try {
      const d = this.exchange.delta();
      this.opts.venueState.save({ ...d, account: { ...d.account, feed: this.feed.state(), ...(this.current === null ? {} : { inBar: this.current }) } });
    } catch (err) {
      this.emit('error', { code: SIM_BROKER_ERROR.storeFailed, message: `saving the sim venue state failed: ${errorText(err)}; the paper account will not survive a restart until this is fixed`, retryable: true });
    }
  }

  private emitAll(events: readonly ExchangeEvent[]): void {
    // Like a real venue, nothing reaches a client that is not connected.
    if (!this.connected) return;
    for (const e of events) {
      if (e.type === 'fill') this.emit('fill', e.payload);
      else if (e.type === 'orderStatus') this.emit('orderStatus', e.payload);
      else this.emit('error', e.payload);
    }
  }

  private emit<K extends keyof BrokerEvents>(event: K, payload: BrokerEvents[K]): void {
    for (const handler of [...this.handlers[event]]) {
      try {
        handler(payload);
      } catch (err) {
        // The port forbids throwing handlers; one that does must not stop the bar for the others.
        if (event !== 'error') this.emit('error', { code: SIM_BROKER_ERROR.handlerThrew, message: `a '${event}' handler threw: ${errorText(err)}`, retryable: false } satisfies BrokerError);
      }
    }
  }

  private requireConnected(call: string): void {
    if (!this.connected) throw new SimBrokerError(SIM_BROKER_ERROR.notConnected, `${call}: not connected to the sim venue; call connect() first`, true);
  }

  private requireBarMinutes(barMinutes: number): void {
    if (barMinutes !== this.feed.barMinutes) {
      throw new SimBrokerError(321, `the sim feed produces ${this.feed.barMinutes}-minute bars, got a request for ${barMinutes}; set the sim bar size to ${barMinutes} or ask for ${this.feed.barMinutes}`, false);
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
