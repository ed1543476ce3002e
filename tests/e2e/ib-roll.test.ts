import { describe, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeGateway } from '../../src/broker/ib-sim/gateway.ts';
import { TESTED_VERSIONS } from '../../src/broker/ib-sim/versions.ts';
import { refRole } from '../../src/engine/orders.ts';
import { checkInvariants } from '../../src/testing/invariants.ts';
import { until } from '../broker/ib/harness.ts';
import { paperOnGateway } from './ib-service.ts';
import { gatewayVenue } from './ib-venue.ts';

/**
 * Risk 9 end to end: the paper service on the real @stoqey/ib client over TCP, the fake gateway's
 * simulated market running across MESH6's close deadline. MESH6 stops trading 20 March 2026 09:30
 * New York (13:30 UTC); with ib.closeHoursBeforeExpiry 24 the deadline is 19 March 13:30 UTC, and
 * with ib.rollDaysBeforeExpiry 0 the roll day would come later (20 March 00:00 UTC), so the
 * deadline is also when entries move to MESM6. The market starts live at 13:00 UTC and the bot
 * trades 20-minute bars with a near-zero entry threshold: it enters on the 13:20 bar, and no bar
 * of its own closes between that entry and the deadline, so the position is open at 13:30.
 */

const DEADLINE = Date.UTC(2026, 2, 19, 13, 30);
const LIVE = Date.UTC(2026, 2, 19, 13, 0);
const WARMUP = 600;

/** Signed contracts per contract symbol after each execution, from the gateway's own list. */
function holdingsOverTime(gw: FakeGateway): Array<Record<string, number>> {
  const net: Record<string, number> = {};
  return gw.book.executions.map((e) => {
    net[e.contract.localSymbol] = (net[e.contract.localSymbol] ?? 0) + (e.side === 'BOT' ? e.shares : -e.shares);
    return { ...net };
  });
}

describe.each(TESTED_VERSIONS)('across MESH6\'s close deadline at server version %i', (version) => {
  test('the position open in MESH6 is closed at the deadline through the flatten, one alert, then entries resume in MESM6; never two contracts held', async () => {
    const { gw, dir, service, lines, state } = await paperOnGateway(
      version,
      { start: LIVE - WARMUP * 60_000, warmupBars: WARMUP, regime: 'sideways' },
      {
        ib: { rollDaysBeforeExpiry: 0, closeHoursBeforeExpiry: 24 },
        trading: { barMinutes: 20, params: { lookback: 20, entry: 0.05, exit: 0 } },
        risk: { stopLossPerContract: 2_000, takeProfitPerContract: 4_000, maxHoldMinutes: 600 },
      },
    );
    try {
      await until(() => state('strategy').matches('ready'), 'warm-up from history', 10_000);
      const time = () => gw.book.exchange.clock.lastBarTime ?? 0;
      // Up to the minute before the deadline (a minute's last 5-second bar ends at the next minute): the entry on the 13:20 bar fills in MESH6.
      while (time() < DEADLINE - 2 * 60_000) await gw.step();
      await Bun.sleep(50);
      expect(gw.book.executions.map((e) => e.contract.localSymbol)).toEqual(['MESH6']);
      expect(gw.book.executions[0]!.timeMs).toBeGreaterThanOrEqual(LIVE + 20 * 60_000);
      expect(gw.book.exchange.positions().length).toBe(1);
      expect(lines.filter((l) => l.includes('"code":9213'))).toEqual([]);

      // Past the deadline: closed within a few minutes, then a new entry in MESM6.
      for (let i = 0; i < 60 && !gw.book.executions.some((e) => e.contract.localSymbol === 'MESM6'); i++) {
        await gw.step();
        await Bun.sleep(5);
      }
      await Bun.sleep(100);
      const h6 = gw.book.executions.filter((e) => e.contract.localSymbol === 'MESH6');
      expect(h6.length).toBe(2);
      const close = h6[1]!;
      expect(refRole(close.orderRef)).toBe('flatten');
      expect(close.timeMs).toBeGreaterThanOrEqual(DEADLINE);
      expect(close.timeMs).toBeLessThanOrEqual(DEADLINE + 3 * 60_000);
      const m6 = gw.book.executions.filter((e) => e.contract.localSymbol === 'MESM6');
      expect(m6.length).toBeGreaterThan(0);
      expect(refRole(m6[0]!.orderRef)).toBe('entry');
      // Nothing after the deadline was opened in MESH6, and never were both contracts held.
      expect(h6.filter((e) => e.timeMs >= DEADLINE && refRole(e.orderRef) === 'entry')).toEqual([]);
      for (const held of holdingsOverTime(gw)) expect(Object.values(held).filter((q) => q !== 0).length).toBeLessThanOrEqual(1);
      // The working orders now protect the MESM6 position, in MESM6.
      expect(new Set(gw.book.workingOrders(7).map((o) => o.contract.localSymbol))).toEqual(new Set(['MESM6']));

      // One alert naming the contract, its expiry and what was done.
      const notices = lines.filter((l) => l.includes('broker.error') && l.includes('"code":9213'));
      expect(notices.length).toBe(1);
      expect(notices[0]).toContain('MESH6 expires 2026-03-20 13:30 UTC (last trading day 20260320)');
      expect(notices[0]).toContain('being closed at market; entries resume in MESM6');
      expect(lines.filter((l) => l.includes('roll.closing')).length).toBe(1);

      // The journal, the engine and the gateway agree, with the stop working for the open position.
      expect(checkInvariants(join(dir, 'paper.db'), gatewayVenue(gw))).toEqual([]);
      const trades = service.repos.trades.recent({ limit: 10, offset: 0 });
      expect(trades.map((t) => t.exitReason)).toEqual(['flatten']);
    } finally {
      await service.shutdown('test');
      await gw.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
