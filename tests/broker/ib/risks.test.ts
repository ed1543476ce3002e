import { afterEach, describe, expect, test } from 'bun:test';
import { IB_ADAPTER } from '../../../src/broker/ib/codes.ts';
import { TESTED_VERSIONS } from '../../../src/broker/ib-sim/versions.ts';
import { ibHarness, until } from './harness.ts';

/**
 * Risks 3, 4, 6, 7 and 8 of the IB issue against the fake gateway at each tested server
 * version: a missing market data subscription, execution times in the gateway's zone,
 * executions of the current day only, Inactive before Submitted, and a fill whose execution
 * never arrives or arrives under an id already used.
 */

let h: Awaited<ReturnType<typeof ibHarness>> | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const codes = () => h!.events.error.map((e) => e.code);

describe.each(TESTED_VERSIONS)('real-gateway behaviours at server version %i', (v) => {
  const pinned = { minVersion: v, maxVersion: v };

  test('risk 3: no CME subscription (354) → one CRITICAL alert, degraded (no reconnect), entries refused, exits allowed', async () => {
    h = await ibHarness({ gateway: pinned });
    h.gw.denyMarketData(354);
    await h.broker.connect();
    await h.broker.subscribeBars(1);
    await until(() => codes().includes(IB_ADAPTER.marketDataMissing), 'the alert');
    const alert = h.events.error.find((e) => e.code === IB_ADAPTER.marketDataMissing)!;
    expect(alert.retryable).toBe(false);
    expect(alert.message).toMatch(/^CRITICAL: .*354.*subscription/);
    expect(h.events.connection.at(-1)).toMatchObject({ type: 'degraded', reason: expect.stringContaining('market data') });
    const price = (await h.gw.step()).close;
    await expect(h.broker.placeBracket({ entry: { ref: 'E', action: 'buy', type: 'market', qty: 1, reason: 'entry' }, stop: { ref: 'E-S', action: 'sell', type: 'stop', qty: 1, price: price - 20, ocaGroup: 'E', parentRef: 'E' }, target: { ref: 'E-T', action: 'sell', type: 'limit', qty: 1, price: price + 20, ocaGroup: 'E', parentRef: 'E' } })).rejects.toMatchObject({ code: IB_ADAPTER.marketDataMissing, retryable: false });
    await expect(h.broker.placeOrder({ ref: 'E2', action: 'buy', type: 'market', qty: 1, reason: 'entry' })).rejects.toMatchObject({ code: IB_ADAPTER.marketDataMissing });
    await h.broker.placeOrder({ ref: 'X', action: 'sell', type: 'limit', qty: 1, price: price + 100, reason: 'flatten' });
    await until(() => h!.statuses('X').includes('submitted'), 'the exit accepted');
    // A reconnect (nightly restart) meets the same refusal: still one alert.
    await h.broker.disconnect();
    await h.broker.connect();
    await h.broker.subscribeBars(1);
    await until(() => h!.events.connection.filter((e) => e.type === 'degraded').length === 2, 'degraded again');
    expect(codes().filter((c) => c === IB_ADAPTER.marketDataMissing).length).toBe(1);
    // The subscription is bought: bars flow, the connection is restored, entries go again.
    h.gw.denyMarketData(null);
    await h.broker.subscribeBars(1);
    await until(() => h!.gw.barSubscriptions() === 1, 'the subscription at the gateway');
    await h.gw.step();
    await until(() => h!.events.connection.at(-1)?.type === 'restored', 'restored by bars');
    await h.broker.placeOrder({ ref: 'E3', action: 'buy', type: 'limit', qty: 1, price: price - 100, reason: 'entry' });
    await until(() => h!.statuses('E3').includes('submitted'), 'entries again');
  });

  test('risk 4: execution times in the gateway zone, with or without the zone name, become the right instant', async () => {
    for (const [timeZone, execTimeStyle] of [['Europe/Berlin', 'legacy'], ['America/Chicago', 'zoned']] as const) {
      h = await ibHarness({ gateway: { ...pinned, timeZone, execTimeStyle } });
      await h.broker.connect();
      await h.gw.step();
      await h.broker.placeOrder({ ref: 'M', action: 'buy', type: 'market', qty: 1 });
      await until(() => h!.gw.book.workingOrders(1).length === 1, 'at the gateway');
      await h.gw.step();
      await until(() => h!.events.fill.length === 1, 'the fill');
      const exec = h.gw.book.executions[0]!;
      expect(exec.time).toMatch(execTimeStyle === 'legacy' ? /^\d{8} {2}\d{2}:\d{2}:\d{2}$/ : / America\/Chicago$/);
      expect(h.events.fill[0]!.time).toBe(exec.timeMs);
      await h.close();
      h = null;
    }
  });

  test('risk 4: a fill whose time cannot be read is journalled at its arrival, never dropped', async () => {
    h = await ibHarness({ gateway: pinned });
    await h.broker.connect();
    const exec = v >= 136 ? [11, -1, 5, 700202603, 'MES', 'FUT', '20260320', 0, '', 5, 'CME', 'USD', 'MESH6', 'MES', 'x9', 'yesterday noon', 'DU1234567', 'CME', 'BOT', 1, 5000.25, 77, 1, 0, 1, 5000.25, 'Q', '', '', '', 1, ...(v >= 178 ? [0] : [])]
      : [11, 10, -1, 5, 700202603, 'MES', 'FUT', '20260320', 0, '', 5, 'CME', 'USD', 'MESH6', 'MES', 'x9', 'yesterday noon', 'DU1234567', 'CME', 'BOT', 1, 5000.25, 77, 1, 0, 1, 5000.25, 'Q', '', ''];
    h.gw.sendRaw(exec);
    h.gw.sendRaw([59, 1, 'x9', 0.62, 'USD', '', '', 0]);
    await until(() => h!.events.fill.length === 1, 'the fill');
    expect(h.events.fill[0]).toMatchObject({ execId: 'x9', orderRef: 'Q', qty: 1, price: 5000.25 });
    expect(h.events.error.find((e) => e.code === IB_ADAPTER.malformedMessage)?.message).toMatch(/unreadable time 'yesterday noon'/);
  });

  test("risk 6: IB reports the current day's executions only: after midnight in the gateway's zone, yesterday's fill is gone", async () => {
    // 23:30 New York: half an hour before the gateway's day ends.
    h = await ibHarness({ gateway: { ...pinned, start: Date.UTC(2026, 0, 6, 4, 20), warmupBars: 10 } });
    await h.broker.connect();
    await h.broker.placeOrder({ ref: 'D1', action: 'buy', type: 'market', qty: 1 });
    await until(() => h!.gw.book.workingOrders(1).length === 1, 'at the gateway');
    await h.gw.step();
    await until(() => h!.events.fill.length === 1, 'the fill');
    expect((await h.broker.executionsSince(0)).map((f) => f.orderRef)).toEqual(['D1']);
    for (let i = 0; i < 35; i++) await h.gw.step();
    expect(await h.broker.executionsSince(0)).toEqual([]);
    expect(h.gw.book.executions.length).toBe(1);
    // The position is still there: that is what reconcile must compare the journal with.
    expect(await h.broker.positions()).toEqual([expect.objectContaining({ qty: 1 })]);
  });

  test('status before execution, commission 800 ms late: one fill, with its commission, after the Filled status', async () => {
    h = await ibHarness({ gateway: { ...pinned, commissionDelayMs: 800 } });
    await h.broker.connect();
    await h.gw.step();
    h.gw.faults.statusFirst = true;
    await h.broker.placeOrder({ ref: 'S1', action: 'buy', type: 'market', qty: 1 });
    await until(() => h!.gw.book.workingOrders(1).length === 1, 'at the gateway');
    await h.gw.step();
    await until(() => h!.statuses('S1').includes('filled'), 'Filled');
    expect(h.events.fill).toEqual([]);
    await until(() => h!.events.fill.length === 1, 'the fill with its commission', 3_000);
    expect(h.events.fill[0]).toMatchObject({ orderRef: 'S1', commissionCents: 62 });
    expect(codes()).not.toContain(IB_ADAPTER.commissionMissing);
  });

  test('risk 7: Inactive then Submitted — the order is working, not rejected', async () => {
    h = await ibHarness({ gateway: pinned });
    await h.broker.connect();
    h.gw.faults.inactiveFirstNext = true;
    await h.broker.placeOrder({ ref: 'I1', action: 'buy', type: 'limit', qty: 1, price: 4000 });
    await until(() => h!.statuses('I1').includes('submitted'), 'Submitted after Inactive');
    expect(h.statuses('I1')).toEqual(['submitted']);
    expect(codes()).toContain(IB_ADAPTER.orderInactive);
  });

  test('risk 8: Filled without its execution → read back from reqExecutions within fillWaitMs, journalled once', async () => {
    h = await ibHarness({ gateway: pinned, broker: { fillWaitMs: 300 } });
    await h.broker.connect();
    await h.gw.step();
    h.gw.faults.dropExecutionNext = true;
    await h.broker.placeOrder({ ref: 'F1', action: 'buy', type: 'market', qty: 1 });
    await until(() => h!.gw.book.workingOrders(1).length === 1, 'at the gateway');
    await h.gw.step();
    await until(() => h!.statuses('F1').includes('filled'), 'Filled');
    expect(h.events.fill).toEqual([]);
    await until(() => h!.events.fill.length === 1, 'the fill read back', 3_000);
    expect(h.events.fill[0]).toMatchObject({ orderRef: 'F1', execId: h.gw.book.executions[0]!.execId });
    await Bun.sleep(400);
    expect(h.events.fill.length).toBe(1);
    expect(codes()).not.toContain(IB_ADAPTER.fillMissing);
  });

  test('risk 8: an execution id reused for another order is a new fill under a distinct id, with an alert', async () => {
    h = await ibHarness({ gateway: pinned });
    await h.broker.connect();
    await h.gw.step();
    await h.broker.placeOrder({ ref: 'R1', action: 'buy', type: 'market', qty: 1 });
    await until(() => h!.gw.book.workingOrders(1).length === 1, 'at the gateway');
    await h.gw.step();
    await until(() => h!.events.fill.length === 1, 'the first fill');
    const first = h.gw.book.executions[0]!;
    // What a gateway that lost its state sends: the same execution id for another order.
    const { executionData, commissionReport } = await import('../../../src/broker/ib-sim/order-messages.ts');
    const reused = { ...first, orderId: 99, permId: first.permId + 1, orderRef: 'R2', side: 'SLD' as const };
    h.gw.sendRaw(executionData(-1, reused)(v));
    h.gw.sendRaw(commissionReport(reused)(v));
    await until(() => h!.events.fill.length === 2, 'the second fill');
    expect(h.events.fill[1]).toMatchObject({ orderRef: 'R2', execId: `${first.execId}/${first.permId + 1}`, action: 'sell' });
    expect(h.events.error.find((e) => e.code === IB_ADAPTER.execIdReused)?.retryable).toBe(false);
    // The true repeat (same order) is still dropped.
    h.gw.sendRaw(executionData(-1, first)(v));
    await Bun.sleep(100);
    expect(h.events.fill.length).toBe(2);
  });
});
