import { EventName, IBApi, SecType, type Contract } from '@stoqey/ib';
import type { Bar } from '../../domain/bar.ts';
import type { DatedContract } from '../../data/contracts.ts';
import type { HistoryAnswer, HistoryRequest, HistorySource } from '../../data/download.ts';
import { parseIbTime } from './mapper.ts';
import * as S from './schemas.ts';

type Emitter = { on(event: string, fn: (...args: unknown[]) => void): unknown; removeAllListeners(): unknown };

const PACING = /pacing violation/i;
/** Codes that end one request without ending the download: no data, no such contract (expired past IB's 2 years). */
const NO_DATA = new Set([162, 200]);

/** The dated future as IB wants it for history: expired months need includeExpired. */
export function historyContract(c: DatedContract): Contract {
  return { symbol: c.symbol, secType: SecType.FUT, exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: c.contractMonth, localSymbol: c.localSymbol, multiplier: 5, includeExpired: true };
}

/** `yyyymmdd-hh:mm:ss`: the UTC form of endDateTime. */
export function ibUtc(ms: number): string {
  const d = new Date(ms).toISOString();
  return `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}-${d.slice(11, 19)}`;
}

/**
 * A history-only session with TWS / IB Gateway for `data download`: its own client id, no
 * orders, no subscriptions. Each fetch is one reqHistoricalData of 1-minute TRADES bars.
 */
export class IbHistoryClient implements HistorySource {
  private readonly ib: IBApi;
  private nextId = 1;
  private readonly pending = new Map<number, { bars: Bar[]; done: (a: HistoryAnswer) => void; fail: (e: Error) => void }>();
  private ready: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly ep: { host: string; port: number; clientId: number; connectTimeoutMs: number; requestTimeoutMs?: number }) {
    this.timeoutMs = ep.requestTimeoutMs ?? 120_000;
    this.ib = new IBApi({ host: ep.host, port: ep.port });
  }

  /** Connects on the first request, so a download with nothing left to fetch needs no gateway. */
  private connect(): Promise<void> {
    const ep = this.ep;
    const e = this.ib as unknown as Emitter;
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no API handshake from ${ep.host}:${ep.port} within ${ep.connectTimeoutMs} ms: is TWS / IB Gateway running with the API enabled (or bun run gateway:sim)?`)), ep.connectTimeoutMs);
      e.on(EventName.nextValidId, () => {
        clearTimeout(timer);
        resolve();
      });
      e.on(EventName.disconnected, () => {
        clearTimeout(timer);
        if (this.closed) return;
        reject(new Error(`${ep.host}:${ep.port} closed the connection (is TWS / IB Gateway running with the API enabled on that port?)`));
        for (const p of this.pending.values()) p.fail(new Error('TWS / IB Gateway closed the connection during a history request; run the download again to resume'));
        this.pending.clear();
      });
    });
    e.on(EventName.error, (...args: unknown[]) => {
      const r = S.parseArgs(S.ErrorArgs, args, 'error');
      if (!r.ok) return;
      const [err, code, reqId] = r.value;
      const p = reqId === undefined ? undefined : this.pending.get(reqId);
      if (!p || reqId === undefined) return;
      const text = err instanceof Error ? err.message : String(err);
      this.pending.delete(reqId);
      if (code === 162 && PACING.test(text)) p.done({ kind: 'pacing', message: text });
      else if (NO_DATA.has(code)) p.done({ kind: 'noData', message: `${text} (${code})` });
      else p.fail(new Error(`IB refused a history request: ${text} (${code})`));
    });
    e.on(EventName.historicalData, (...args: unknown[]) => {
      const r = S.parseArgs(S.HistoricalDataArgs, args, 'historical bar');
      if (!r.ok) return;
      const [reqId, date, open, high, low, close, volume] = r.value;
      const p = this.pending.get(reqId);
      if (!p) return;
      if (date.startsWith('finished')) {
        this.pending.delete(reqId);
        return p.done({ kind: 'bars', bars: p.bars });
      }
      const time = parseIbTime(date);
      if (time !== null && open > 0 && high >= low && low > 0 && close > 0) p.bars.push({ time, open, high, low, close, volume: volume !== undefined && volume > 0 ? volume : 0 });
    });
    this.ib.connect(ep.clientId);
    return ready;
  }

  private readonly timeoutMs: number;

  async fetch(req: HistoryRequest): Promise<HistoryAnswer> {
    this.ready ??= this.connect();
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.ib.cancelHistoricalData(id);
        reject(new Error(`no answer to the history request for ${req.contract.localSymbol} ending ${ibUtc(req.endMs)} within ${this.timeoutMs / 1000} s; run the download again to resume`));
      }, this.timeoutMs);
      const settle = <T>(fn: (x: T) => void) => (x: T) => {
        clearTimeout(timer);
        fn(x);
      };
      this.pending.set(id, { bars: [], done: settle(resolve), fail: settle(reject) });
      this.ib.reqHistoricalData(id, historyContract(req.contract), ibUtc(req.endMs), `${Math.ceil(req.durationMs / 1000)} S`, '1 min' as never, 'TRADES' as never, 0, 2, false);
    });
  }

  close(): void {
    this.closed = true;
    if (this.ready === null) return;
    try {
      this.ib.disconnect();
    } catch {
      // Already closed.
    }
  }
}
