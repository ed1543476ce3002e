import { EventName, IBApi } from '@stoqey/ib';
import type * as v from 'valibot';
import { CODES, IbBrokerError, classify } from './codes.ts';
import type { Timers } from './orders.ts';
import * as S from './schemas.ts';

type P<X extends v.GenericSchema> = S.Parsed<X>;

/** The library's events, checked by schema, as the adapter consumes them. */
export interface ClientListener {
  nextValidId(id: number): void;
  /** `error` and `info` alike: TWS's code, text and the request/order id (−1 for none). */
  message(code: number, text: string, reqId: number): void;
  orderStatus(a: P<typeof S.OrderStatusArgs>): void;
  openOrder(a: P<typeof S.OpenOrderArgs>): void;
  openOrderEnd(): void;
  execDetails(a: P<typeof S.ExecDetailsArgs>): void;
  execDetailsEnd(reqId: number): void;
  commission(execId: string, dollars: number | undefined): void;
  position(a: P<typeof S.PositionArgs>): void;
  positionEnd(): void;
  contractDetails(a: P<typeof S.ContractDetailsArgs>): void;
  contractDetailsEnd(reqId: number): void;
  historicalData(a: P<typeof S.HistoricalDataArgs>): void;
  realtimeBar(a: P<typeof S.RealtimeBarArgs>): void;
  accountSummary(a: P<typeof S.AccountSummaryArgs>): void;
  accountSummaryEnd(reqId: number): void;
  currentTime(epochSeconds: number): void;
  disconnected(reason: string): void;
  /** A message failed its schema, or a handler threw: reported, never thrown into the library. */
  problem(code: number, text: string): void;
}

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly clientId: number;
  readonly connectTimeoutMs: number;
  /** TWS accepts 50 messages a second; the library queues above this. */
  readonly maxReqPerSec?: number;
}

type Emitter = { on(event: string, fn: (...args: unknown[]) => void): unknown; removeAllListeners(): unknown };

/**
 * One TCP session with TWS / IB Gateway. Each connect() makes a fresh IBApi: an old socket
 * closing late must not knock down the new one, so events of a replaced instance are dropped.
 * connect() resolves when TWS has sent nextValidId and managedAccounts (the API is usable) and
 * fails on a refused socket, a refused client id (326), an early close or the time-out.
 */
export class IbClient {
  private current: IBApi | null = null;
  private generation = 0;

  constructor(
    private readonly listener: ClientListener,
    private readonly timers: Timers,
  ) {}

  /** The live connection's API, or an error to throw (retryable: connect again). */
  get api(): IBApi {
    if (this.current === null) throw new IbBrokerError(CODES.notConnected, 'not connected to TWS / IB Gateway: wait for the connection to be restored', true);
    return this.current;
  }

  get connected(): boolean {
    return this.current !== null;
  }

  connect(ep: Endpoint): Promise<{ accounts: string[]; nextValidId: number; serverVersion: number; connectionTime: string }> {
    this.disconnect();
    const gen = ++this.generation;
    const ib = new IBApi({ host: ep.host, port: ep.port, maxReqPerSec: ep.maxReqPerSec ?? 40 });
    return new Promise((resolve, reject) => {
      let accounts: string[] | null = null;
      let nextId: number | null = null;
      let server = { version: 0, time: '' };
      let settled = false;
      const finish = (error: IbBrokerError | null) => {
        if (settled) return;
        settled = true;
        this.timers.clearTimeout(timer);
        if (error === null) {
          this.current = ib;
          resolve({ accounts: accounts!, nextValidId: nextId!, serverVersion: server.version, connectionTime: server.time });
        } else {
          this.drop(ib);
          reject(error);
        }
      };
      const timer = this.timers.setTimeout(() => finish(new IbBrokerError(CODES.notConnected, `no API handshake from ${ep.host}:${ep.port} within ${ep.connectTimeoutMs} ms (is the API enabled in TWS / IB Gateway?)`, true)), ep.connectTimeoutMs);
      const during = {
        server: (version: number, time: string) => {
          server = { version, time };
        },
        nextValidId: (id: number) => {
          nextId = id;
          if (accounts !== null) finish(null);
        },
        accounts: (list: string) => {
          accounts = list.split(',').map((a) => a.trim()).filter((a) => a !== '');
          if (nextId !== null) finish(null);
        },
        message: (code: number, text: string) => {
          if (!settled && classify(code).kind === 'connectFailed') finish(new IbBrokerError(code, `cannot connect to ${ep.host}:${ep.port} as client ${ep.clientId}: ${text} (${code})`, true));
        },
        closed: () => finish(new IbBrokerError(CODES.notConnected, `${ep.host}:${ep.port} closed the connection during the API handshake`, true)),
      };
      this.wire(ib, gen, during);
      ib.connect(ep.clientId);
    });
  }

  /** Closes the socket for real (end + destroy), so a half-dead link cannot linger. */
  disconnect(): void {
    const ib = this.current;
    this.current = null;
    this.generation++;
    if (ib !== null) this.drop(ib);
  }

  private drop(ib: IBApi): void {
    try {
      ib.disconnect();
    } catch {
      // Already closed: nothing to release.
    }
    // The socket's own late events may still fire; the generation check ignores them.
  }

  private wire(ib: IBApi, gen: number, during: { server(version: number, time: string): void; nextValidId(id: number): void; accounts(list: string): void; message(code: number, text: string): void; closed(): void }): void {
    const e = ib as unknown as Emitter;
    const l = this.listener;
    const on = <X extends v.GenericSchema>(event: string, schema: X, what: string, fn: (a: P<X>) => void) =>
      e.on(event, (...args: unknown[]) => {
        if (gen !== this.generation) return;
        try {
          const r = S.parseArgs(schema, args, what);
          if (r.ok) fn(r.value);
          else l.problem(9201, r.message);
        } catch (err) {
          l.problem(9202, `handling IB ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
    // The negotiated server version and TWS's connection time (its text names the gateway's zone).
    e.on(EventName.server, (version: unknown, time: unknown) => {
      if (gen === this.generation && typeof version === 'number') during.server(version, typeof time === 'string' ? time : '');
    });
    on(EventName.nextValidId, S.NextValidIdArgs, 'nextValidId', ([id]) => {
      during.nextValidId(id);
      l.nextValidId(id);
    });
    on(EventName.managedAccounts, S.ManagedAccountsArgs, 'managedAccounts', ([list]) => during.accounts(list));
    on(EventName.error, S.ErrorArgs, 'error', ([err, code, reqId]) => {
      const text = err instanceof Error ? err.message : String(err);
      during.message(code, text);
      l.message(code, text, reqId ?? -1);
    });
    on(EventName.info, S.InfoArgs, 'notice', ([text, code]) => {
      during.message(code, text);
      l.message(code, text, -1);
    });
    on(EventName.orderStatus, S.OrderStatusArgs, 'orderStatus', (a) => l.orderStatus(a));
    on(EventName.openOrder, S.OpenOrderArgs, 'openOrder', (a) => l.openOrder(a));
    e.on(EventName.openOrderEnd, () => gen === this.generation && l.openOrderEnd());
    on(EventName.execDetails, S.ExecDetailsArgs, 'execution', (a) => l.execDetails(a));
    on(EventName.execDetailsEnd, S.EndArgs, 'execDetailsEnd', ([id]) => l.execDetailsEnd(id));
    on(EventName.commissionReport, S.CommissionReportArgs, 'commission report', ([r]) => l.commission(r.execId, r.commission));
    on(EventName.position, S.PositionArgs, 'position', (a) => l.position(a));
    e.on(EventName.positionEnd, () => gen === this.generation && l.positionEnd());
    on(EventName.contractDetails, S.ContractDetailsArgs, 'contract details', (a) => l.contractDetails(a));
    on(EventName.contractDetailsEnd, S.EndArgs, 'contractDetailsEnd', ([id]) => l.contractDetailsEnd(id));
    on(EventName.historicalData, S.HistoricalDataArgs, 'historical bar', (a) => l.historicalData(a));
    on(EventName.realtimeBar, S.RealtimeBarArgs, 'real-time bar', (a) => l.realtimeBar(a));
    on(EventName.accountSummary, S.AccountSummaryArgs, 'account summary', (a) => l.accountSummary(a));
    on(EventName.accountSummaryEnd, S.EndArgs, 'accountSummaryEnd', ([id]) => l.accountSummaryEnd(id));
    on(EventName.currentTime, S.CurrentTimeArgs, 'current time', ([t]) => l.currentTime(t));
    e.on(EventName.disconnected, () => {
      if (gen !== this.generation) return;
      during.closed();
      const wasUp = this.current === ib;
      this.current = null;
      this.generation++;
      if (wasUp) l.disconnected('the connection to TWS / IB Gateway closed');
    });
  }
}
