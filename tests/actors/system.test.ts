import { describe, expect, test } from 'bun:test';
import { SimulatedClock, waitFor } from 'xstate';
import { SimBroker } from '../../src/broker/sim/broker.ts';
import { memoryVenueStore } from '../../src/broker/sim/venue-state.ts';
import { startService } from '../../src/service/service.ts';
import { ACTIVE_MARKET, activeService, alertTexts, barsUntil, breakStrategyUntilEscalated, web, type Harness } from '../app/helpers.ts';
import { flush, memoryLogger, type LogLine } from './helpers.ts';

const events = (lines: readonly LogLine[]) => lines.map((l) => l.event);
const stateOf = (h: Harness, id: Parameters<Harness['system']['get']>[0]) => h.app.actors().find((a) => a.id === id)!;

describe('a round trip through the supervised actors', () => {
  test('when the strategy signals, then the entry, its bracket, the exit and the trade appear in the log, the journal and the alerts', async () => {
    const { h, log } = await activeService();
    try {
      await barsUntil(h, () => h.repos.trades.count() > 0);

      const [trade] = h.repos.trades.recent({ limit: 1, offset: 0 });
      const entryRef = trade!.entryRef!;
      // The first entry that filled opened the first trade.
      expect(entryRef).toBe(h.repos.orders.recent(1000).filter((o) => o.reason === 'entry' && o.status === 'filled').at(-1)!.ref);
      const mine = log.lines.filter((l) => typeof l.fields?.ref === 'string' && (l.fields.ref as string).startsWith(entryRef));
      // Entry, stop and target go out as one bracket; once the entry fills, the legs move to the levels measured from the fill.
      expect(mine.map((l) => `${l.event} ${l.fields!.ref}`).slice(0, 4)).toEqual([`order.bracket ${entryRef}`, `fill ${entryRef}`, `order.modify ${entryRef}-S`, `order.modify ${entryRef}-T`]);
      expect(h.repos.orders.byRef(`${entryRef}-S`)).toMatchObject({ type: 'stop', ocaGroup: entryRef, parentRef: entryRef });
      // Nothing closing the position cancels its stop: the venue does, when the closing order fills (OCA).
      expect(mine.filter((l) => l.event === 'order.cancel')).toEqual([]);
      expect(events(log.lines)).toContain('signal');
      expect(events(log.lines)).toContain('trade.closed');
      expect(h.repos.orders.byRef(entryRef)).toMatchObject({ status: 'filled', reason: 'entry' });
      expect(h.repos.orders.byRef(trade!.exitRef)).toMatchObject({ status: 'filled' });
      const alerts = alertTexts(h);
      expect(alerts.some((t) => t.startsWith(`Entered ${trade!.side} 1 MES @ ${trade!.entryPrice}`))).toBe(true);
      expect(alerts.some((t) => t.startsWith(`Closed ${trade!.side} 1 MES ${trade!.entryPrice} → ${trade!.exitPrice}`))).toBe(true);
      const moves = h.app.transitions('position').map((t) => t.to);
      expect(moves.slice(0, 4)).toEqual(['reconciling', 'flat', 'entering.awaitingAck', 'entering.working']);
      expect(moves).toContain(`open.${trade!.side}`);
    } finally {
      await h.close();
    }
  });
});

describe('supervision', () => {
  test('when an actor throws, then the supervisor restarts it and the system keeps trading', async () => {
    const { h, log } = await activeService();
    try {
      await h.bars(5);
      const real = h.core.onBar.bind(h.core);
      let armed = true;
      h.core.onBar = (bar) => {
        if (!armed) return real(bar);
        armed = false;
        throw new Error('indicator state corrupt');
      };

      await h.bars(1);
      await waitFor(h.system.get('strategy')!, (s) => s.matches('ready'), { timeout: 5_000 });
      const ordersBefore = h.repos.orders.recent(1000).length;
      await h.bars(150);

      expect(log.lines).toContainEqual({ level: 'error', event: 'actor.restarted', fields: { actor: 'strategy', error: 'indicator state corrupt', restarts: 1 } });
      expect(stateOf(h, 'strategy')).toMatchObject({ state: 'ready', failed: false, restarts: 1, lastError: 'indicator state corrupt' });
      expect(h.repos.orders.recent(1000).length).toBeGreaterThan(ordersBefore);
      expect(events(log.lines)).not.toContain('supervisor.failed');
      expect(h.system.root.getSnapshot().status).toBe('active');
    } finally {
      await h.close();
    }
  });

  test('when an actor keeps failing, then the supervisor escalates: breaker halted, engine halted, flat, operator alerted', async () => {
    const { h, log } = await activeService();
    try {
      // Fails from the very first bar, before the engine has a session.
      const failures = await breakStrategyUntilEscalated(h);

      expect(failures).toBe(6);
      expect(stateOf(h, 'strategy')).toMatchObject({ state: 'stopped', failed: true, restarts: 5 });
      expect(h.app.breakers()).toMatchObject({ state: 'halted', reason: 'supervisor', detail: 'strategy kept failing: strategy bug' });
      expect(h.core.engine.state.halt).toMatchObject({ reason: 'supervisor', detail: 'strategy kept failing: strategy bug' });
      expect(h.system.get('position')!.getSnapshot().value).toBe('flat');
      expect(alertTexts(h)).toContain('Supervisor: strategy failed repeatedly (strategy bug); trading halted, flattening');
      expect(events(log.lines)).not.toContain('supervisor.failed');
      expect(h.system.root.getSnapshot().status).toBe('active');
    } finally {
      await h.close();
    }
  });

  test('when recording transitions fails (disk I/O), then the actors keep running and trading goes on', async () => {
    const { h, log } = await activeService();
    try {
      const ordersBefore = h.repos.orders.recent(1000).length;
      h.repos.transitions.append = () => {
        throw new Error('disk I/O error');
      };

      await h.bars(150);

      expect(h.system.root.getSnapshot().status).toBe('active');
      expect(h.app.actors().every((a) => !a.failed && a.restarts === 0)).toBe(true);
      expect(h.repos.orders.recent(1000).length).toBeGreaterThan(ordersBefore);
      expect(log.lines.filter((l) => l.event === 'transitions.not_recorded')).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});

describe('connection loss', () => {
  test('when the socket drops, then the connection backs off, reconnects on the clock, reconciles and trading goes on', async () => {
    const { h, log } = await activeService();
    try {
      await barsUntil(h, () => h.system.get('position')!.getSnapshot().matches('flat') && h.repos.orders.recent(1).length > 0);

      h.sim.injectDisconnect('socket reset');
      await flush();
      expect(h.system.get('connection')!.getSnapshot().value).toBe('backoff');
      await h.bars(3);
      h.clock.increment(60_000);
      await flush();
      const ordersBefore = h.repos.orders.recent(1000).length;
      await h.bars(150);

      const path = h.app.transitions('connection').map((t) => t.to);
      expect(path.slice(path.lastIndexOf('backoff'))).toEqual(['backoff', 'connecting', 'syncing', 'ready.watching']);
      expect(events(log.lines).filter((e) => e === 'reconcile.done')).toHaveLength(2);
      expect(alertTexts(h)).toEqual(expect.arrayContaining(['Connection lost: socket reset', 'Connection restored (connect)']));
      expect(h.repos.orders.recent(1000).length).toBeGreaterThan(ordersBefore);
    } finally {
      await h.close();
    }
  });

  test('when the bracket fills while the socket is down, then after the reconcile the bot trades again', async () => {
    const { h } = await activeService();
    try {
      await barsUntil(h, () => h.core.engine.state.position !== null);
      h.sim.injectDisconnect('socket reset');
      await flush();
      await h.bars(30);
      h.clock.increment(60_000);
      await flush();
      const ordersBefore = h.repos.orders.recent(1000).length;

      await h.bars(150);

      expect(h.repos.trades.count()).toBeGreaterThan(0);
      expect(h.repos.orders.recent(1000).length).toBeGreaterThan(ordersBefore);
    } finally {
      await h.close();
    }
  });
});

describe('running reconciliation', () => {
  test('when a position appears at the broker outside the bot, then a confirmed check halts entries for reconcile and the breaker shows it', async () => {
    const { h } = await activeService();
    try {
      await barsUntil(h, () => h.system.get('position')!.getSnapshot().matches('flat') && h.core.engine.state.position === null && h.repos.orders.recent(1).length > 0);
      await h.sim.placeOrder({ ref: 'MANUAL-1', action: 'buy', type: 'market', qty: 1 });
      await h.bars(1);

      // A first check only looks; a second one a moment later acts (a late execution report is not a violation).
      for (let i = 0; i < 4 && h.core.engine.state.halt === null; i++) {
        h.clock.increment(5_000);
        await flush();
        h.clock.increment(1_000);
        await flush();
      }

      expect(h.core.engine.state.halt).toMatchObject({ reason: 'reconcile', detail: expect.stringContaining('broker position') });
      expect(h.app.breakers()).toMatchObject({ state: 'halted', reason: 'reconcile' });
      expect(alertTexts(h).some((t) => t.startsWith('Reconciliation:') && t.endsWith('New entries are halted until you reset.'))).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('the circuit breaker', () => {
  const TIGHT = { ...ACTIVE_MARKET, risk: { ...ACTIVE_MARKET.risk, dailyLossLimit: 5 } };

  test('when the session loss reaches the limit, then the breaker halts, and an operator reset closes it', async () => {
    const { h } = await activeService(TIGHT);
    try {
      await barsUntil(h, () => h.app.breakers().state === 'halted');
      expect(h.app.breakers()).toMatchObject({ state: 'halted', reason: 'daily_loss' });
      expect(h.app.status().trading).toEqual({ kind: 'HALTED', reason: 'daily_loss' });

      const result = await h.app.resetBreaker(web);

      expect(result).toMatchObject({ ok: true, message: 'breaker reset (was halted)' });
      expect(h.app.breakers().state).toBe('closed');
      expect(h.core.engine.state.halt).toBeNull();
      expect(h.repos.breaker.recent(10).map((e) => e.kind)).toEqual(['reset', 'trip']);
      expect(alertTexts(h).some((t) => t.startsWith('Breaker HALTED: daily_loss'))).toBe(true);
    } finally {
      await h.close();
    }
  });

  test('when the service restarts on the same store, then the halted breaker comes back halted without a new trip', async () => {
    const { h } = await activeService(TIGHT);
    let second: Awaited<ReturnType<typeof startService>> | null = null;
    try {
      await barsUntil(h, () => h.app.breakers().state === 'halted');
      const trips = h.repos.breaker.recent(10).length;
      await h.shutdown('test restart');
      const venue = h.sim['opts'].venueState!.load();
      const broker = new SimBroker({ ...h.sim['opts'], venueState: memoryVenueStore(venue) });

      second = await startService({ config: h.config, secrets: {}, log: memoryLogger(), clock: new SimulatedClock(), broker, web: false, warmupBars: 100 });
      await waitFor(second.system.get('strategy')!, (s) => s.matches('ready') || s.matches('paused'), { timeout: 5_000 });
      await broker.step();

      expect(second.app.breakers()).toMatchObject({ state: 'halted', reason: 'daily_loss' });
      expect(second.repos.breaker.recent(10)).toHaveLength(trips);
      expect(second.app.status().trading).toEqual({ kind: 'HALTED', reason: 'daily_loss' });
    } finally {
      await second?.shutdown('test');
      await h.close();
    }
  });
});
