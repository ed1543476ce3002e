import { describe, expect, test } from 'bun:test';
import { SimulatedClock } from 'xstate';
import { OrderDesk } from '../../src/actors/order-desk.ts';
import { reconcile, type ReconcileOptions } from '../../src/actors/reconcile.ts';
import { TradingCore } from '../../src/actors/trading-core.ts';
import { SimBroker } from '../../src/broker/sim/broker.ts';
import { memoryVenueStore } from '../../src/broker/sim/venue-state.ts';
import type { OrderRequest, Side } from '../../src/domain/trading.ts';
import { closingOrder, entryBracket } from '../../src/engine/orders.ts';
import { scripted, settings } from '../../src/testing/builders.ts';
import { flush, memoryLogger, useTempStore } from './helpers.ts';

const store = useTempStore();

/**
 * The real paper exchange and a real journal with nobody listening to the broker's events: what
 * happens at the venue stays unknown to us until `reconcile()` runs, as after a crash or an outage.
 */
async function away(opts: { stopLossPerContract?: number; takeProfitPerContract?: number } = {}) {
  const clock = new SimulatedClock();
  clock.set(Date.UTC(2026, 0, 5, 15));
  const broker = new SimBroker({ seed: 5, regime: 'sideways', barIntervalMs: 0, slippageTicks: 1, commissionPerContract: 0.62, venueState: memoryVenueStore(), warmup: 20 });
  await broker.connect();
  const log = memoryLogger();
  const s = settings({ stopLossPerContract: 200, takeProfitPerContract: 300, ...opts });
  const core = new TradingCore(s, scripted({}), {}, store.repos, log);
  const desk = new OrderDesk(broker, store.repos, core, clock, log);
  const run = async (o: Partial<ReconcileOptions> = {}) => {
    const report = await reconcile({ broker, repos: store.repos, core, desk, log, now: () => clock.now() }, { boot: false, repair: true, ...o });
    await flush();
    return report;
  };
  const last = async () => (await broker.history(1, 1)).at(-1)!.close;
  return {
    clock,
    broker,
    core,
    desk,
    log,
    reconcile: run,
    repos: store.repos,
    /** An entry with its stop and target, as the position actor places it, measured from the last close. */
    bracket: async (side: Side = 'long', ref = 'E1') => {
      desk.placeBracket(entryBracket(side, 1, ref, await last(), s));
      await flush();
    },
  };
}

const buy = (ref: string, reason: OrderRequest['reason'] = 'entry'): OrderRequest => ({ ref, action: 'buy', type: 'market', qty: 1, reason });
const refs = async (broker: SimBroker) => (await broker.openOrders()).map((o) => o.ref).sort();

describe('fills while away', () => {
  test('when our entry filled while away, then the engine opens that position at the fill price, with its bracket working', async () => {
    const h = await away();
    await h.bracket();
    await h.broker.step();
    const [fill] = await h.broker.executionsSince(0);

    const report = await h.reconcile();

    expect(report.adoptedFills).toBe(1);
    expect(h.core.engine.state.position).toMatchObject({ side: 'long', qty: 1, entryPrice: fill!.price, entryTime: fill!.time });
    expect(h.repos.orders.byRef('E1')).toMatchObject({ status: 'filled', avgFillPrice: fill!.price, appliedQty: 1 });
    expect(report.position).toEqual({ side: 'long', qty: 1, entryRef: 'E1', stopRef: 'E1-S', targetRef: 'E1-T' });
    expect(report.repairedStop).toBeNull();
    expect(report.violations).toEqual(['1 execution(s) missing from the journal (adopted)']);
    expect(report.mismatch).toBeNull();
  });

  test('when our exit filled while away, then the trade is journalled once, the engine is flat and the venue’s OCA took the bracket', async () => {
    const h = await away();
    await h.bracket();
    await h.broker.step();
    await h.reconcile();
    h.desk.place(closingOrder('long', 1, 'X1', 'signal', 'E1'));
    await h.broker.step();

    const report = await h.reconcile();
    const again = await h.reconcile();

    const exit = (await h.broker.executionsSince(0)).find((f) => f.orderRef === 'X1')!;
    expect(report.adoptedFills).toBe(1);
    expect(again.adoptedFills).toBe(0);
    expect(again.violations).toEqual([]);
    expect(h.core.engine.state.position).toBeNull();
    expect(h.repos.trades.recent({ limit: 10, offset: 0 })).toEqual([expect.objectContaining({ side: 'long', exitRef: 'X1', exitPrice: exit.price, exitReason: 'signal' })]);
    expect(h.core.engine.state.realisedCents).toBe(h.repos.trades.recent({ limit: 1, offset: 0 })[0]!.pnlCents);
    expect(report.position).toBeNull();
    expect(await refs(h.broker)).toEqual([]);
  });

  test('when a bracket leg filled while away, then the trade is closed with the stop or target as its reason', async () => {
    // One tick each way: the next bars touch one of them.
    const h = await away({ stopLossPerContract: 1.25, takeProfitPerContract: 1.25 });
    await h.bracket();
    await h.broker.step();
    await h.broker.step();

    await h.reconcile();

    const [trade] = h.repos.trades.recent({ limit: 10, offset: 0 });
    expect(h.repos.trades.count()).toBe(1);
    expect(trade!.exitRef).toMatch(/^E1-[ST]$/);
    expect(trade!.exitReason).toBe(trade!.exitRef.endsWith('-S') ? 'stop' : 'target');
    expect(h.core.engine.state.position).toBeNull();
  });
});

describe('orders', () => {
  test('when the broker works an order our journal never had, then it is cancelled as an orphan', async () => {
    const h = await away();
    await h.broker.placeOrder({ ref: 'MANUAL-1', action: 'buy', type: 'limit', qty: 1, price: 4000 });

    const report = await h.reconcile();

    expect(report.cancelledOrphans).toEqual(['MANUAL-1']);
    expect(report.violations).toEqual(['MANUAL-1: working at the broker, unknown to the journal (cancelled)']);
    expect(await refs(h.broker)).toEqual([]);
  });

  test('when only checking (repair off), then an orphan is reported and left alone', async () => {
    const h = await away();
    await h.broker.placeOrder({ ref: 'MANUAL-1', action: 'buy', type: 'limit', qty: 1, price: 4000 });

    const report = await h.reconcile({ repair: false });

    expect(report.cancelledOrphans).toEqual([]);
    expect(report.violations).toHaveLength(1);
    expect(await refs(h.broker)).toEqual(['MANUAL-1']);
  });

  test('when the journal shows a working order the broker does not know, then it is marked cancelled', async () => {
    const h = await away();
    h.repos.orders.insert({ ref: 'L1', action: 'buy', type: 'limit', qty: 1, price: 4000, reason: 'entry' }, h.clock.now());

    const report = await h.reconcile();

    expect(report.lostOrders).toEqual(['L1']);
    expect(h.repos.orders.byRef('L1')).toMatchObject({ status: 'cancelled', lastError: expect.stringContaining('not known to the broker') });
    expect(h.repos.orders.open()).toEqual([]);
  });

  test('when a journalled order is younger than the grace, then it is not taken for lost: it may be on its way to the broker', async () => {
    const h = await away();
    h.repos.orders.insert({ ref: 'L1', action: 'buy', type: 'limit', qty: 1, price: 4000, reason: 'entry' }, h.clock.now());
    h.clock.increment(5_000);

    const report = await h.reconcile({ graceMs: 10_000 });

    expect(report.lostOrders).toEqual([]);
    expect(h.repos.orders.byRef('L1')?.status).toBe('pending');
  });

  test('when booting with an entry still working from before the restart, then it is withdrawn; a running check leaves it', async () => {
    const h = await away();
    h.desk.place({ ref: 'E1', action: 'buy', type: 'limit', qty: 1, price: 4000, reason: 'entry' });
    await flush();

    const running = await h.reconcile({ boot: false });
    const boot = await h.reconcile({ boot: true });

    expect(running.cancelledOrphans).toEqual([]);
    expect(boot.cancelledOrphans).toEqual(['E1']);
    expect(boot.violations).toEqual(['E1: entry decided before the restart (withdrawn)']);
    expect(await refs(h.broker)).toEqual([]);
  });
});

describe('protection', () => {
  test('when our position has no stop at the broker, then one is placed again in the position’s OCA group, and only once', async () => {
    const h = await away();
    h.desk.place(buy('E1'));
    await h.broker.step();
    const ref = `E1-R${h.clock.now()}-S`;

    const first = await h.reconcile();
    h.clock.increment(60_000);
    const second = await h.reconcile();

    const pos = h.core.engine.state.position!;
    expect(first.repairedStop).toBe(ref);
    expect(first.violations).toContain('open long 1 has no working stop at the broker');
    expect(first.position).toMatchObject({ entryRef: 'E1', stopRef: ref });
    expect(h.repos.orders.byRef(ref)).toMatchObject({ action: 'sell', type: 'stop', qty: 1, price: pos.stop, ocaGroup: 'E1' });
    expect(await refs(h.broker)).toEqual([ref]);
    expect(second.repairedStop).toBeNull();
    expect(second.position).toMatchObject({ stopRef: ref });
    expect(await refs(h.broker)).toEqual([ref]);
  });

  test('when the position’s exit fills after a repaired stop, then the venue cancels the stop with it (same OCA group)', async () => {
    const h = await away();
    h.desk.place(buy('E1'));
    await h.broker.step();
    await h.reconcile();

    h.desk.place(closingOrder('long', 1, 'X1', 'signal', 'E1'));
    await h.broker.step();
    const report = await h.reconcile();

    expect(report.position).toBeNull();
    expect(await refs(h.broker)).toEqual([]);
    expect(h.core.engine.state.position).toBeNull();
  });

  test('when a protective order works while we are flat, then it is cancelled: it could fire against a later position', async () => {
    const h = await away();
    h.desk.place({ ref: 'E1-S', action: 'sell', type: 'stop', qty: 1, price: 4000, ocaGroup: 'E1', reason: 'stop' });
    await flush();

    const report = await h.reconcile();

    expect(report.cancelledOrphans).toEqual(['E1-S']);
    expect(report.violations).toEqual(['E1-S: protective order working while flat (cancelled)']);
    expect(await refs(h.broker)).toEqual([]);
  });

  test('when flat with nothing working, then the report is clean and nothing is placed', async () => {
    const h = await away();

    const report = await h.reconcile();

    expect(report).toEqual({ position: null, adoptedFills: 0, cancelledOrphans: [], lostOrders: [], repairedStop: null, violations: [], mismatch: null });
    expect(await refs(h.broker)).toEqual([]);
  });
});

describe('a position changed outside the bot', () => {
  test('when the broker holds a position the journal does not, then the mismatch is reported and entries are halted for it', async () => {
    const h = await away();
    await h.broker.placeOrder(buy('MANUAL-2', undefined));
    await h.broker.step();

    const report = await h.reconcile();

    expect(report.mismatch).toBe('broker position 1 contracts, journal 0');
    expect(h.core.engine.state.halt).toMatchObject({ reason: 'reconcile', detail: 'broker position 1 contracts, journal 0' });
    expect(h.core.engine.state.paused).toBe(false);
    expect(h.core.engine.state.position).toBeNull();
    expect(h.log.lines.some((l) => l.level === 'error' && l.event === 'reconcile.position_mismatch')).toBe(true);
  });

  test('when only checking (repair off), then a mismatch is reported without halting', async () => {
    const h = await away();
    await h.broker.placeOrder(buy('MANUAL-2', undefined));
    await h.broker.step();

    const report = await h.reconcile({ repair: false });

    expect(report.mismatch).toBe('broker position 1 contracts, journal 0');
    expect(h.core.engine.state.halt).toBeNull();
  });

  test('when the journal holds a position the broker does not, then it is reported, halted, and no stop is placed', async () => {
    const h = await away();
    // Our journal and engine say long 1 through E1; the account was closed by hand at the broker.
    h.repos.orders.insert(buy('E1'), h.clock.now(), { status: 'filled' });
    h.core.transact(() => h.core.applyFill({ orderRef: 'E1', tradeRef: 'E1', reason: 'entry', action: 'buy', qty: 1, price: 5000, time: h.clock.now() }));

    const report = await h.reconcile();

    expect(report.mismatch).toBe('broker position 0 contracts, journal 1');
    expect(report.repairedStop).toBeNull();
    expect(h.core.engine.state.halt?.reason).toBe('reconcile');
    expect(await refs(h.broker)).toEqual([]);
  });
});
