import { describe, expect, test } from 'bun:test';
import { SimulatedClock } from 'xstate';
import { OrderDesk } from '../../src/actors/order-desk.ts';
import { TradingCore } from '../../src/actors/trading-core.ts';
import type { Bracket, Broker } from '../../src/broker/port.ts';
import type { Fill, OrderRequest } from '../../src/domain/trading.ts';
import { entryBracket } from '../../src/engine/orders.ts';
import type { StoredOrder } from '../../src/store/orders.ts';
import { bar, scripted, settings, T0 } from '../../src/testing/builders.ts';
import { flush, memoryLogger, useTempStore } from './helpers.ts';

const store = useTempStore();

/** A broker that records what it was asked, what the journal held at that moment, and can refuse. */
function recordingBroker() {
  const placed: Array<{ req: OrderRequest; journalled: StoredOrder | null }> = [];
  const brackets: Array<{ bracket: Bracket; journalled: Array<StoredOrder | null> }> = [];
  const modified: Array<{ ref: string; price: number; journalled: number | undefined }> = [];
  const cancelled: string[] = [];
  let refuse: Error | null = null;
  let throwNow: Error | null = null;
  const unused = () => Promise.reject(new Error('not used by the order desk'));
  const answer = () => {
    // Not `async`: an adapter may throw before it returns a promise (e.g. a closed socket).
    if (throwNow) throw throwNow;
    return refuse ? Promise.reject(refuse) : Promise.resolve();
  };
  const broker: Broker = {
    name: 'recording',
    tradedContract: () => null,
    connect: unused,
    disconnect: unused,
    subscribeBars: unused,
    history: unused,
    placeOrder: (req) => {
      placed.push({ req, journalled: store.repos.orders.byRef(req.ref) });
      return answer();
    },
    placeBracket: (bracket) => {
      brackets.push({ bracket, journalled: [bracket.entry, bracket.stop, bracket.target].map((o) => store.repos.orders.byRef(o.ref)) });
      return answer();
    },
    modifyOrder: (ref, price) => {
      modified.push({ ref, price, journalled: store.repos.orders.byRef(ref)?.price });
      return answer();
    },
    cancelOrder: (ref) => {
      if (throwNow) throw throwNow;
      cancelled.push(ref);
      return Promise.resolve();
    },
    cancelAll: async () => {},
    openOrders: unused,
    positions: unused,
    executionsSince: unused,
    accountPnl: unused,
    on: () => () => {},
  };
  return { broker, placed, brackets, modified, cancelled, refuseWith: (e: Error) => void (refuse = e), throwWith: (e: Error) => void (throwNow = e) };
}

function desk() {
  const clock = new SimulatedClock();
  clock.set(T0);
  const venue = recordingBroker();
  const log = memoryLogger();
  const core = new TradingCore(settings(), scripted({}), {}, store.repos, log);
  // The engine has its session from the first bar, as in the running service.
  core.onBar(bar({ time: T0 - 60_000, close: 5000 }));
  const d = new OrderDesk(venue.broker, store.repos, core, clock, log);
  const refused: Array<{ ref: string; message: string }> = [];
  const storeFailures: unknown[] = [];
  d.onRefused = (ref, message) => void refused.push({ ref, message });
  d.onStoreFailure = (e) => void storeFailures.push(e);
  return { desk: d, core, venue, log, refused, storeFailures, clock };
}

const entry: OrderRequest = { ref: 'E1', action: 'buy', type: 'market', qty: 2, reason: 'entry' };
const bracket = () => entryBracket('long', 2, 'E1', 5000, settings());
const fill = (execId: string, qty: number, price: number, orderRef = 'E1', action: Fill['action'] = 'buy'): Fill => ({ orderRef, execId, action, qty, price, time: T0, commissionCents: 62 * qty });
/** What bun:sqlite throws when the disk is full. */
const diskFull = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

describe('placing one order', () => {
  test('when an order is placed, then it is journalled as pending before the broker sees it', async () => {
    const d = desk();

    const sent = d.desk.place(entry);
    await flush();

    expect(sent).toBe(true);
    expect(d.venue.placed).toHaveLength(1);
    expect(d.venue.placed[0]!.req).toEqual(entry);
    expect(d.venue.placed[0]!.journalled).toMatchObject({ ref: 'E1', status: 'pending', qty: 2, reason: 'entry', createdAt: T0 });
  });

  test('when a ref the journal already has is placed again, then the broker is not asked twice', async () => {
    const d = desk();
    d.desk.place(entry);

    const again = d.desk.place({ ...entry, qty: 5 });
    await flush();

    expect(again).toBe(false);
    expect(d.venue.placed).toHaveLength(1);
    expect(store.repos.orders.byRef('E1')?.qty).toBe(2);
    expect(d.log.lines.filter((l) => l.event === 'order.duplicate_ref')).toHaveLength(1);
  });

  test('when the broker refuses an order, then it is journalled rejected with the reason and onRefused is told', async () => {
    const d = desk();
    d.venue.refuseWith(new Error('placeOrder: not connected'));

    d.desk.place(entry);
    await flush();

    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'rejected', lastError: 'placeOrder: not connected' });
    expect(d.refused).toEqual([{ ref: 'E1', message: 'placeOrder: not connected' }]);
    expect(d.log.lines.some((l) => l.level === 'error' && l.event === 'order.refused')).toBe(true);
  });

  test('when the broker throws as it is called, then the order is still journalled rejected and onRefused is told', async () => {
    const d = desk();
    d.venue.throwWith(new Error('socket closed'));

    expect(() => d.desk.place(entry)).not.toThrow();
    await flush();

    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'rejected', lastError: 'socket closed' });
    expect(d.refused).toEqual([{ ref: 'E1', message: 'socket closed' }]);
  });

  test('when a refused ref is placed again, then it is still not re-sent (the journal keeps the first)', async () => {
    const d = desk();
    d.venue.refuseWith(new Error('invalid'));
    d.desk.place(entry);
    await flush();

    d.desk.place(entry);
    await flush();

    expect(d.venue.placed).toHaveLength(1);
  });

  test('when the journal cannot record an order, then it is not sent, onRefused is told and the store failure reported', async () => {
    const d = desk();
    store.repos.orders.insert = () => {
      throw diskFull();
    };

    const sent = d.desk.place(entry);
    await flush();

    expect(sent).toBe(false);
    expect(d.venue.placed).toEqual([]);
    expect(d.refused).toEqual([{ ref: 'E1', message: expect.stringContaining('not sent: the journal could not record it') }]);
    expect(d.storeFailures).toHaveLength(1);
  });
});

describe('placing a bracket', () => {
  test('when a bracket is placed, then entry, stop and target are all journalled pending before the broker sees them', async () => {
    const d = desk();
    const b = bracket();

    const sent = d.desk.placeBracket(b);
    await flush();

    expect(sent).toBe(true);
    expect(d.venue.brackets).toHaveLength(1);
    expect(d.venue.brackets[0]!.bracket).toEqual(b);
    expect(d.venue.brackets[0]!.journalled).toEqual([
      expect.objectContaining({ ref: 'E1', status: 'pending', reason: 'entry' }),
      expect.objectContaining({ ref: 'E1-S', status: 'pending', type: 'stop', ocaGroup: 'E1', parentRef: 'E1' }),
      expect.objectContaining({ ref: 'E1-T', status: 'pending', type: 'limit', ocaGroup: 'E1', parentRef: 'E1' }),
    ]);
  });

  test('when the journal cannot record one leg, then no leg is journalled and nothing is sent', async () => {
    const d = desk();
    const insert = store.repos.orders.insert.bind(store.repos.orders);
    store.repos.orders.insert = (req, at) => {
      if (req.ref === 'E1-T') throw diskFull();
      return insert(req, at);
    };

    const sent = d.desk.placeBracket(bracket());
    await flush();

    expect(sent).toBe(false);
    expect(d.venue.brackets).toEqual([]);
    expect(['E1', 'E1-S', 'E1-T'].map((r) => store.repos.orders.byRef(r))).toEqual([null, null, null]);
    expect(d.refused).toEqual([{ ref: 'E1', message: expect.stringContaining('the journal could not record it') }]);
  });

  test('when the bracket’s entry ref is already journalled, then the bracket is not sent again', async () => {
    const d = desk();
    d.desk.placeBracket(bracket());

    const again = d.desk.placeBracket(bracket());
    await flush();

    expect(again).toBe(false);
    expect(d.venue.brackets).toHaveLength(1);
  });

  test('when the broker refuses the bracket, then its entry is journalled rejected and onRefused is told', async () => {
    const d = desk();
    d.venue.refuseWith(new Error('placeBracket: not connected'));

    d.desk.placeBracket(bracket());
    await flush();

    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'rejected', lastError: 'placeBracket: not connected' });
    expect(d.refused).toEqual([{ ref: 'E1', message: 'placeBracket: not connected' }]);
  });

  test('when the broker refuses the bracket, then no leg stays working in the journal', async () => {
    const d = desk();
    d.venue.refuseWith(new Error('placeBracket: not connected'));

    d.desk.placeBracket(bracket());
    await flush();

    expect(store.repos.orders.open()).toEqual([]);
  });

  test('when a working stop is moved, then the new price is journalled before the broker is asked', async () => {
    const d = desk();
    d.desk.placeBracket(bracket());

    d.desk.modify('E1-S', 4961.25);
    await flush();

    expect(d.venue.modified).toEqual([{ ref: 'E1-S', price: 4961.25, journalled: 4961.25 }]);
  });

  test('when the journal cannot record a stop’s new price, then the broker is not asked to move it', async () => {
    const d = desk();
    d.desk.placeBracket(bracket());
    store.repos.orders.setPrice = () => {
      throw diskFull();
    };

    d.desk.modify('E1-S', 4961.25);
    await flush();

    expect(d.venue.modified).toEqual([]);
    expect(store.repos.orders.byRef('E1-S')?.price).toBe(4960);
    expect(d.storeFailures).toHaveLength(1);
  });
});

describe('fills and the engine position', () => {
  test('when an entry fills, then the fill is journalled once, the order shows filled and the engine opens the position, together', () => {
    const d = desk();
    d.desk.placeBracket(bracket());

    const first = d.desk.recordFill(fill('x1', 2, 5000.25));
    const repeat = d.desk.recordFill(fill('x1', 2, 5000.25));

    expect(first?.applied).toMatchObject({ fill: { orderRef: 'E1', qty: 2, price: 5000.25 }, effect: { kind: 'opened', position: { side: 'long', qty: 2, entryPrice: 5000.25 } } });
    expect(repeat).toBeNull();
    expect(store.repos.fills.forOrder('E1')).toHaveLength(1);
    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'filled', filledQty: 2, appliedQty: 2, avgFillPrice: 5000.25 });
    store.reopen();
    const restored = new TradingCore(settings(), scripted({}), {}, store.repos, memoryLogger());
    expect(restored.engine.state.position).toMatchObject({ side: 'long', qty: 2, entryPrice: 5000.25 });
  });

  test('when an order fills in parts, then nothing is applied until it is complete, and then all of it at the quantity-weighted average', () => {
    const d = desk();
    d.desk.placeBracket(bracket());

    const part = d.desk.recordFill(fill('x1', 1, 5000));
    expect(part).toEqual({ applied: null });
    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'partially_filled', filledQty: 1, avgFillPrice: 5000 });
    expect(d.core.engine.state.position).toBeNull();
    const rest = d.desk.recordFill(fill('x2', 1, 5000.5));

    expect(rest?.applied).toMatchObject({ fill: { qty: 2, price: 5000.25 }, effect: { kind: 'opened' } });
    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'filled', filledQty: 2, avgFillPrice: 5000.25 });
    expect(d.core.engine.state.position).toMatchObject({ qty: 2, entryPrice: 5000.25 });
  });

  test('when the journal write of a fill throws, then neither the fill nor the position is kept, and a redelivery applies it', () => {
    const d = desk();
    d.desk.placeBracket(bracket());
    const setApplied = store.repos.orders.setApplied.bind(store.repos.orders);
    store.repos.orders.setApplied = () => {
      throw diskFull();
    };

    const failed = d.desk.recordFill(fill('x1', 2, 5000.25));

    expect(failed).toBeNull();
    expect(store.repos.fills.forOrder('E1')).toEqual([]);
    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'pending', filledQty: 0, appliedQty: 0 });
    expect(d.core.engine.state.position).toBeNull();
    expect(d.storeFailures).toHaveLength(1);
    store.repos.orders.setApplied = setApplied;
    expect(d.desk.recordFill(fill('x1', 2, 5000.25))?.applied?.effect.kind).toBe('opened');
  });

  test('when the exit fills, then the trade is journalled and the engine is flat, in the same transaction', () => {
    const d = desk();
    d.desk.placeBracket(bracket());
    d.desk.recordFill(fill('x1', 2, 5000));
    d.desk.place({ ref: 'X2', action: 'sell', type: 'market', qty: 2, reason: 'signal', ocaGroup: 'E1' });

    const closed = d.desk.recordFill(fill('x2', 2, 5001, 'X2', 'sell'));

    expect(closed?.applied?.effect).toMatchObject({ kind: 'closed', rest: null, trade: { qty: 2, exitReason: 'signal', exitPrice: 5001 } });
    expect(d.core.engine.state.position).toBeNull();
    expect(store.repos.trades.recent({ limit: 10, offset: 0 })).toEqual([expect.objectContaining({ exitRef: 'X2', exitReason: 'signal', qty: 2 })]);
  });

  test('when the exit fills, then the journalled trade names the entry order it closed', () => {
    const d = desk();
    d.desk.placeBracket(bracket());
    d.desk.recordFill(fill('x1', 2, 5000));

    d.desk.recordFill(fill('x2', 2, 4960, 'E1-S', 'sell'));

    expect(store.repos.trades.recent({ limit: 1, offset: 0 })[0]).toMatchObject({ entryRef: 'E1', exitRef: 'E1-S' });
  });

  test('when a fill arrives for an order the journal never had, then it is journalled and nothing is applied', () => {
    const d = desk();

    const foreign = d.desk.recordFill(fill('m1', 1, 5000, 'MANUAL-1'));

    expect(foreign).toEqual({ applied: null });
    expect(store.repos.fills.forOrder('MANUAL-1')).toHaveLength(1);
    expect(d.core.engine.state.position).toBeNull();
    expect(d.log.lines.find((l) => l.event === 'fill')?.fields).toMatchObject({ ref: 'MANUAL-1', foreign: true });
  });

  test('when a fill for an unknown order arrives before the engine has a session, then it is still journalled', () => {
    const venue = recordingBroker();
    const core = new TradingCore(settings(), scripted({}), {}, store.repos, memoryLogger());
    const d = new OrderDesk(venue.broker, store.repos, core, new SimulatedClock(), memoryLogger());

    const foreign = d.recordFill(fill('m1', 1, 5000, 'MANUAL-1'));

    expect(foreign).toEqual({ applied: null });
    expect(store.repos.fills.forOrder('MANUAL-1')).toHaveLength(1);
  });

  test('when a repeated execution report arrives after the order filled, then nothing changes', () => {
    const d = desk();
    d.desk.placeBracket(bracket());
    d.desk.recordFill(fill('x1', 2, 5000));
    const before = store.repos.orders.byRef('E1');
    const position = structuredClone(d.core.engine.state.position);
    d.clock.increment(60_000);

    expect(d.desk.recordFill(fill('x1', 2, 5000))).toBeNull();

    expect(store.repos.orders.byRef('E1')).toEqual(before);
    expect(d.core.engine.state.position).toEqual(position);
  });
});

describe('statuses and cancels', () => {
  test('when the broker reports a status, then the journal takes it with the broker id and message', () => {
    const d = desk();
    d.desk.place(entry);

    d.desk.recordStatus({ ref: 'E1', status: 'rejected', filledQty: 0, avgFillPrice: null, brokerId: 7, message: 'margin', time: T0 });

    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'rejected', brokerId: 7, lastError: 'margin' });
    expect(d.log.lines.map((l) => l.event)).toContain('order.rejected');
  });

  test('when the broker reports Filled before the execution, then the journal keeps no fill and the engine stays flat', () => {
    const d = desk();
    d.desk.place(entry);

    const applied = d.desk.recordStatus({ ref: 'E1', status: 'filled', filledQty: 2, avgFillPrice: 5000, brokerId: 7, time: T0 });

    expect(applied).toBeNull();
    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'pending', filledQty: 0, brokerId: 7 });
    expect(d.core.engine.state.position).toBeNull();
  });

  test('when an order ends part-filled, then its filled part is applied to the engine, once', () => {
    const d = desk();
    d.desk.place(entry);
    d.desk.recordFill(fill('x1', 1, 5000));
    const cancelled = { ref: 'E1', status: 'cancelled' as const, filledQty: 1, avgFillPrice: 5000, time: T0 };

    const applied = d.desk.recordStatus(cancelled);
    const again = d.desk.recordStatus(cancelled);

    expect(applied).toMatchObject({ fill: { orderRef: 'E1', qty: 1, price: 5000 }, effect: { kind: 'opened', position: { qty: 1 } } });
    expect(again).toBeNull();
    expect(store.repos.orders.byRef('E1')).toMatchObject({ status: 'cancelled', filledQty: 1, appliedQty: 1 });
  });

  test('when the execution of an already cancelled entry arrives late, then the engine holds that contract too', () => {
    const d = desk();
    d.desk.place(entry);
    d.desk.recordFill(fill('x1', 1, 5000));
    d.desk.recordStatus({ ref: 'E1', status: 'cancelled', filledQty: 1, avgFillPrice: 5000, time: T0 });

    const late = d.desk.recordFill(fill('x2', 1, 5002));

    expect(late?.applied?.effect.kind).not.toBe('unmatched');
    expect(d.core.engine.state.position).toMatchObject({ qty: 2 });
  });

  test('when the execution of an already cancelled exit arrives late, then it closes that much more of the position', () => {
    const d = desk();
    d.desk.placeBracket(bracket());
    d.desk.recordFill(fill('x1', 2, 5000));
    d.desk.place({ ref: 'X2', action: 'sell', type: 'market', qty: 2, reason: 'signal', ocaGroup: 'E1' });
    d.desk.recordFill(fill('x2', 1, 5001, 'X2', 'sell'));
    d.desk.recordStatus({ ref: 'X2', status: 'cancelled', filledQty: 1, avgFillPrice: 5001, time: T0 });

    const late = d.desk.recordFill(fill('x3', 1, 5002, 'X2', 'sell'));

    expect(late?.applied?.effect).toMatchObject({ kind: 'closed', rest: null, trade: { qty: 1, exitPrice: 5002 } });
    expect(d.core.engine.state.position).toBeNull();
    expect(store.repos.trades.recent({ limit: 10, offset: 0 }).map((t) => t.exitRef).sort()).toEqual(['X2', 'X2/1']);
  });

  test('when an order is cancelled, then the broker is asked to cancel that ref', async () => {
    const d = desk();

    d.desk.cancel('E1-S');
    await flush();

    expect(d.venue.cancelled).toEqual(['E1-S']);
  });

  test('when the broker throws as a cancel is sent, then it is logged and the caller carries on', async () => {
    const d = desk();
    d.venue.throwWith(new Error('socket closed'));

    expect(() => d.desk.cancel('E1-S')).not.toThrow();
    await flush();

    expect(d.log.lines).toContainEqual({ level: 'warn', event: 'order.cancel_failed', fields: { ref: 'E1-S', error: 'Error: socket closed' } });
  });
});
