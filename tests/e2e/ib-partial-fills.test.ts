import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { startFakeGateway, type FakeGateway } from '../../src/broker/ib-sim/gateway.ts';
import { TESTED_VERSIONS } from '../../src/broker/ib-sim/versions.ts';
import type { WireExecution } from '../../src/broker/ib-sim/order-messages.ts';
import type { BrokerPosition } from '../../src/broker/port.ts';
import { parseConfig } from '../../src/config/schema.ts';
import type { LogFields, Logger } from '../../src/domain/log.ts';
import type { OpenPosition } from '../../src/engine/engine.ts';
import type { JournalTrade } from '../../src/store/journal-trades.ts';
import { startService, type Service } from '../../src/service/service.ts';
import { until } from '../broker/ib/harness.ts';

/**
 * One 2-contract round trip through the whole service in paper mode against the fake IB Gateway,
 * with the entry and the exit each reported by the gateway as two executions of one contract:
 * the service must hold and close ONE position of 2 contracts and journal ONE trade, at the
 * quantity-weighted prices, in agreement with the gateway's account.
 *
 * The market (seed 3, volatile) is scripted by step(): the short entry fills 1 + 1, and twelve
 * minutes later (risk.maxHoldMinutes) the stop fills 1 + 1 in the very bar whose close makes the
 * engine decide a max-hold exit, so that exit decision meets a half-filled stop. Actor time runs
 * on a simulated clock; nothing waits on real time beyond the sockets.
 */

const CLIENT_ID = 7;
/** MES: $5 per point, in cents. */
const CENTS_PER_POINT = 500;

interface RoundTrip {
  readonly gw: FakeGateway;
  readonly service: Service;
  readonly dir: string;
  readonly lines: string[];
  /** The engine's position once the entry had filled completely. */
  readonly openPosition: OpenPosition;
  /** The gateway's position at the same moment. */
  readonly gatewayPosition: BrokerPosition;
  readonly entryRef: string;
}

function capturingLogger(lines: string[]): Logger {
  return Object.fromEntries(
    (['debug', 'info', 'warn', 'error'] as const).map((level) => [level, (event: string, fields?: LogFields) => void lines.push(`${level} ${event} ${JSON.stringify(fields ?? {})}`)]),
  ) as unknown as Logger;
}

async function startPaperService(gw: FakeGateway, dir: string, log: Logger): Promise<Service> {
  const config = parseConfig(
    {
      mode: 'paper',
      ib: { host: '127.0.0.1', port: gw.port, clientId: CLIENT_ID, account: gw.account, staleDataSeconds: 30, connectTimeoutMs: 5_000 },
      store: { path: join(dir, 'paper.db') },
      trading: { contracts: 2, params: { lookback: 20, entry: 1.8, exit: 0.3 } },
      risk: { maxContracts: 2, stopLossPerContract: 25, takeProfitPerContract: 40, maxDrawdown: 100_000, dailyLossLimit: 100_000, maxHoldMinutes: 12, consecutiveLossLimit: 1000 },
    },
    'e2e',
  );
  const clock = new SimulatedClock();
  // Monday 10:00 New York: the market is open.
  clock.set(Date.UTC(2026, 0, 5, 15));
  return startService({ config, secrets: {}, log, clock, web: false, warmupBars: 300 });
}

/**
 * One simulated minute, and the service's reaction to it: the bar reached the strategy and every
 * order it journalled has been acknowledged by the gateway. Without that wait an order decided at
 * a bar's close could miss the next minute's open, and the round trip would depend on timing.
 */
async function minute(gw: FakeGateway, service: Service): Promise<void> {
  const bar = await gw.step();
  await until(() => (service.core.lastBar?.time ?? 0) >= bar.time, `the ${new Date(bar.time).toISOString()} bar at the service`);
  await until(() => service.repos.orders.open().every((o) => o.status !== 'pending'), 'the gateway to acknowledge every order sent');
}

/** Simulated minutes until the gateway's own account satisfies `cond`. */
async function minutesUntil(gw: FakeGateway, service: Service, cond: () => boolean, what: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await minute(gw, service);
    if (cond()) return;
  }
  throw new Error(`no ${what} within ${max} simulated minutes`);
}

const gatewayQty = (gw: FakeGateway) => gw.book.exchange.positions().reduce((a, p) => a + p.qty, 0);
const executionsOf = (gw: FakeGateway, ref: string) => gw.book.executions.filter((e) => e.clientId === CLIENT_ID && e.orderRef === ref);
const weightedPrice = (execs: readonly WireExecution[]) => execs.reduce((a, e) => a + e.price * e.shares, 0) / execs.reduce((a, e) => a + e.shares, 0);
const commissionCents = (execs: readonly WireExecution[]) => Math.round(execs.reduce((a, e) => a + e.commission * 100, 0));
const onlyTrade = (s: Service): JournalTrade => {
  const trades = s.repos.trades.recent({ limit: 10, offset: 0 });
  expect(trades).toHaveLength(1);
  return trades[0]!;
};

describe.each(TESTED_VERSIONS)('at server version %i', (version) => {
  let trip: RoundTrip;

  beforeAll(async () => {
    const lines: string[] = [];
    const gw = await startFakeGateway({ port: 0, seed: 3, regime: 'volatile', quietMs: 5, minVersion: version, maxVersion: version });
    const dir = mkdtempSync(join(tmpdir(), 'qs-ib-partial-'));
    const service = await startPaperService(gw, dir, capturingLogger(lines));
    try {
      await until(() => (service.system.get('strategy')!.getSnapshot() as { matches(v: string): boolean }).matches('ready'), 'warm-up from history', 10_000);

      // The entry fills as 1 + 1 contracts; the second execution comes a phase later, after the bar.
      gw.partialFillNext(1);
      await minutesUntil(gw, service, () => gatewayQty(gw) !== 0, 'entry');
      await until(() => service.core.engine.state.position !== null, 'the engine to open the position');
      await until(() => gw.book.workingOrders(CLIENT_ID).length === 2, 'the stop and the target at the gateway');
      const openPosition = { ...service.core.engine.state.position! };
      const gatewayPosition = { ...gw.book.exchange.positions()[0]! };
      const entryRef = service.repos.fills.since(0)[0]!.orderRef;

      // Whichever order closes the position fills as 1 + 1 too.
      gw.partialFillNext(1);
      await minutesUntil(gw, service, () => gatewayQty(gw) === 0, 'exit');
      await until(
        () => service.core.engine.state.position === null && service.repos.orders.open().length === 0 && service.repos.fills.since(0).filter((f) => f.commissionCents > 0).length === 4,
        'the exit journalled: engine flat, no working orders, four executions with their commissions',
      );
      trip = { gw, service, dir, lines, openPosition, gatewayPosition, entryRef };
    } catch (e) {
      await service.shutdown('test');
      await gw.close();
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }, 30_000);

  afterAll(async () => {
    if (!trip) return;
    await trip.service.shutdown('test');
    await trip.gw.close();
    rmSync(trip.dir, { recursive: true, force: true });
  });

  describe('a 2-contract round trip filled 1 + 1 on entry and on exit, through the fake IB Gateway', () => {
    test('the service negotiated the pinned server version', () => {
      expect((trip.service.broker as unknown as { negotiatedVersion: number }).negotiatedVersion).toBe(version);
    });

    test('the gateway reported the entry and the exit as two executions of 1 contract each', () => {
      const { gw, entryRef } = trip;
      const trade = onlyTrade(trip.service);
      expect(executionsOf(gw, entryRef).map((e) => e.shares)).toEqual([1, 1]);
      expect(executionsOf(gw, trade.exitRef).map((e) => e.shares)).toEqual([1, 1]);
    });

    test('while open, the engine held one position of 2 contracts at the quantity-weighted entry price, as the gateway did', () => {
      const { gw, entryRef, openPosition, gatewayPosition } = trip;
      const side = executionsOf(gw, entryRef)[0]!.side === 'BOT' ? 'long' : 'short';
      expect(openPosition).toMatchObject({ side, qty: 2, entryPrice: weightedPrice(executionsOf(gw, entryRef)) });
      expect(gatewayPosition).toEqual({ symbol: 'MES', qty: side === 'long' ? 2 : -2, avgPrice: openPosition.entryPrice });
    });

    test('the journal keeps every execution the gateway made, once, with its commission', () => {
      const { gw, service } = trip;
      const gwExecs = gw.book.executions.filter((e) => e.clientId === CLIENT_ID).map((e) => [e.execId, e.orderRef, e.shares, e.price, e.commission * 100]);
      const stored = service.repos.fills.since(0).map((f) => [f.execId, f.orderRef, f.qty, f.price, f.commissionCents]);
      expect(stored).toHaveLength(4);
      expect(stored.sort()).toEqual(gwExecs.sort());
    });

    test('the round trip is ONE trade: 2 contracts, weighted prices, P&L = (exit − entry) × $5 × 2 × direction − commissions, to the cent', () => {
      const { gw, entryRef } = trip;
      const trade = onlyTrade(trip.service);
      const entry = executionsOf(gw, entryRef);
      const exit = executionsOf(gw, trade.exitRef);
      const direction = trade.side === 'long' ? 1 : -1;
      const expectedCents = Math.round((weightedPrice(exit) - weightedPrice(entry)) * CENTS_PER_POINT * 2 * direction) - commissionCents([...entry, ...exit]);
      expect(trade).toMatchObject({ entryRef, qty: 2, entryPrice: weightedPrice(entry), exitPrice: weightedPrice(exit), commissionCents: commissionCents([...entry, ...exit]), pnlCents: expectedCents });
    });

    test("the gateway's realised P&L is the journal's, and the adapter reads the same", async () => {
      const { gw, service } = trip;
      const trade = onlyTrade(service);
      expect(gw.book.exchange.accountPnl().realisedCents).toBe(trade.pnlCents);
      expect(await service.broker.accountPnl()).toEqual(gw.book.exchange.accountPnl());
    });

    test('an exit decided while the stop was half-filled sends no second closing order: the stop closes the position', () => {
      const { gw, service, lines, entryRef } = trip;
      const trade = onlyTrade(service);
      // The scenario happened: the stop's first half filled in the bar whose close decided an exit.
      expect(trade.exitRef).toBe(`${entryRef}-S`);
      const exitDecisions = lines.filter((l) => l.startsWith('info signal') && l.includes('"decision":"exit"')).map((l) => (JSON.parse(l.slice(l.indexOf('{'))) as { time: string }).time);
      expect(exitDecisions).toContain(new Date(executionsOf(gw, trade.exitRef)[0]!.timeMs).toISOString());
      expect(service.repos.orders.recent(10).map((o) => o.ref).sort()).toEqual([entryRef, `${entryRef}-S`, `${entryRef}-T`]);
      expect(lines.filter((l) => l.includes('broker.error'))).toEqual([]);
    });

    test('at the end the engine and the gateway are both flat, and no position mismatch was logged', () => {
      const { gw, service, lines } = trip;
      expect(service.core.engine.state.position).toBeNull();
      expect(gw.book.exchange.positions()).toEqual([]);
      expect(gw.book.workingOrders(CLIENT_ID)).toEqual([]);
      expect(lines.filter((l) => l.includes('position_mismatch') || l.includes('position.alert'))).toEqual([]);
    });
  });
});
