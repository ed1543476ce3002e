import type { Broker } from '../broker/port.ts';
import type { Logger } from '../domain/log.ts';
import { exitAction, type Order } from '../domain/trading.ts';
import { bracketOf, exitReasonOf, protectiveStop, refRole } from '../engine/orders.ts';
import type { Repositories } from '../store/repositories.ts';
import type { OrderDesk } from './order-desk.ts';
import type { OpenRefs } from './position.machine.ts';
import type { TradingCore } from './trading-core.ts';

export interface ReconcileReport {
  readonly position: OpenRefs | null;
  readonly adoptedFills: number;
  readonly cancelledOrphans: string[];
  readonly lostOrders: string[];
  /** Ref of a protective stop placed because the position had none. */
  readonly repairedStop: string | null;
  /** Invariants that did not hold (README "Crash safety"); repaired ones included. */
  readonly violations: string[];
  /** The broker's position differs from ours and could not be explained: entries are halted. */
  readonly mismatch: string | null;
}

export interface ReconcileDeps {
  readonly broker: Broker;
  readonly repos: Repositories;
  readonly core: TradingCore;
  readonly desk: OrderDesk;
  readonly log: Logger;
  readonly now: () => number;
}

export interface ReconcileOptions {
  /** At boot an entry still working was decided before the restart: it is withdrawn. */
  readonly boot: boolean;
  /** Act on what is found (adopt, cancel, place a stop, halt); false only reports. */
  readonly repair: boolean;
  /** A journalled order younger than this may not have reached the broker yet (running checks). */
  readonly graceMs?: number;
}

const WORKING = new Set(['pending', 'submitted', 'partially_filled']);

/**
 * Makes the journal and the engine agree with the broker, the truth for what happened while we
 * were away, and checks the invariants (README "Crash safety"):
 *   - the broker's position equals the engine's (missed executions are adopted first);
 *   - an open position has a working protective stop (a missing one is placed again, in the
 *     position's OCA group, so a working exit still cancels it when it fills);
 *   - no working order exists that the journal does not own (cancelled), no protective order
 *     works while flat (cancelled), no order the journal thinks working is unknown to the broker;
 *   - Σ journalled trade P&L equals the venue's realised P&L (where the venue reports it whole).
 * Runs at boot, after every reconnect, when an actor asks, and on a timer while trading.
 */
export async function reconcile(deps: ReconcileDeps, opts: ReconcileOptions): Promise<ReconcileReport> {
  const { broker, repos, core, desk, log } = deps;
  const violations: string[] = [];
  let adoptedFills = 0;
  if (opts.repair) {
    const since = repos.fills.lastTime() ?? 0;
    for (const fill of await broker.executionsSince(since)) if (desk.recordFill(fill) !== null) adoptedFills++;
    if (adoptedFills > 0) violations.push(`${adoptedFills} execution(s) missing from the journal (adopted)`);
  }

  const brokerOrders = await broker.openOrders();
  const journalOf = (o: Order) => repos.orders.byRef(o.ref);
  const cancelledOrphans: string[] = [];
  const cancel = (ref: string, why: string) => {
    violations.push(`${ref}: ${why}`);
    if (!opts.repair) return;
    cancelledOrphans.push(ref);
    desk.cancel(ref);
  };
  for (const o of brokerOrders) if (journalOf(o) === null) cancel(o.ref, 'working at the broker, unknown to the journal (cancelled)');
  if (opts.boot) for (const o of brokerOrders) if (journalOf(o)?.reason === 'entry') cancel(o.ref, 'entry decided before the restart (withdrawn)');

  const atBroker = new Set(brokerOrders.map((o) => o.ref));
  const grace = opts.graceMs ?? 0;
  const lostOrders = repos.orders.open().filter((o) => !atBroker.has(o.ref) && deps.now() - o.createdAt >= grace).map((o) => o.ref);
  if (opts.repair) for (const ref of lostOrders) repos.orders.updateStatus(ref, { status: 'cancelled', at: deps.now(), lastError: 'not known to the broker at reconcile' });

  const pos = core.engine.state.position;
  const brokerQty = (await broker.positions()).reduce((a, p) => a + p.qty, 0);
  const ourQty = pos === null ? 0 : pos.side === 'long' ? pos.qty : -pos.qty;
  const mismatch = brokerQty === ourQty ? null : `broker position ${brokerQty} contracts, journal ${ourQty}`;
  if (mismatch) {
    violations.push(mismatch);
    log.error('reconcile.position_mismatch', { broker: brokerQty, journal: ourQty });
    if (opts.repair) core.halt('reconcile', deps.now(), mismatch);
  }

  const live = brokerOrders.filter((o) => WORKING.has(o.status) && !cancelledOrphans.includes(o.ref));
  let position: OpenRefs | null = null;
  let repairedStop: string | null = null;
  if (pos !== null) {
    const closing = exitAction(pos.side);
    const stop = live.find((o) => o.type === 'stop' && o.action === closing && o.status !== 'pending');
    const target = live.find((o) => o.type === 'limit' && o.action === closing);
    const exit = live.find((o) => o.type === 'market' && o.action === closing);
    const group = (stop && bracketOf(stop.ref)) ?? stop?.ocaGroup ?? exit?.ocaGroup ?? lastEntryRef(repos);
    let stopRef = stop?.ref ?? null;
    if (stop === undefined && !mismatch) {
      violations.push(`open ${pos.side} ${pos.qty} has no working stop at the broker`);
      if (opts.repair && group !== null) {
        const req = protectiveStop(pos.side, pos.qty, pos.stop, group, deps.now());
        if (desk.place(req)) {
          stopRef = req.ref;
          repairedStop = req.ref;
        }
      }
    }
    position = {
      side: pos.side,
      qty: pos.qty,
      entryRef: group,
      stopRef,
      targetRef: target?.ref ?? null,
      ...(exit ? { exitRef: exit.ref, exitReason: exitReasonOf(exit.ref, journalOf(exit)?.reason) } : {}),
    };
  } else if (brokerQty === 0) {
    // Protective orders with nothing to protect (their exit filled first): one could fire later against another position.
    for (const o of live) {
      const role = refRole(o.ref);
      if ((role === 'stop' || role === 'target') && o.status !== 'pending') cancel(o.ref, 'protective order working while flat (cancelled)');
    }
  }

  if (broker.name === 'sim') {
    const venue = (await broker.accountPnl()).realisedCents;
    const journal = repos.trades.totalPnlCents();
    if (venue !== journal) violations.push(`venue realised P&L ${venue / 100} ≠ journal ${journal / 100}`);
  }

  const report = { position, adoptedFills, cancelledOrphans, lostOrders, repairedStop, violations, mismatch };
  if (violations.length > 0 || opts.boot) log[violations.length > 0 ? 'warn' : 'info']('reconcile.done', { position: position?.side ?? 'flat', adopted: adoptedFills, orphans: cancelledOrphans.length, lost: lostOrders.length, repairedStop, violations: violations.join('; ') || undefined });
  return report;
}

/** The entry of the open position: its ref is the OCA group of whatever closes the position. */
function lastEntryRef(repos: Repositories): string | null {
  return repos.orders.lastAppliedEntry()?.ref ?? null;
}
