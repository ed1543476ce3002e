import { describe, expect, test } from 'bun:test';
import { SimulatedClock } from 'xstate';
import { OrderDesk } from '../../src/actors/order-desk.ts';
import { reconcile } from '../../src/actors/reconcile.ts';
import { TradingCore } from '../../src/actors/trading-core.ts';
import { SimBroker } from '../../src/broker/sim/broker.ts';
import { memoryVenueStore } from '../../src/broker/sim/venue-state.ts';
import type { OrderRequest } from '../../src/domain/trading.ts';
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
  const core = new TradingCore(settings({ stopLossPerContract: 200, takeProfitPerContract: 300, ...opts }), scripted({}), {}, store.repos, log);
  const desk = new OrderDesk(broker, store.repos, clock, log);
  const run = async () => {
    const report = await reconcile({ broker, repos: store.repos, core, desk, log, now: () => clock.now() });
    await flush();
    return report;
  };
  return { clock, broker, core, desk, log, reconcile: run, repos: store.repos };
}

const buy = (ref: string, reason: OrderRequest['reason'] = 'entry'): OrderRequest => ({ ref, action: 'buy', type: 'market', qty: 1, reason });
const sell = (ref: string, reason: OrderRequest['reason'] = 'signal'): OrderRequest => ({ ref, action: 'sell', type: 'market', qty: 1, reason });
const refs = async (broker: SimBroker) => (await broker.openOrders()).map((o) => o.ref).sort();

describe('fills while away', () => {
  test('when our entry filled while away, then the engine opens that position at the fill price', async () => {
    const h = await away();
    h.desk.place(buy('E1'));
    await h.broker.step();
    const [fill] = await h.broker.executionsSince(0);

    const report = await h.reconcile();

    expect(report.adoptedFills).toBe(1);
    expect(h.core.engine.state.position).toMatchObject({ side: 'long', qty: 1, entryPrice: fill!.price, entryTime: fill!.time });
    expect(h.repos.orders.byRef('E1')).toMatchObject({ status: 'filled', avgFillPrice: fill!.price });
    expect(report.position).toMatchObject({ side: 'long', qty: 1, entryRef: 'E1' });
    expect(report.mismatch).toBeNull();
  });

  test('when our exit filled while away, then the trade is journalled once and the engine is flat', async () => {
    const h = await away();
    h.desk.place(buy('E1'));
    await h.broker.step();
    const first = await h.reconcile();
    h.desk.cancel(first.position!.stopRef!);
    h.desk.cancel(first.position!.targetRef!);
    h.desk.place(sell('X1'));
    await h.broker.step();

    const report = await h.reconcile();
    const again = await h.reconcile();

    const exit = (await h.broker.executionsSince(0)).find((f) => f.orderRef === 'X1')!;
    expect(report.adoptedFills).toBe(1);
    expect(again.adoptedFills).toBe(0);
    expect(h.core.engine.state.position).toBeNull();
    expect(h.repos.trades.recent({ limit: 10, offset: 0 })).toEqual([expect.objectContaining({ side: 'long', exitRef: 'X1', exitPrice: exit.price, exitReason: 'signal' })]);
    expect(h.core.engine.state.realisedCents).toBe(h.repos.trades.recent({ limit: 1, offset: 0 })[0]!.pnlCents);
    expect(report.position).toBeNull();
  });

  test('when the re-placed bracket filled while away, then the trade is closed with the stop or target as its reason', async () => {
    // One tick each way: the next bar touches one of them.
    const h = await away({ stopLossPerContract: 1.25, takeProfitPerContract: 1.25 });
    h.desk.place(buy('E1'));
    await h.broker.step();
    await h.reconcile();
    await h.broker.step();

    await h.reconcile();

    const [trade] = h.repos.trades.recent({ limit: 10, offset: 0 });
    expect(h.repos.trades.count()).toBe(1);
    expect(trade!.exitRef).toMatch(/^E1-R\d+-[ST]$/);
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
    expect(await refs(h.broker)).toEqual([]);
  });

  test('when the journal shows a working order the broker does not know, then it is marked cancelled', async () => {
    const h = await away();
    h.repos.orders.insert({ ref: 'L1', action: 'buy', type: 'limit', qty: 1, price: 4000, reason: 'entry' }, h.clock.now());

    const report = await h.reconcile();

    expect(report.lostOrders).toEqual(['L1']);
    expect(h.repos.orders.byRef('L1')).toMatchObject({ status: 'cancelled', lastError: expect.stringContaining('not known to the broker') });
    expect(h.repos.orders.open()).toEqual([]);
  });
});

describe('protection', () => {
  test('when our position has no bracket at the broker, then one is placed under fresh refs, and only once', async () => {
    const h = await away();
    h.desk.place(buy('E1'));
    await h.broker.step();
    const base = `E1-R${h.clock.now()}`;

    const first = await h.reconcile();
    h.clock.increment(60_000);
    const second = await h.reconcile();

    expect(first.replacedBracket).toBe(true);
    expect(first.position).toMatchObject({ stopRef: `${base}-S`, targetRef: `${base}-T` });
    expect(await refs(h.broker)).toEqual([`${base}-S`, `${base}-T`]);
    const pos = h.core.engine.state.position!;
    expect(h.repos.orders.byRef(`${base}-S`)).toMatchObject({ action: 'sell', type: 'stop', price: pos.stop, ocaGroup: base });
    expect(h.repos.orders.byRef(`${base}-T`)).toMatchObject({ action: 'sell', type: 'limit', price: pos.target, ocaGroup: base });
    expect(second.replacedBracket).toBe(false);
    expect(second.position).toMatchObject({ stopRef: `${base}-S`, targetRef: `${base}-T` });
    expect(await refs(h.broker)).toEqual([`${base}-S`, `${base}-T`]);
  });

  test('when flat, then nothing is placed', async () => {
    const h = await away();

    const report = await h.reconcile();

    expect(report).toEqual({ position: null, adoptedFills: 0, cancelledOrphans: [], lostOrders: [], replacedBracket: false, mismatch: null });
    expect(await refs(h.broker)).toEqual([]);
  });
});

describe('a position changed outside the bot', () => {
  test('when the broker holds a position the journal does not, then the mismatch is reported and entries are paused', async () => {
    const h = await away();
    await h.broker.placeOrder(buy('MANUAL-2', undefined));
    await h.broker.step();

    const report = await h.reconcile();

    expect(report.mismatch).toBe('broker position 1 contracts, journal 0');
    expect(h.core.engine.state.paused).toBe(true);
    expect(h.core.engine.state.position).toBeNull();
    expect(h.log.lines.some((l) => l.level === 'error' && l.event === 'reconcile.position_mismatch')).toBe(true);
  });

  test('when the journal holds a position the broker does not, then it is reported and not re-bracketed', async () => {
    const h = await away();
    // Our journal and engine say long 1 through E1; the account was closed by hand at the broker.
    h.repos.orders.insert(buy('E1'), h.clock.now(), { status: 'filled' });
    h.core.entryFilled('long', 1, 5000, h.clock.now());

    const report = await h.reconcile();

    expect(report.mismatch).toBe('broker position 0 contracts, journal 1');
    expect(report.replacedBracket).toBe(false);
    expect(h.core.engine.state.paused).toBe(true);
    expect(await refs(h.broker)).toEqual([]);
  });
});
