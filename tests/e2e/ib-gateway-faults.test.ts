import { describe, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { TESTED_VERSIONS } from '../../src/broker/ib-sim/versions.ts';
import { until } from '../broker/ib/harness.ts';
import { paperOnGateway } from './ib-service.ts';

/**
 * The service against the fake gateway at each tested server version, in two situations a
 * real gateway produces: a restart while orders are working, and an account without the CME
 * market data subscription.
 */

describe.each(TESTED_VERSIONS)('at server version %i', (version) => {
  test('a gateway restart while the stop and target are working: the bot reconnects, the orders and the position carry on, the books agree', async () => {
    const { gw, dir, clock, service, state } = await paperOnGateway(version);
    try {
      await until(() => state('strategy').matches('ready'), 'warm-up from history', 10_000);
      for (let i = 0; i < 300 && gw.book.workingOrders(7).length === 0; i++) await gw.step();
      const working = gw.book.workingOrders(7).map((o) => o.orderRef).sort();
      expect(working.length).toBeGreaterThan(0);
      const restarted = gw.restart({ downMs: 200 });
      await until(() => !state('connection').matches('ready'), 'the restart to cut the link');
      await restarted;
      const end = performance.now() + 10_000;
      while (!state('connection').matches('ready')) {
        if (performance.now() > end) throw new Error(`no reconnect; connection is ${JSON.stringify(state('connection').value)}`);
        clock.increment(1_000);
        await Bun.sleep(15);
      }
      await Bun.sleep(50);
      // The orders that were working are still the journal's working orders.
      expect(service.repos.orders.open().map((o) => o.ref).sort()).toEqual(gw.book.workingOrders(7).map((o) => o.orderRef).sort());
      // Trading goes on until the position is closed at the venue and in the engine.
      for (let i = 0; i < 200 && gw.book.exchange.positions().length > 0; i++) await gw.step();
      await until(() => service.core.engine.state.position === null && gw.book.exchange.positions().length === 0, 'flat after the restart');
      await Bun.sleep(50);
      const gwExecs = gw.book.executions.filter((e) => e.clientId === 7).map((e) => e.execId).sort();
      expect(service.repos.fills.since(0).map((f) => f.execId).sort()).toEqual(gwExecs);
      expect(service.repos.trades.recent({ limit: 100, offset: 0 }).reduce((a, t) => a + t.pnlCents, 0)).toBe(gw.book.exchange.accountPnl().realisedCents);
    } finally {
      await service.shutdown('test');
      await gw.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test('no CME subscription (354): one CRITICAL alert, the connection stays degraded without reconnecting, no orders', async () => {
    const { gw, gwLog, dir, clock, service, lines, state } = await paperOnGateway(version);
    gw.denyMarketData(354);
    try {
      await until(() => state('strategy').matches('ready'), 'warm-up from history', 10_000);
      await until(() => state('connection').matches('degraded'), 'degraded for want of data');
      // The staleness watchdog would have fired several times over by now.
      for (let i = 0; i < 6; i++) {
        clock.increment(31_000);
        await gw.step();
        await Bun.sleep(20);
      }
      expect(state('connection').matches('degraded')).toBe(true);
      expect(gwLog.filter((l) => /client 7 connected/.test(l)).length).toBe(1);
      const alerts = lines.filter((l) => l.includes('broker.error') && l.includes('"code":9210'));
      expect(alerts.length).toBe(1);
      expect(alerts[0]).toContain('CRITICAL');
      expect(gw.book.workingOrders(7)).toEqual([]);
      expect(gw.book.executions).toEqual([]);
    } finally {
      await service.shutdown('test');
      await gw.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('a rehearsal that restarts the gateway:sim process mid-trade', () => {
  test('a new gateway process on the same port (a fresh paper account, new ids): the bot reconnects, journals no old id twice, and trades on', async () => {
    const first = await paperOnGateway(TESTED_VERSIONS.at(-1)!, { idSeed: 1_000_000 });
    const { dir, clock, service, state, lines } = first;
    let gw = first.gw;
    try {
      await until(() => state('strategy').matches('ready'), 'warm-up from history', 10_000);
      // Mid-trade: the entry has filled and its stop and target are working.
      for (let i = 0; i < 300 && !(gw.book.executions.length > 0 && gw.book.workingOrders(7).length === 2); i++) await gw.step();
      expect(gw.book.workingOrders(7).length).toBe(2);
      await until(() => service.repos.fills.since(0).length === 1, 'the entry journalled');
      const port = gw.port;
      const before = gw.book.executions.map((e) => e.execId);
      await gw.close();
      await until(() => !state('connection').matches('ready'), 'the bot to notice the gateway gone');
      const { startFakeGateway } = await import('../../src/broker/ib-sim/gateway.ts');
      gw = await startFakeGateway({ port, seed: 12, regime: 'volatile', quietMs: 5, idSeed: 2_000_000 });
      const end = performance.now() + 15_000;
      while (!state('connection').matches('ready')) {
        if (performance.now() > end) throw new Error(`no reconnect; connection is ${JSON.stringify(state('connection').value)}`);
        clock.increment(1_000);
        await Bun.sleep(15);
      }
      for (let i = 0; i < 400 && gw.book.executions.length < 2; i++) await gw.step();
      await Bun.sleep(50);
      // New executions at the new gateway are journalled; none of them reuses an id of the old one.
      const fresh = gw.book.executions.filter((e) => e.clientId === 7).map((e) => e.execId);
      expect(fresh.length).toBeGreaterThan(0);
      expect(fresh.filter((id) => before.includes(id))).toEqual([]);
      const journalled = service.repos.fills.since(0).map((f) => f.execId);
      for (const id of fresh) expect(journalled).toContain(id);
      expect(lines.filter((l) => l.includes('"code":9209'))).toEqual([]);
    } finally {
      await service.shutdown('test');
      await gw.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
