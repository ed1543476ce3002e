import type { Broker } from '../broker/port.ts';
import type { Logger } from '../domain/log.ts';
import { exitAction, type ExitReason, type Fill } from '../domain/trading.ts';
import type { Repositories } from '../store/repositories.ts';
import type { OrderDesk } from './order-desk.ts';
import type { OpenRefs } from './position.machine.ts';
import type { TradingCore } from './trading-core.ts';

export interface ReconcileReport {
  readonly position: OpenRefs | null;
  readonly adoptedFills: number;
  readonly cancelledOrphans: string[];
  readonly lostOrders: string[];
  readonly replacedBracket: boolean;
  /** The broker's position differs from ours: reported, and the bot stops opening positions. */
  readonly mismatch: string | null;
}

const reasonOf = (ref: string, stored: ExitReason | 'entry' | null | undefined): ExitReason =>
  ref.endsWith('-S') ? 'stop' : ref.endsWith('-T') ? 'target' : stored && stored !== 'entry' ? stored : 'signal';

/**
 * Boot and reconnect: make our journal and the engine agree with the broker, which is the truth
 * for what happened while we were away. Fills we missed are adopted (entries open the engine's
 * position, exits close it and are journalled once); orders the broker has that we never placed
 * are cancelled; orders we think are working but the broker does not know are marked cancelled;
 * a protective bracket missing at the broker is placed again. A position that still disagrees
 * (changed outside the bot) is reported and entries stay paused until an operator resumes.
 */
export async function reconcile(deps: { broker: Broker; repos: Repositories; core: TradingCore; desk: OrderDesk; log: Logger; now: () => number }): Promise<ReconcileReport> {
  const { broker, repos, core, desk, log } = deps;
  const since = repos.fills.lastTime() ?? 0;
  let adoptedFills = 0;
  for (const fill of await broker.executionsSince(since)) {
    if (!desk.recordFill(fill)) continue;
    adoptedFills++;
    adoptFill(fill);
  }

  const brokerOrders = await broker.openOrders();
  const known = new Set(repos.orders.open().map((o) => o.ref));
  const atBroker = new Set(brokerOrders.map((o) => o.ref));
  const cancelledOrphans: string[] = [];
  for (const o of brokerOrders) {
    if (repos.orders.byRef(o.ref) === null) {
      cancelledOrphans.push(o.ref);
      desk.cancel(o.ref);
    }
  }
  // An entry still working was decided before the restart and is no longer tracked by anyone:
  // withdraw it (reduce-only until we agree with the broker); the engine decides afresh.
  for (const o of brokerOrders) {
    if (repos.orders.byRef(o.ref)?.reason === 'entry') {
      cancelledOrphans.push(o.ref);
      desk.cancel(o.ref);
    }
  }
  const lostOrders = [...known].filter((ref) => !atBroker.has(ref));
  for (const ref of lostOrders) repos.orders.updateStatus(ref, { status: 'cancelled', at: deps.now(), lastError: 'not known to the broker at reconcile' });

  const engineSide = core.engine.state.position;
  const brokerQty = (await broker.positions()).reduce((a, p) => a + p.qty, 0);
  const ourQty = engineSide === null ? 0 : engineSide.side === 'long' ? engineSide.qty : -engineSide.qty;
  const mismatch = brokerQty === ourQty ? null : `broker position ${brokerQty} contracts, journal ${ourQty}`;
  if (mismatch) {
    log.error('reconcile.position_mismatch', { broker: brokerQty, journal: ourQty });
    core.setPaused(true, deps.now());
  }

  let position: OpenRefs | null = null;
  let replacedBracket = false;
  if (engineSide !== null) {
    const entry = repos.orders.recent(200).find((o) => o.reason === 'entry' && o.status === 'filled') ?? null;
    const entryRef = entry?.ref ?? null;
    // The bracket may carry the entry's refs or those of an earlier re-bracketing (`<entry>-R<time>-S`).
    const find = (suffix: string) => brokerOrders.find((o) => entryRef !== null && o.ref.startsWith(entryRef) && o.ref.endsWith(suffix))?.ref ?? null;
    let stopRef = find('-S');
    let targetRef = find('-T');
    if (entryRef !== null && stopRef === null && targetRef === null && !mismatch) {
      // Unprotected position (bracket lost or never placed): protect it again under fresh refs.
      const base = `${entryRef}-R${deps.now()}`;
      stopRef = `${base}-S`;
      targetRef = `${base}-T`;
      placeBracket(stopRef, targetRef, base);
      replacedBracket = true;
    }
    const exit = brokerOrders.find((o) => o.type === 'market' && repos.orders.byRef(o.ref)?.reason !== 'entry' && o.action === exitAction(engineSide.side));
    position = { side: engineSide.side, qty: engineSide.qty, entryRef, stopRef, targetRef, ...(exit ? { exitRef: exit.ref, exitReason: exit.reason && exit.reason !== 'entry' ? exit.reason : 'signal' } : {}) };
  }
  const report = { position, adoptedFills, cancelledOrphans, lostOrders, replacedBracket, mismatch };
  log.info('reconcile.done', { position: position?.side ?? 'flat', adopted: adoptedFills, orphans: cancelledOrphans.length, lost: lostOrders.length, rebracketed: replacedBracket, mismatch });
  return report;

  function adoptFill(fill: Fill): void {
    const order = repos.orders.byRef(fill.orderRef);
    const pos = core.engine.state.position;
    if (order?.reason === 'entry' && pos === null) {
      core.entryFilled(fill.action === 'buy' ? 'long' : 'short', fill.qty, fill.price, fill.time);
    } else if (pos !== null && fill.action === exitAction(pos.side)) {
      core.exitFilled(fill.price, fill.time, reasonOf(fill.orderRef, order?.reason), { entryRef: null, exitRef: fill.orderRef });
    } else {
      log.warn('reconcile.unmatched_fill', { ref: fill.orderRef, action: fill.action, qty: fill.qty, price: fill.price });
    }
  }

  function placeBracket(stopRef: string, targetRef: string, oca: string): void {
    const p = core.engine.state.position!;
    const action = exitAction(p.side);
    desk.place({ ref: stopRef, action, type: 'stop', qty: p.qty, price: p.stop, ocaGroup: oca, reason: 'stop' });
    desk.place({ ref: targetRef, action, type: 'limit', qty: p.qty, price: p.target, ocaGroup: oca, reason: 'target' });
  }
}
