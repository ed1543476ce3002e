import type { Bar } from '../../domain/bar.ts';
import type { Fill, Order, OrderRequest } from '../../domain/trading.ts';
import type { AccountPnl, Broker, BrokerContract, BrokerEvents, BrokerPosition, Unsubscribe, Bracket } from '../port.ts';
import { completedBars, RealTimeBars } from './bars.ts';
import { IbClient, type ClientListener } from './client.ts';
import { CODES, IB_ADAPTER, IbBrokerError, isRetryable } from './codes.ts';
import { Connectivity } from './connectivity.ts';
import { PortEvents } from './events.ts';
import { startOfDay, zoneOfConnectionTime } from './ib-time.ts';
import { DATA_DENIED_CODES, MarketDataGate } from './market-data.ts';
import { Queries } from './queries.ts';
import { futContract } from './mapper.ts';
import { OrderFlow } from './order-flow.ts';
import { closeDue, closeNotice, decideRoll, rollRefusal, type ExpiringPolicy, type RollDecision, type RollView } from './roll.ts';
import { closeDeadline, pickFrontMonth, type FutureContract } from './contract.ts';
import type { Timers } from './orders.ts';
import { Requests } from './requests.ts';
import { tradableAccount } from './safety.ts';

export type { Timers } from './orders.ts';
export { IbBrokerError } from './codes.ts';

/** Where the next order id survives a restart (the service keeps it in SQLite). */
export interface NextOrderIdStore {
  load(): number | null;
  save(id: number): void;
}

export interface IbSettings {
  readonly host: string;
  readonly port: number;
  readonly clientId: number;
  readonly account: string;
  readonly rollDaysBeforeExpiry: number;
  /** What happens to a position still open in the expiring contract, and by when (hours before it stops trading). */
  readonly expiringPosition: ExpiringPolicy;
  readonly closeHoursBeforeExpiry: number;
  readonly connectTimeoutMs: number;
}

export interface IbBrokerOptions {
  readonly ib: IbSettings;
  readonly mode: 'paper' | 'live';
  readonly liveConfirm?: string;
  /** `--live` was given on the command line (live needs it and the config sentence). */
  readonly liveConfirmedOnCli: boolean;
  readonly nextOrderIdStore: NextOrderIdStore;
  readonly timers?: Timers;
  /** Longest wait for a request's answer (history, executions, positions…). Default 20 s. */
  readonly requestTimeoutMs?: number;
  /** Longest wait for an execution's commission report. Default 5 s. */
  readonly commissionWaitMs?: number;
  /** Longest an order may stand reported filled without its execution before executions are read back. Default 10 s. */
  readonly fillWaitMs?: number;
  /** Wait after a history pacing violation (162) before asking again. Default 15 s (IB's pacing window is 10 min for 60 requests). */
  readonly historyRetryMs?: number;
  readonly historyRetries?: number;
  readonly maxReqPerSec?: number;
}

const realTimers: Timers = { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>) };

/**
 * The Broker port on Interactive Brokers (TWS / IB Gateway) through @stoqey/ib, for MES.
 * This class wires the pieces: IbClient (the socket and the library's events, checked by
 * schema), OrderFlow (orders, statuses, fills), Queries (request/answer reads), Connectivity
 * (TWS's notices → degraded/restored) and RealTimeBars (5-second bars → strategy bars).
 * Orders are refused while IB reports lost connectivity (retryable) and when the connected
 * account is not the one the config allows (not retryable).
 */
export class IbBroker implements Broker {
  readonly name = 'ib';
  private readonly events = new PortEvents();
  private readonly timers: Timers;
  private readonly client: IbClient;
  private readonly requests: Requests;
  private readonly orders: OrderFlow;
  private readonly queries: Queries;
  private readonly connectivity: Connectivity;
  private readonly bars = new RealTimeBars();
  private readonly data: MarketDataGate;
  private contract: FutureContract | null = null;
  private listed: FutureContract[] = [];
  private barMinutes: number | null = null;
  /** The gateway's time zone, from the handshake's connection time. */
  private zone: string | null = null;
  private serverVersion = 0;
  private rollAlerted = '';
  /** Contracts whose expiring position was already handed to the service to close (once per connection). */
  private closing = new Set<number>();
  private rollCheck: Promise<void> | null = null;
  private rollCheckedAt = Number.NEGATIVE_INFINITY;
  private account: string | IbBrokerError = new IbBrokerError(CODES.notConnected, 'not connected to TWS / IB Gateway yet', true);
  private nextId: number;

  constructor(private readonly opts: IbBrokerOptions) {
    this.timers = opts.timers ?? realTimers;
    this.nextId = Math.max(1, opts.nextOrderIdStore.load() ?? 1);
    this.requests = new Requests(this.timers);
    this.connectivity = new Connectivity((e) => this.events.emit('connection', e));
    this.data = new MarketDataGate(this.events, (reason) => this.connectivity.dataDenied(reason));
    this.orders = new OrderFlow({
      api: () => this.client.api,
      account: () => this.tradingAccount(),
      contract: () => futContract(this.front()),
      allocateId: () => this.allocateId(),
      zone: () => this.zone,
      readExecutions: async () => this.queries.rawExecutions(startOfDay(await this.queries.currentTime(), this.zone)),
      timers: this.timers,
      events: this.events,
      commissionWaitMs: opts.commissionWaitMs ?? 5_000,
      fillWaitMs: opts.fillWaitMs ?? 10_000,
    });
    this.queries = new Queries({
      api: () => this.client.api,
      requests: this.requests,
      orders: this.orders,
      events: this.events,
      timers: this.timers,
      account: () => (typeof this.account === 'string' ? this.account : this.opts.ib.account),
      timeoutMs: opts.requestTimeoutMs ?? 20_000,
      historyRetryMs: opts.historyRetryMs ?? 15_000,
      historyRetries: opts.historyRetries ?? 3,
    });
    this.client = new IbClient(this.listener(), this.timers);
  }

  async connect(): Promise<void> {
    if (this.client.connected) return;
    const { ib } = this.opts;
    const hello = await this.client.connect({ host: ib.host, port: ib.port, clientId: ib.clientId, connectTimeoutMs: ib.connectTimeoutMs, ...(this.opts.maxReqPerSec ? { maxReqPerSec: this.opts.maxReqPerSec } : {}) });
    this.takeIds(hello.nextValidId);
    this.serverVersion = hello.serverVersion;
    this.zone = zoneOfConnectionTime(hello.connectionTime);
    this.account = tradableAccount({ mode: this.opts.mode, configured: ib.account, managed: hello.accounts, liveConfirm: this.opts.liveConfirm, liveConfirmedOnCli: this.opts.liveConfirmedOnCli });
    if (typeof this.account !== 'string') this.events.error({ code: this.account.code, message: this.account.message, retryable: false });
    try {
      // The gateway's clock decides the roll, so a paper rehearsal on a simulated market rolls on its dates.
      const now = await this.queries.currentTime();
      this.listed = await this.queries.futures();
      // A reconnect after the roll day must not switch contracts under an open position.
      const positions = typeof this.account === 'string' ? await this.queries.mesPositions() : [];
      const d = decideRoll(null, this.rollView(now, positions));
      this.contract = d.contract;
      if (d.kind === 'hold') this.alertRoll(rollRefusal(d).message);
    } catch (e) {
      this.client.disconnect();
      throw e;
    }
    this.closing.clear();
    this.connectivity.reset();
    this.events.emit('connection', { type: 'connected' });
  }

  /** Closes the socket for real; the connection actor calls this on a stale link too. */
  async disconnect(): Promise<void> {
    const was = this.client.connected;
    this.client.disconnect();
    this.lost('client disconnected', was);
  }

  /** The front month in use (null while not connected), for the operator's status. */
  tradedContract(): BrokerContract | null {
    const c = this.contract;
    return c === null ? null : { localSymbol: c.localSymbol, conId: c.conId, lastTradeDate: c.lastTradeDate, exchange: c.exchange };
  }

  /** The negotiated TWS API server version of the current connection (0 before the first). */
  get negotiatedVersion(): number {
    return this.serverVersion;
  }

  async subscribeBars(barMinutes: number): Promise<void> {
    this.barMinutes = barMinutes;
    const api = this.client.api;
    const contract = futContract(this.front());
    const reqId = this.queries.newReqId();
    const previous = this.bars.subscribe(reqId, barMinutes);
    if (previous !== null) api.cancelRealTimeBars(previous);
    api.reqRealTimeBars(reqId, contract, 5, 'TRADES' as never, false);
  }

  async history(barMinutes: number, count: number): Promise<Bar[]> {
    const bars = await this.queries.history(barMinutes, count);
    // IB's last bar may still be forming: keep the ones complete by the gateway's clock.
    return completedBars(bars, barMinutes, await this.queries.currentTime(), count);
  }

  async placeOrder(order: OrderRequest): Promise<void> {
    this.connectivity.requireRouting();
    if (order.reason === 'entry') await this.requireEntry();
    this.orders.place(order);
  }

  /** An entry with its stop and target as IB's bracket (see OrderFlow.placeBracket). */
  async placeBracket(bracket: Bracket): Promise<void> {
    this.connectivity.requireRouting();
    await this.requireEntry();
    this.orders.placeBracket(bracket);
  }

  /** Moves a working stop or limit order to `price` in place (IB: placeOrder again with its id). */
  async modifyOrder(ref: string, price: number): Promise<void> {
    this.connectivity.requireRouting();
    this.orders.modify(ref, price);
  }

  async cancelOrder(ref: string): Promise<void> {
    this.orders.cancel(ref);
  }

  async cancelAll(): Promise<void> {
    this.tradingAccount();
    this.client.api.reqGlobalCancel();
  }

  openOrders(): Promise<Order[]> {
    return this.queries.openOrders();
  }

  positions(): Promise<BrokerPosition[]> {
    return this.queries.positions();
  }

  /**
   * IB answers reqExecutions with the current day's executions only (since midnight in the
   * gateway's zone, per IB's documentation), whatever `time` asks: fills of an earlier day
   * that the journal missed (an overnight outage) must be found by comparing positions with
   * the journal, not here.
   */
  executionsSince(time: number): Promise<Fill[]> {
    return this.queries.executionsSince(time);
  }

  accountPnl(): Promise<AccountPnl> {
    return this.queries.accountPnl();
  }

  on<K extends keyof BrokerEvents>(event: K, handler: (payload: BrokerEvents[K]) => void): Unsubscribe {
    return this.events.on(event, handler);
  }

  /** Entries need real-time data and the contract that is not rolling away under an open position. */
  private async requireEntry(): Promise<void> {
    this.data.requireData();
    const d = decideRoll(this.front(), this.rollView(await this.queries.currentTime(), await this.queries.mesPositions()));
    if (d.kind === 'hold') {
      const refusal = rollRefusal(d);
      this.alertRoll(refusal.message);
      throw refusal;
    }
    if (d.changed) await this.switchTo(d);
  }

  private rollView(now: number, positions: RollView['positions']): RollView {
    const { rollDaysBeforeExpiry: rollDays, closeHoursBeforeExpiry: closeHours } = this.opts.ib;
    return { listed: this.listed, now, rollDays, closeHours, positions };
  }

  /**
   * The roll on the gateway's clock (each real-time bar's end), not only at connect or before an
   * entry, so a rehearsal on a simulated market rolls on its dates: once the contract in use is no
   * longer the front month, a position held in it past its close deadline is handed to the service
   * to close (one contractExpiring event), and once flat the bars move to the new front month.
   */
  private watchRoll(now: number): void {
    const c = this.contract;
    if (c === null || this.rollCheck !== null || typeof this.account !== 'string') return;
    const { rollDaysBeforeExpiry: rollDays, closeHoursBeforeExpiry: closeHours } = this.opts.ib;
    try {
      if (pickFrontMonth(this.listed, now, rollDays, closeHours).conId === c.conId) return;
    } catch {
      return;
    }
    // Held in a rolled contract before its deadline: a look at the positions a minute is enough.
    if (now < (closeDeadline(c, closeHours) ?? now) && now - this.rollCheckedAt < 60_000) return;
    this.rollCheckedAt = now;
    this.rollCheck = (async () => {
      const d = decideRoll(c, this.rollView(now, await this.queries.mesPositions()));
      if (this.contract?.conId !== c.conId) return;
      const due = closeDue(d, now, closeHours);
      if (due !== null && !this.closing.has(c.conId)) {
        this.closing.add(c.conId);
        this.events.error({ code: IB_ADAPTER.contractExpiring, retryable: false, message: closeNotice(due, this.opts.ib.expiringPosition, closeHours) });
      }
      if (d.kind === 'trade' && d.changed) await this.switchTo(d);
    })()
      .catch(() => {}) // the next bar checks again
      .finally(() => {
        this.rollCheck = null;
      });
  }

  private async switchTo(d: Extract<RollDecision, { kind: 'trade' }>): Promise<void> {
    const from = this.front();
    this.contract = d.contract;
    this.events.error({ code: IB_ADAPTER.rollPending, retryable: true, message: `rolled from ${from.localSymbol} to ${d.contract.localSymbol} (no position open in ${from.localSymbol}); the bars now come from ${d.contract.localSymbol}` });
    if (this.barMinutes !== null) await this.subscribeBars(this.barMinutes);
  }

  /** One alert per rolled contract held, not one per refused entry. */
  private alertRoll(message: string): void {
    const key = `${this.contract?.conId ?? 0}`;
    if (this.rollAlerted === key) return;
    this.rollAlerted = key;
    this.events.error({ code: IB_ADAPTER.rollPending, retryable: false, message });
  }

  private tradingAccount(): string {
    if (typeof this.account !== 'string') throw this.account;
    return this.account;
  }

  private front(): FutureContract {
    if (this.contract === null) throw new IbBrokerError(CODES.notConnected, 'no MES contract resolved yet: connect first', true);
    return this.contract;
  }

  /** The larger of the gateway's next id and ours (persisted), so an id is never used twice across restarts. */
  private takeIds(gatewayNext: number): void {
    this.nextId = Math.max(this.nextId, gatewayNext);
  }

  private allocateId(): number {
    const id = this.nextId++;
    this.opts.nextOrderIdStore.save(this.nextId);
    return id;
  }

  private lost(reason: string, notify: boolean): void {
    this.bars.dropped();
    this.contract = null;
    this.account = new IbBrokerError(CODES.notConnected, 'not connected to TWS / IB Gateway: wait for the connection to be restored', true);
    this.requests.failAll(new IbBrokerError(CODES.notConnected, `the request was cut off: ${reason}`, true));
    if (notify) this.events.emit('connection', { type: 'disconnected', reason });
  }

  private listener(): ClientListener {
    const q = () => this.queries;
    return {
      nextValidId: (id) => {
        this.takeIds(id);
        this.orders.onNextValidId();
      },
      message: (code, text, reqId) => {
        if (DATA_DENIED_CODES.has(code) && (reqId === this.bars.active || reqId < 0)) return this.data.onDenied(code, text);
        if (reqId >= 0 && this.requests.has(reqId)) return q().onRequestMessage(code, text, reqId);
        if (reqId >= 0 && this.orders.onOrderMessage(code, text, reqId)) return;
        this.connectivity.onMessage(code, text);
        this.events.error({ code, message: text, retryable: isRetryable(code) });
      },
      orderStatus: (a) => this.orders.onOrderStatus(a),
      openOrder: (a) => q().onOpenOrder(a),
      openOrderEnd: () => q().onOpenOrderEnd(),
      execDetails: (a) => (a[0] === -1 ? this.orders.onExecution(a) : this.requests.add(a[0], a)),
      execDetailsEnd: (id) => this.requests.end(id),
      commission: (execId, dollars) => this.orders.commissions.report(execId, dollars ?? 0),
      position: (a) => q().onPosition(a),
      positionEnd: () => q().onPositionEnd(),
      contractDetails: (a) => this.requests.add(a[0], a),
      contractDetailsEnd: (id) => this.requests.end(id),
      historicalData: (a) => q().onHistoricalData(a),
      realtimeBar: ([reqId, time, open, high, low, close, volume]) => {
        const done = this.bars.push(reqId, { time: time * 1000, open, high, low, close, volume: volume ?? 0 });
        if (reqId === this.bars.active) {
          this.data.onData();
          this.connectivity.onData();
          this.watchRoll((time + 5) * 1000);
        }
        for (const bar of done) this.events.emit('bar', bar);
      },
      accountSummary: (a) => this.requests.add(a[0], a),
      accountSummaryEnd: (id) => q().onAccountSummaryEnd(id),
      currentTime: (t) => q().onCurrentTime(t),
      disconnected: (reason) => this.lost(reason, true),
      problem: (code, text) => this.events.error({ code, message: text, retryable: true }),
    };
  }
}

