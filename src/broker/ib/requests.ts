import { IB_ADAPTER, IbBrokerError } from './codes.ts';
import type { Timers } from './orders.ts';

interface Pending {
  readonly what: string;
  readonly items: unknown[];
  readonly resolve: (items: unknown[]) => void;
  readonly reject: (e: IbBrokerError) => void;
  readonly timer: unknown;
}

/** Stand-in ids for TWS answers that carry none (positions, open orders): one of each at a time. */
export const FIXED = { positions: -2, openOrders: -3, currentTime: -4 } as const;

/**
 * Requests that TWS answers with a stream of messages and an end marker (contract details,
 * history, executions, positions, open orders, account summary). Each is collected under its
 * request id until the end marker, fails on a TWS error naming its id, on a time-out, or when
 * the connection drops — never hangs.
 */
export class Requests {
  /** Far above any order id: TWS reports request and order errors in one id space. */
  private nextId = 900_000_000;
  private readonly pending = new Map<number, Pending>();
  private readonly chains = new Map<number, Promise<unknown>>();

  constructor(private readonly timers: Timers) {}

  /** Starts a request (`send` issues it with the id) and resolves with what arrived before its end marker. */
  run(what: string, timeoutMs: number, send: (reqId: number) => void, fixedId?: number): Promise<unknown[]> {
    const start = (): Promise<unknown[]> =>
      new Promise<unknown[]>((resolve, reject) => {
        const reqId = fixedId ?? this.nextId++;
        const timer = this.timers.setTimeout(() => {
          this.fail(reqId, new IbBrokerError(IB_ADAPTER.timeout, `IB did not answer the ${what} request within ${timeoutMs} ms`, true));
        }, timeoutMs);
        this.pending.set(reqId, { what, items: [], resolve, reject, timer });
        try {
          send(reqId);
        } catch (e) {
          this.fail(reqId, e instanceof IbBrokerError ? e : new IbBrokerError(IB_ADAPTER.handlerFailed, `sending the ${what} request failed: ${e instanceof Error ? e.message : String(e)}`, true));
        }
      });
    if (fixedId === undefined) return start();
    // Answers without a request id cannot be told apart: one such request at a time.
    const run = (this.chains.get(fixedId) ?? Promise.resolve()).then(start, start);
    this.chains.set(fixedId, run.catch(() => undefined));
    return run;
  }

  has(reqId: number): boolean {
    return this.pending.has(reqId);
  }

  add(reqId: number, item: unknown): void {
    this.pending.get(reqId)?.items.push(item);
  }

  end(reqId: number): void {
    const p = this.take(reqId);
    p?.resolve(p.items);
  }

  fail(reqId: number, error: IbBrokerError): void {
    this.take(reqId)?.reject(error);
  }

  failAll(error: IbBrokerError): void {
    for (const id of [...this.pending.keys()]) this.fail(id, error);
  }

  private take(reqId: number): Pending | undefined {
    const p = this.pending.get(reqId);
    if (p === undefined) return undefined;
    this.pending.delete(reqId);
    this.timers.clearTimeout(p.timer);
    return p;
  }
}
