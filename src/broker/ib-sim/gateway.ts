import { createServer, type Server, type Socket } from 'node:net';
import type { Bar } from '../../domain/bar.ts';
import type { RegimeOption } from '../../market/regimes.ts';
import { DEFAULT_START, DEFAULT_START_PRICE } from '../../market/simulator.ts';
import { SimFeed } from '../sim/feed.ts';
import { GatewayBook, type BookFaults, type Outgoing } from './book.ts';
import type { Field } from './codec.ts';
import { handleRequest, sendQuote, type DataDenial, type GatewayContext } from './handlers.ts';
import { realTimeBar } from './market-messages.ts';
import { RangeHistory } from './history-range.ts';
import * as out from './responses.ts';
import { Session } from './session.ts';
import { loadGatewayState, saveGatewayState } from './state-file.ts';
import { splitMinuteBar } from './sub-bars.ts';
import { MAX_SERVER_VERSION, MIN_SERVER_VERSION } from './versions.ts';
import { connectionTime, type ExecTimeStyle } from './zone-time.ts';

export interface FakeGatewayOptions {
  /** 0 (default) picks a free port. The gateway listens on 127.0.0.1 only. */
  readonly port?: number;
  readonly account?: string;
  readonly seed?: number;
  readonly regime?: RegimeOption;
  readonly startPrice?: number;
  /** UTC ms the simulated market starts from. */
  readonly start?: number;
  /** Minute bars simulated before the first live one, so history requests have data. Default 500. */
  readonly warmupBars?: number;
  /** Wall time between simulated minutes; 0 (default) = only step() advances the market. */
  readonly barIntervalMs?: number;
  readonly slippageTicks?: number;
  readonly commissionPerContract?: number;
  /** A phase is settled once the sockets were quiet this long (the client's reactions are in). Default 15. */
  readonly quietMs?: number;
  readonly log?: (line: string) => void;
  /** The server versions to negotiate within (default 100..193, the most @stoqey/ib offers); a test pins one with min = max. */
  readonly minVersion?: number;
  readonly maxVersion?: number;
  /** The gateway's time zone (IANA; default US/Eastern): execution times, bar dates, the connection time. */
  readonly timeZone?: string;
  /** Execution times with the zone (current gateways, default) or `yyyymmdd  hh:mm:ss` without it (older ones). */
  readonly execTimeStyle?: ExecTimeStyle;
  /** Base of execution and perm ids (default: the start time), so a restarted gateway process never repeats one. */
  readonly idSeed?: number;
  /** Commission reports follow their execution this much later (default 0; IB's take from a few ms to seconds). */
  readonly commissionDelayMs?: number;
  /** Also send 2107/2108 ("farm connection is inactive but should be available upon demand") at connect. Default true. */
  readonly idleFarmNotices?: boolean;
  /** Date-range history and its pacing rules, on this clock (a test's simulated one). */
  readonly rangeHistory?: RangeHistory;
  /**
   * Keeps the account and the market in this file (see state-file.ts), so a new gateway process
   * started with it resumes them; the file's account and market win over account/seed/regime/
   * startPrice/start/warmupBars. Written after every order request and every bar phase.
   */
  readonly stateFile?: string;
}

/** Requests that change the account (the rest only read it). */
const CHANGES_ACCOUNT = new Set(['placeOrder', 'cancelOrder', 'globalCancel']);

export interface FakeGateway {
  readonly port: number;
  readonly account: string;
  /** The account (paper exchange, executions), for assertions. */
  readonly book: GatewayBook;
  /** Simulates one minute: fills at the open, stops/targets in the range, twelve 5-second bars at the close. */
  step(): Promise<Bar>;
  /** Connected, started client sessions. */
  sessionCount(): number;
  /** Real-time bar subscriptions the gateway is serving (a test waits for one before stepping the market). */
  barSubscriptions(): number;
  /** Every socket is closed by the gateway (the peer hangs up). */
  dropConnections(): void;
  /** Current sessions stop talking and stop answering, sockets left open (a half-dead link). */
  goSilent(): void;
  /** Sends an error message to every session, e.g. sendError(1100, 'Connectivity between IB and TWS has been lost.'). */
  sendError(code: number, message: string, reqId?: number): void;
  rejectNext(reason: string): void;
  partialFillNext(qty: number): void;
  /** Acknowledgements of new orders arrive this much later (the orders are in the book at once). */
  delayAcks(ms: number): void;
  /** The next order is refused with 103 (duplicate order id), as after an id sequence reset. */
  duplicateIdNext(): void;
  /** The next `n` history requests get 162 (pacing violation). */
  pacingViolations(n: number): void;
  /** Market data requests are refused as for an account without the CME subscription (null: allowed again). */
  denyMarketData(code: DataDenial['code'] | null): void;
  /** One-shot and standing behaviours of the order book (Inactive first, status before execution, a lost execution…). */
  readonly faults: BookFaults;
  /** Sends one message of arbitrary fields to every session (a garbled message, for tests). */
  sendRaw(fields: readonly Field[]): void;
  /** Closes every session and stops listening for `downMs`, then listens again; the account is kept. */
  restart(opts: { downMs: number }): Promise<void>;
  close(): Promise<void>;
}

/** @stoqey/ib's send pacing window (it sends at most maxReqPerSec/10 messages per 100 ms), plus a margin. */
const CLIENT_PACING_MS = 110;

/** What TWS says at every connect (public captures): the farms it is attached to, and the ones idle until used. */
const DATA_FARMS_OK: ReadonlyArray<readonly [number, string]> = [
  [2104, 'Market data farm connection is OK:usfarm'],
  [2106, 'HMDS data farm connection is OK:ushmds'],
  [2158, 'Sec-def data farm connection is OK:secdefnj'],
];
const DATA_FARMS_IDLE: ReadonlyArray<readonly [number, string]> = [
  [2108, 'Market data farm connection is inactive but should be available upon demand.usfuture'],
  [2107, 'HMDS data farm connection is inactive but should be available upon demand.cashhmds'],
];

/**
 * A fake IB Gateway on loopback that speaks the TWS socket protocol, backed by the paper
 * exchange and the market simulator: the real @stoqey/ib client connects to it as to IB.
 */
export async function startFakeGateway(opts: FakeGatewayOptions = {}): Promise<FakeGateway> {
  const saved = opts.stateFile === undefined ? null : loadGatewayState(opts.stateFile);
  const account = saved?.account ?? opts.account ?? 'DU1234567';
  const log = opts.log ?? (() => {});
  const quietMs = opts.quietMs ?? 15;
  const timeZone = opts.timeZone ?? 'US/Eastern';
  const book = new GatewayBook({
    account, slippageTicks: opts.slippageTicks ?? 1, commissionPerContract: opts.commissionPerContract ?? 0.62, timeZone,
    execTimeStyle: opts.execTimeStyle ?? 'zoned', idSeed: opts.idSeed ?? Date.now(), commissionDelayMs: opts.commissionDelayMs ?? 0,
  }, saved?.book);
  const versions = { min: opts.minVersion ?? MIN_SERVER_VERSION, max: opts.maxVersion ?? MAX_SERVER_VERSION };
  const feed = saved
    ? new SimFeed({ seed: saved.feed.seed, regime: saved.feed.regime, startPrice: saved.feed.startPrice, barMinutes: saved.feed.barMinutes, start: saved.feed.start }, saved.feed.nextBarIndex)
    : new SimFeed({ seed: opts.seed ?? 7, regime: opts.regime ?? 'switching', startPrice: opts.startPrice ?? DEFAULT_START_PRICE, barMinutes: 1, start: opts.start ?? DEFAULT_START }, opts.warmupBars ?? 500);
  const stateFile = opts.stateFile;
  const persist = stateFile === undefined ? () => {} : () => saveGatewayState(stateFile, { version: 1, account, feed: feed.state(), book: book.snapshot() });
  persist();
  if (saved !== null) log(`resumed account ${account} from ${stateFile}: ${book.exchange.positions().reduce((a, p) => a + p.qty, 0)} contract(s), ${book.workingOrders(null).length} working order(s), market at bar ${feed.nextBarIndex}`);
  const sessions = new Set<Session>();
  const sockets = new Set<Socket>();
  const faults: GatewayContext['faults'] = { delayAcksMs: 0, pacingLeft: 0, dataDenied: null };
  let lastTraffic = 0;
  let lastFromClient = Number.NEGATIVE_INFINITY;
  let chain: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setInterval> | null = null;
  let stepping = false;
  let down = false;

  const marketNow = () => (feed.history(1)[0]?.time ?? feed.options.start) + 60_000;
  const ready = () => [...sessions].filter((s) => s.ready);
  const deliver = (msgs: readonly Outgoing[], delayMs = 0) => {
    const send = (list: readonly Outgoing[]) => {
      for (const m of list) for (const s of ready()) if (s.clientId === m.clientId) s.send(m.msg);
    };
    const now = msgs.filter((m) => !(m.delayMs! > 0));
    if (delayMs > 0) setTimeout(() => send(now), delayMs);
    else send(now);
    for (const m of msgs) if (m.delayMs! > 0) setTimeout(() => send([m]), delayMs + m.delayMs!);
  };
  const ctx: GatewayContext = { account, book, feed, timeZone, marketNow, deliver, faults, rangeHistory: opts.rangeHistory ?? new RangeHistory(() => Date.now()) };

  const host = {
    versions,
    connectionTime: () => connectionTime(marketNow(), timeZone),
    clientIdInUse: (id: number, by: Session) => [...sessions].some((s) => s !== by && s.open && s.clientId === id),
    started: (s: Session) => {
      log(`client ${s.clientId} connected`);
      s.send(out.nextValidId(book.nextValidId(s.clientId)));
      s.send(out.managedAccounts(account));
      for (const [code, text] of DATA_FARMS_OK) s.sendError(-1, code, text);
      if (opts.idleFarmNotices ?? true) for (const [code, text] of DATA_FARMS_IDLE) s.sendError(-1, code, text);
    },
    handle: (s: Session, req: Parameters<typeof handleRequest>[2]) => {
      handleRequest(ctx, s, req);
      if (CHANGES_ACCOUNT.has(req.type)) persist();
    },
    noteTraffic: (fromClient: boolean) => {
      lastTraffic = performance.now();
      if (fromClient) lastFromClient = lastTraffic;
    },
    log,
  };

  const server: Server = createServer((socket) => {
    if (down) return void socket.destroy();
    sockets.add(socket);
    const session = new Session(socket, host);
    sessions.add(session);
    socket.on('close', () => {
      sockets.delete(socket);
      sessions.delete(session);
      if (session.clientId >= 0) log(`client ${session.clientId} disconnected`);
    });
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: '127.0.0.1' }, () => {
        server.off('error', reject);
        resolve((server.address() as { port: number }).port);
      });
    });
  const port = await listen(opts.port ?? 0);

  /**
   * Waits until the client had its say: no traffic either way for quietMs. A client that has just
   * sent something may have more queued behind @stoqey/ib's pacing (4 messages per 100 ms by
   * default), so after a client message the quiet must last a whole pacing window. Bounded, so
   * a chatty client cannot stall the market.
   */
  async function settle(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    const started = performance.now();
    while (performance.now() - started < 2_000) {
      const now = performance.now();
      const need = lastFromClient >= started - CLIENT_PACING_MS ? Math.max(quietMs, CLIENT_PACING_MS) : quietMs;
      const idle = Math.min(now - lastTraffic, now - lastFromClient);
      if (idle >= need) return;
      await new Promise<void>((r) => setTimeout(r, Math.max(1, need - idle)));
    }
  }

  async function runBar(): Promise<Bar> {
    // Each phase is saved before its messages go out: what a client was told is in the file.
    const bar = feed.next();
    const opened = book.openPhase(bar);
    persist();
    deliver(opened);
    await settle();
    const ranged = book.rangePhase(bar);
    persist();
    deliver(ranged);
    await settle();
    book.closePhase(bar);
    persist();
    const parts = splitMinuteBar(bar);
    for (const s of ready()) {
      for (const reqId of s.bars) for (const p of parts) s.send(realTimeBar(reqId, { ...p, time: p.time / 1000 }));
      for (const reqId of s.ticks.keys()) sendQuote(s, reqId, bar.close);
    }
    await settle();
    // A partial fill's remainder is reported one phase later, as a second execution.
    const released = book.releaseDeferred();
    if (released.length > 0) persist();
    deliver(released);
    return bar;
  }

  const step = (): Promise<Bar> => {
    const run = chain.then(runBar);
    chain = run.catch(() => undefined);
    return run;
  };

  const startTimer = () => {
    const ms = opts.barIntervalMs ?? 0;
    if (ms <= 0 || timer !== null) return;
    timer = setInterval(() => {
      if (stepping) return;
      stepping = true;
      step()
        .catch((e: unknown) => log(`bar failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          stepping = false;
        });
    }, ms);
  };
  const stopTimer = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
  const dropAll = () => {
    for (const s of sessions) s.close();
    for (const s of sockets) s.destroy();
  };
  startTimer();

  return {
    port,
    account,
    book,
    step,
    sessionCount: () => ready().length,
    barSubscriptions: () => ready().reduce((n, s) => n + s.bars.size, 0),
    dropConnections: dropAll,
    goSilent: () => {
      for (const s of sessions) s.silent = true;
    },
    sendError: (code, message, reqId = -1) => {
      for (const s of ready()) s.sendError(reqId, code, message);
    },
    faults: book.faults,
    rejectNext: (reason) => {
      book.faults.rejectReason = reason;
    },
    partialFillNext: (qty) => {
      book.faults.partialQty = qty;
    },
    denyMarketData: (code) => {
      faults.dataDenied = code;
    },
    delayAcks: (ms) => {
      faults.delayAcksMs = ms;
    },
    duplicateIdNext: () => {
      book.faults.duplicateIdNext = true;
    },
    pacingViolations: (n) => {
      faults.pacingLeft = n;
    },
    sendRaw: (fields) => {
      for (const s of ready()) s.send(fields);
    },
    async restart({ downMs }) {
      down = true;
      stopTimer();
      dropAll();
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => setTimeout(r, downMs));
      down = false;
      await listen(port);
      startTimer();
      log(`gateway back after ${downMs} ms`);
    },
    async close() {
      stopTimer();
      down = true;
      dropAll();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
