import { describe, expect, test } from 'bun:test';
import { SimBroker, SimBrokerError, type Scheduler, type SimBrokerOptions } from '../../../src/broker/sim/broker.ts';
import { stopFillPrice } from '../../../src/broker/sim/fill-model.ts';
import { memoryVenueStore } from '../../../src/broker/sim/venue-state.ts';
import type { Bar } from '../../../src/domain/bar.ts';
import { MarketSimulator } from '../../../src/market/simulator.ts';
import type { BrokerEvents } from '../../../src/broker/port.ts';
import { limit, market, stop } from './builders.ts';

const WARMUP = 50;
const SEED = 42;

function options(over: Partial<SimBrokerOptions> = {}): SimBrokerOptions {
  return { seed: SEED, regime: 'volatile', barIntervalMs: 0, slippageTicks: 1, commissionPerContract: 0.62, warmup: WARMUP, ...over };
}

async function connected(over: Partial<SimBrokerOptions> = {}): Promise<SimBroker> {
  const broker = new SimBroker(options(over));
  await broker.connect();
  await broker.subscribeBars(1);
  return broker;
}

/** Bars [from, from + n) of the deterministic market the broker trades. */
function marketBars(from: number, n: number, seed = SEED): Bar[] {
  const sim = new MarketSimulator({ seed, regime: 'volatile' });
  for (let i = 0; i < from; i++) sim.next();
  return Array.from({ length: n }, () => sim.next());
}

/** Every event the broker emits, as short strings, in order. */
function record(broker: SimBroker): string[] {
  const log: string[] = [];
  const say = <K extends keyof BrokerEvents>(k: K, f: (p: BrokerEvents[K]) => string) => broker.on(k, (p) => log.push(f(p)));
  say('fill', (f) => `fill ${f.orderRef} ${f.price} @${f.time}`);
  say('orderStatus', (u) => `status ${u.ref} ${u.status}`);
  say('bar', (b) => `bar @${b.time}`);
  say('connection', (c) => `connection ${c.type}`);
  say('error', (e) => `error ${e.code} ${e.message}`);
  return log;
}

const immediate = () => new Promise<void>((r) => setImmediate(r));

describe('SimBroker: one bar = open phase, settle, range phase, settle, close, bar event', () => {
  test('step() emits the entry fill, its status and then the bar, with fill time = bar time', async () => {
    const broker = await connected();
    const log = record(broker);
    await broker.placeOrder(market('entry', 'buy'));
    const bar = await broker.step();
    expect(bar).toEqual(marketBars(WARMUP, 1)[0]!);
    expect(log).toEqual(['status entry submitted', `fill entry ${bar.open + 0.25} @${bar.time}`, 'status entry filled', `bar @${bar.time}`]);
  });

  test('a bracket placed asynchronously in the fill handler is live in the same bar', async () => {
    const next = marketBars(WARMUP, 1)[0]!;
    expect(next.low).toBeLessThan(next.open); // the stop below the open is a real trigger, not a gap fill
    const broker = await connected();
    const log = record(broker);
    broker.on('fill', (f) => {
      if (f.orderRef !== 'entry') return;
      // Like an actor: the reaction lands a macrotask later, not inside the handler.
      void (async () => {
        await immediate();
        await broker.placeOrder(stop('stop', 'sell', next.low, { ocaGroup: 'oca', parentRef: 'entry' }));
        await broker.placeOrder(limit('target', 'sell', next.open + 100, { ocaGroup: 'oca', parentRef: 'entry' }));
      })();
    });
    await broker.placeOrder(market('entry', 'buy'));
    await broker.step();
    const stopPrice = stopFillPrice('sell', next.low, next.open, next.high, next.low, 1);
    expect(log.slice(-4)).toEqual([`fill stop ${stopPrice} @${next.time}`, 'status stop filled', 'status target cancelled', `bar @${next.time}`]);
    expect(await broker.positions()).toEqual([]);
  });

  test('without settling between phases the same reaction misses the bar (why settle() exists)', async () => {
    const next = marketBars(WARMUP, 1)[0]!;
    const broker = await connected({ settleTurns: 0 });
    const log = record(broker);
    broker.on('fill', (f) => {
      if (f.orderRef === 'entry') void immediate().then(() => broker.placeOrder(stop('stop', 'sell', next.low)));
    });
    await broker.placeOrder(market('entry', 'buy'));
    await broker.step();
    expect(log.filter((l) => l.startsWith('fill stop'))).toEqual([]);
    await immediate();
    expect((await broker.openOrders()).map((o) => o.ref)).toEqual(['stop']); // it landed, one bar late
  });
});

describe('SimBroker market data', () => {
  test('the feed is deterministic by seed', async () => {
    const run = async (seed: number) => {
      const b = await connected({ seed });
      const out: Bar[] = [];
      for (let i = 0; i < 20; i++) out.push(await b.step());
      return out;
    };
    const a = await run(SEED);
    expect(await run(SEED)).toEqual(a);
    expect(a).toEqual(marketBars(WARMUP, 20));
    expect((await run(SEED + 1))[0]).not.toEqual(a[0]);
  });

  test('history() returns the bars before the first live bar, then the live ones as they close', async () => {
    const broker = await connected();
    expect(await broker.history(1, 20)).toEqual(marketBars(WARMUP - 20, 20));
    expect(await broker.history(1, 1000)).toHaveLength(WARMUP);
    for (let i = 0; i < 3; i++) await broker.step();
    expect(await broker.history(1, 5)).toEqual(marketBars(WARMUP - 2, 5));
    await expect(broker.history(5, 10)).rejects.toThrow(/produces 1-minute bars, got a request for 5/);
  });

  test('subscribeBars starts the timer; a tick while a bar is running is skipped; disconnect stops it', async () => {
    const timers: Array<{ fn: () => void; ms: number }> = [];
    const cleared: unknown[] = [];
    const scheduler: Scheduler = { setInterval: (fn, ms) => timers.push({ fn, ms }) && 'timer-1', clearInterval: (h) => cleared.push(h) };
    const broker = await connected({ barIntervalMs: 250, scheduler });
    expect(timers.map((t) => t.ms)).toEqual([250]);
    const first = new Promise<Bar>((resolve) => broker.on('bar', resolve));
    timers[0]!.fn();
    timers[0]!.fn();
    expect(await first).toEqual(marketBars(WARMUP, 1)[0]!);
    await broker.step(); // queued behind the timer's bar
    expect(broker.barIndex).toBe(WARMUP + 2);
    await broker.disconnect();
    expect(cleared).toEqual(['timer-1']);
  });
});

describe('SimBroker restart from the saved venue state (kill -9)', () => {
  test('a new broker on the saved state continues with the next bar and keeps position and orders', async () => {
    const store = memoryVenueStore();
    const a = await connected({ venueState: store });
    await a.placeOrder(market('entry', 'buy'));
    await a.step();
    await a.placeOrder(stop('stop', 'sell', 4000, { ocaGroup: 'b' }));
    await a.placeOrder(limit('target', 'sell', 6000, { ocaGroup: 'b' }));
    for (let i = 0; i < 9; i++) await a.step();
    expect(store.saved()?.feed?.nextBarIndex).toBe(WARMUP + 10);

    const b = new SimBroker(options({ venueState: store }));
    await b.connect();
    expect(b.barIndex).toBe(WARMUP + 10);
    expect(await b.positions()).toEqual(await a.positions());
    expect((await b.openOrders()).map((o) => [o.ref, o.status, o.price])).toEqual([['stop', 'submitted', 4000], ['target', 'submitted', 6000]]);
    expect(await b.executionsSince(0)).toEqual(await a.executionsSince(0));
    expect(await b.accountPnl()).toEqual(await a.accountPnl());
    expect(await b.history(1, 30)).toEqual(await a.history(1, 30));
    // `a` carries on as the uninterrupted run.
    expect(await b.step()).toEqual(await a.step());
  });

  test('a saved state from another simulated market is refused with the fix', async () => {
    const store = memoryVenueStore();
    await new SimBroker(options({ venueState: store, seed: 1 })).step();
    expect(() => new SimBroker(options({ venueState: store, seed: 2 }))).toThrow(/seed=1; the config now says seed=2\)\. Set the sim market back/);
  });
});

describe('SimBroker fault injection', () => {
  test('rejectNext rejects the next new order with the reason; the one after goes through', async () => {
    const broker = await connected();
    const log = record(broker);
    broker.rejectNext('insufficient margin');
    await broker.placeOrder(market('r1', 'buy'));
    await broker.placeOrder(market('r2', 'buy'));
    expect(log).toEqual(['status r1 rejected', 'status r2 submitted']);
  });

  test('injectError emits a broker error', async () => {
    const broker = await connected();
    const errors: unknown[] = [];
    broker.on('error', (e) => errors.push(e));
    broker.injectError(1100, 'Connectivity between IB and TWS has been lost', { retryable: true });
    expect(errors).toEqual([{ code: 1100, message: 'Connectivity between IB and TWS has been lost', retryable: true }]);
  });

  test('while disconnected calls fail, events are lost, but the market and resting orders go on', async () => {
    const broker = await connected();
    const log = record(broker);
    await broker.placeOrder(market('entry', 'buy'));
    broker.injectDisconnect('socket closed');
    expect(log.at(-1)).toBe('connection disconnected');
    const err = await broker.placeOrder(market('x', 'buy')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SimBrokerError);
    expect(err).toMatchObject({ code: 504, retryable: true });
    const bar = await broker.step();
    expect(log.at(-1)).toBe('connection disconnected');
    await broker.connect();
    expect((await broker.executionsSince(0)).map((f) => [f.orderRef, f.time])).toEqual([['entry', bar.time]]);
    await broker.step();
    expect(log.filter((l) => l.startsWith('bar'))).toEqual([]); // the subscription died with the socket
    await broker.subscribeBars(1);
    await broker.step();
    expect(log.filter((l) => l.startsWith('bar'))).toHaveLength(1);
  });

  test('a throwing handler becomes an error event and the other handlers still run', async () => {
    const broker = await connected();
    const log = record(broker);
    broker.on('bar', () => {
      throw new Error('boom');
    });
    const seen: number[] = [];
    broker.on('bar', (b) => seen.push(b.time));
    const bar = await broker.step();
    expect(seen).toEqual([bar.time]);
    expect(log).toContain("error 9001 a 'bar' handler threw: boom");
  });
});
