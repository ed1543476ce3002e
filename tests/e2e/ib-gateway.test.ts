import { describe, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import type { SimulatedClock } from 'xstate';
import type { FakeGateway } from '../../src/broker/ib-sim/gateway.ts';
import { TESTED_VERSIONS } from '../../src/broker/ib-sim/versions.ts';
import type { Service } from '../../src/service/service.ts';
import { until } from '../broker/ib/harness.ts';
import { paperOnGateway } from './ib-service.ts';

/**
 * The whole service in paper mode on the real @stoqey/ib client, against the fake gateway on a
 * random loopback port: it warms up from history, trades a scripted market (the gateway's
 * market moves only by step()), survives each connection fault, and ends with the journal, the
 * gateway's books and the P&L in agreement. Actor time runs on a simulated clock: a back-off or
 * the staleness watchdog fires when the test moves that clock, so nothing waits on real time
 * beyond the sockets themselves.
 */

const state = (s: Service, id: 'connection' | 'strategy') => s.system.get(id)!.getSnapshot() as { matches(v: string): boolean; value: unknown };

async function bars(gw: FakeGateway, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await gw.step();
}

/** Moves actor time a second at a time (back-offs) until the connection is ready again. */
async function reconnect(clock: SimulatedClock, s: Service): Promise<void> {
  await until(() => !state(s, 'connection').matches('ready'), 'the connection to notice the fault');
  const end = performance.now() + 10_000;
  while (!state(s, 'connection').matches('ready')) {
    if (performance.now() > end) throw new Error(`no reconnect; connection is ${JSON.stringify(state(s, 'connection').value)}`);
    clock.increment(1_000);
    await Bun.sleep(15);
  }
  // The sync after a reconnect ends with the position actor told the broker's truth.
  await Bun.sleep(30);
}

describe.each(TESTED_VERSIONS)('paper trading through the fake IB Gateway at server version %i', (version) => {
  test('trades, survives drop / silence / restart / 1100-1101, and the journal, the gateway and the P&L agree', async () => {
    const { gw, dir, clock, service, lines } = await paperOnGateway(version);
    try {
      await until(() => state(service, 'strategy').matches('ready'), 'warm-up from history', 10_000);
      expect(lines.some((l) => l.includes('strategy.warmed_up') && l.includes('"bars":300'))).toBe(true);
      expect((service.broker as unknown as { negotiatedVersion: number }).negotiatedVersion).toBe(version);
      await bars(gw, 100);

      // The gateway hangs up; the market goes on while the bot is away.
      gw.dropConnections();
      await bars(gw, 5);
      await reconnect(clock, service);
      await bars(gw, 40);

      // A half-dead link: nothing arrives; the watchdog drops it and the socket really closes.
      gw.goSilent();
      await bars(gw, 2);
      clock.increment(31_000);
      await reconnect(clock, service);
      expect(gw.sessionCount()).toBe(1);
      await bars(gw, 40);

      // The nightly restart: down for a while, then back with the same account.
      const restarted = gw.restart({ downMs: 200 });
      await until(() => !state(service, 'connection').matches('ready'), 'the restart to cut the link');
      clock.increment(1_000);
      await restarted;
      await reconnect(clock, service).catch(async () => reconnect(clock, service));
      await bars(gw, 40);

      // IB loses its servers, then comes back having dropped the market data subscriptions.
      gw.sendError(1100, 'Connectivity between IB and Trader Workstation has been lost.');
      await until(() => state(service, 'connection').matches('degraded'), 'degraded on 1100');
      gw.sendError(1101, 'Connectivity between IB and TWS has been restored- data lost.');
      await until(() => state(service, 'connection').matches('ready'), 'ready after 1101');
      const before = service.core.lastBar?.time ?? 0;
      await bars(gw, 40);
      await until(() => (service.core.lastBar?.time ?? 0) > before, 'bars after the resubscription');
      await Bun.sleep(50);

      // Agreement: every execution at the gateway is journalled once, and nothing else is.
      const gwExecs = gw.book.executions.filter((e) => e.clientId === 7).map((e) => [e.execId, e.orderRef, e.shares, e.price, e.commission * 100]);
      const stored = service.repos.fills.since(0).map((f) => [f.execId, f.orderRef, f.qty, f.price, f.commissionCents]);
      expect(stored.sort()).toEqual(gwExecs.sort());
      const trades = service.repos.trades.recent({ limit: 1000, offset: 0 });
      expect(trades.length).toBeGreaterThanOrEqual(3);

      // The position the engine holds is the one at the gateway.
      const pos = service.core.engine.state.position;
      const gwQty = gw.book.exchange.positions().reduce((a, p) => a + p.qty, 0);
      expect(pos === null ? 0 : pos.side === 'long' ? pos.qty : -pos.qty).toBe(gwQty);
      if (pos !== null) expect(pos.entryPrice).toBe(gw.book.exchange.positions()[0]!.avgPrice);

      // Realised P&L: the journal's trades add up to the gateway's account, and the adapter reads the same.
      const gwPnl = gw.book.exchange.accountPnl();
      expect(trades.reduce((a, t) => a + t.pnlCents, 0)).toBe(gwPnl.realisedCents);
      expect(await service.broker.accountPnl()).toEqual(gwPnl);

      // Orders the journal thinks are working are the ones working at the gateway.
      const working = gw.book.workingOrders(7).map((o) => o.orderRef).sort();
      expect(service.repos.orders.open().map((o) => o.ref).sort()).toEqual(working);
      expect(lines.filter((l) => l.includes('"code":326'))).toEqual([]);
      expect(lines.filter((l) => l.includes('position_mismatch'))).toEqual([]);
    } finally {
      await service.shutdown('test');
      await gw.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
