import type { Broker } from '../broker/port.ts';
import type { Logger } from '../domain/log.ts';
import { closingOrder, refRole } from '../engine/orders.ts';
import type { OrderDesk } from './order-desk.ts';

export interface FlattenDeps {
  readonly broker: Broker;
  readonly desk: OrderDesk;
  readonly log: Logger;
  /** Waits `ms` (a timer the caller owns, so tests can drive it). */
  readonly sleep: (ms: number) => Promise<void>;
  /** How long to wait for the broker to show flat. Default 30 s. */
  readonly timeoutMs?: number;
}

/**
 * The emergency flatten, through the broker port alone, so it works whichever actor has failed:
 *   1. withdraw working entries (they could open a position while we close one);
 *   2. close what the broker holds, at market, journalled first, in the OCA group of the working
 *      stop — the stop stays until the close fills (if the journal cannot record the close,
 *      nothing is cancelled and the stop keeps protecting the position);
 *   3. once the broker shows flat, cancel every order left.
 * Resolves with a summary; rejects when the broker still shows a position at the time-out.
 */
export async function flattenThroughBroker(d: FlattenDeps, ref: string): Promise<string> {
  const orders = await d.broker.openOrders();
  for (const o of orders) if (refRole(o.ref) === 'entry' || o.reason === 'entry') d.desk.cancel(o.ref);
  const qty = await brokerQty(d.broker);
  if (qty !== 0) {
    const side = qty > 0 ? 'long' : 'short';
    const stop = orders.find((o) => o.type === 'stop' && o.action === (qty > 0 ? 'sell' : 'buy'));
    if (!d.desk.place(closingOrder(side, Math.abs(qty), ref, 'flatten', stop?.ocaGroup ?? null))) {
      throw new Error(`the closing order ${ref} could not be journalled or was refused; nothing was cancelled, the stop stays at the venue`);
    }
    d.log.warn('flatten.closing', { ref, side, qty: Math.abs(qty) });
    await untilFlat(d, ref);
  }
  const left = (await d.broker.openOrders()).length;
  if (left > 0) await d.desk.cancelAll();
  return qty === 0 ? `flat: no position at the broker; ${left} order(s) cancelled` : `flat: closed ${Math.abs(qty)} contract(s); ${left} order(s) cancelled`;
}

const brokerQty = async (broker: Broker) => (await broker.positions()).reduce((a, p) => a + p.qty, 0);

/** Resolves once the broker shows flat: checked now and after every fill; rejects at the time-out. */
function untilFlat(d: FlattenDeps, ref: string): Promise<void> {
  const deadline = d.timeoutMs ?? 30_000;
  return new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      off();
      if (error) reject(error);
      else resolve();
    };
    const check = () =>
      brokerQty(d.broker).then(
        (q) => q === 0 && finish(),
        (e: unknown) => finish(e instanceof Error ? e : new Error(String(e))),
      );
    const off = d.broker.on('fill', () => void check());
    void d.sleep(deadline).then(() => finish(new Error(`the broker still shows a position ${Math.round(deadline / 1000)} s after the closing order ${ref}`)));
    void check();
  });
}
