import { afterEach, describe, expect, test } from 'bun:test';
import { ibHarness, until } from './harness.ts';

let h: Awaited<ReturnType<typeof ibHarness>> | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function connected() {
  h = await ibHarness();
  await h.broker.connect();
  await h.broker.subscribeBars(1);
  return h;
}
const conn = () => h!.events.connection.slice(1);
const codes = () => h!.events.error.map((e) => e.code);

describe('TWS connectivity notices', () => {
  test('1100: degraded, new orders refused (retryable) until 1102 restores with data kept', async () => {
    const { gw, broker } = await connected();
    gw.sendError(1100, 'Connectivity between IB and Trader Workstation has been lost.');
    await until(() => conn().length === 1, 'degraded');
    expect(conn()[0]).toMatchObject({ type: 'degraded', reason: expect.stringContaining('1100') });
    await expect(broker.placeOrder({ ref: 'L1', action: 'buy', type: 'market', qty: 1 })).rejects.toMatchObject({ code: 1100, retryable: true });
    gw.sendError(1102, 'Connectivity between IB and Trader Workstation has been restored - data maintained.');
    await until(() => conn().length === 2, 'restored');
    expect(conn()[1]).toEqual({ type: 'restored', dataLost: false });
    await broker.placeOrder({ ref: 'L2', action: 'buy', type: 'limit', qty: 1, price: 4000 });
    await until(() => h!.statuses('L2').includes('submitted'), 'L2 accepted after the restore');
  });

  test('1101: restored with data lost (the connection actor then resubscribes); 2110 is a routing loss too', async () => {
    const { gw } = await connected();
    gw.sendError(2110, 'Connectivity between Trader Workstation and server is broken. It will be restored automatically.');
    gw.sendError(1101, 'Connectivity between IB and TWS has been restored- data lost.');
    await until(() => conn().length === 2, 'degraded then restored');
    expect(conn()).toEqual([expect.objectContaining({ type: 'degraded' }), { type: 'restored', dataLost: true }]);
  });

  test('data farm warnings (2103/2105) degrade; OK notices (2104/2106/2158) inform and end it', async () => {
    const { gw } = await connected();
    gw.sendError(2104, 'Market data farm connection is OK:usfarm');
    gw.sendError(2103, 'Market data farm connection is broken:usfarm');
    gw.sendError(2105, 'HMDS data farm connection is broken:ushmds');
    gw.sendError(2107, 'HMDS data farm connection is inactive but should be available upon demand.ushmds');
    await until(() => conn().length === 2, 'two degradations');
    gw.sendError(2106, 'HMDS data farm connection is OK:ushmds');
    await until(() => conn().length === 3, 'restored');
    expect(conn().map((e) => e.type)).toEqual(['degraded', 'degraded', 'restored']);
    expect(conn()[2]).toEqual({ type: 'restored', dataLost: false });
    expect(codes()).toEqual(expect.arrayContaining([2104, 2103, 2105, 2107, 2106]));
    expect(h!.events.error.find((e) => e.code === 2104)?.retryable).toBe(true);
  });

  test('risk 5: 2107 / 2108 ("inactive but should be available upon demand") are routine: at connect and later, never degraded', async () => {
    const { gw } = await connected();
    // The gateway sent 2104/2106/2158 and 2107/2108 at connect, as TWS does.
    expect(codes()).toEqual(expect.arrayContaining([2104, 2106, 2158, 2107, 2108]));
    gw.sendError(2107, 'HMDS data farm connection is inactive but should be available upon demand.ushmds');
    gw.sendError(2108, 'Market data farm connection is inactive but should be available upon demand.usfuture');
    await until(() => codes().filter((c) => c === 2108).length === 2, 'the notices');
    expect(conn()).toEqual([]);
  });

  test('10197 (competing live session): degraded until bars flow again', async () => {
    const { gw } = await connected();
    gw.sendError(10197, 'No market data during competing live session');
    await until(() => conn().length === 1, 'degraded');
    await gw.step();
    await until(() => conn().length === 2, 'restored by fresh bars');
    expect(conn()[1]).toEqual({ type: 'restored', dataLost: false });
  });

  test('399 is a warning on the order: reported, the order stays working', async () => {
    const { gw, broker } = await connected();
    await broker.placeOrder({ ref: 'W1', action: 'buy', type: 'limit', qty: 1, price: 4000 });
    await until(() => h!.statuses('W1').includes('submitted'), 'W1 working');
    const id = h!.events.orderStatus.find((u) => u.ref === 'W1')!.brokerId!;
    gw.sendError(399, 'Order Message: Warning: your order will not be placed at the exchange until 2026-01-05 09:30:00 US/Eastern', id);
    await until(() => codes().includes(399), 'the warning');
    expect(h!.events.error.find((e) => e.code === 399)).toMatchObject({ ref: 'W1', retryable: true });
    expect(h!.statuses('W1')).toEqual(['submitted']);
  });
});

describe('order faults', () => {
  test('201: a rejected order is one rejected status with the reason', async () => {
    const { gw, broker } = await connected();
    gw.rejectNext('Insufficient margin');
    await broker.placeOrder({ ref: 'J1', action: 'buy', type: 'market', qty: 1 });
    await until(() => h!.statuses('J1').includes('rejected'), 'the rejection');
    await gw.step();
    expect(h!.statuses('J1')).toEqual(['rejected']);
    expect(h!.events.orderStatus.find((u) => u.ref === 'J1')?.message).toContain('Insufficient margin');
    expect(h!.events.error.find((e) => e.code === 201)).toMatchObject({ ref: 'J1', retryable: false });
  });

  test('103: a duplicate order id is replaced by a fresh one from the gateway and the order sent again', async () => {
    const { gw, broker } = await connected();
    gw.duplicateIdNext();
    await broker.placeOrder({ ref: 'D1', action: 'buy', type: 'limit', qty: 1, price: 4000 });
    await until(() => h!.statuses('D1').includes('submitted'), 'D1 accepted under a new id');
    expect(codes()).toContain(103);
    expect(h!.events.orderStatus.find((u) => u.ref === 'D1')!.brokerId).toBeGreaterThan(1);
    expect(h!.gw.book.workingOrders(null).map((o) => o.orderRef)).toEqual(['D1']);
  });

  test('a partial fill arrives as two executions, each a fill, and the status goes partial → filled', async () => {
    const { gw, broker } = await connected();
    await broker.placeOrder({ ref: 'Q1', action: 'buy', type: 'market', qty: 3 });
    await until(() => h!.statuses('Q1').includes('submitted'), 'Q1 working');
    gw.partialFillNext(1);
    await gw.step();
    await until(() => h!.events.fill.length === 2, 'both executions');
    expect(h!.events.fill.map((f) => [f.orderRef, f.qty, f.commissionCents])).toEqual([['Q1', 1, 62], ['Q1', 2, 124]]);
    expect(h!.statuses('Q1')).toEqual(['submitted', 'partially_filled', 'filled']);
    expect(await broker.executionsSince(0)).toEqual(h!.events.fill);
  });

  test('late acknowledgements: the order is in the book at once, its status arrives when the gateway sends it', async () => {
    const { gw, broker } = await connected();
    gw.delayAcks(1_000);
    await broker.placeOrder({ ref: 'K1', action: 'buy', type: 'limit', qty: 1, price: 4000 });
    await until(() => gw.book.workingOrders(null).some((o) => o.orderRef === 'K1'), 'K1 in the book');
    expect(h!.statuses('K1')).toEqual([]);
    await until(() => h!.statuses('K1').includes('submitted'), 'the late acknowledgement');
    expect(h!.statuses('K1')).toEqual(['submitted']);
  });

  test('162: a paced history request is asked again after the wait', async () => {
    const { gw, broker } = await connected();
    gw.pacingViolations(2);
    const bars = await broker.history(1, 10);
    expect(bars.length).toBe(10);
    expect(codes().filter((c) => c === 162).length).toBe(2);
  });

  test('a garbled message from the gateway is an error event, never a crash', async () => {
    const { gw, broker } = await connected();
    // An execution in the v193 layout (no message version; modelCode, lastLiquidity, pendingPriceRevision at the end) with a price that is no number.
    gw.sendRaw([11, -1, 1, 700202603, 'MES', 'FUT', '20260320', 0, '', 5, 'CME', 'USD', 'MESH6', 'MES', 'x1', '20260105 10:00:00 US/Eastern', 'DU1234567', 'CME', 'BOT', 1, 'abc', 0, 1, 0, 1, 0, 'E1', '', '', '', 1, 0]);
    await until(() => codes().includes(9201), 'the malformed-message error');
    expect(h!.events.error.find((e) => e.code === 9201)?.message).toMatch(/malformed execution: argument 2\.price/);
    expect(h!.events.fill).toEqual([]);
    expect(await broker.positions()).toEqual([]);
  });
});

describe('connection faults', () => {
  test('the peer closes the socket: disconnected, calls refused (504), connect again works', async () => {
    const { gw, broker } = await connected();
    gw.dropConnections();
    await until(() => conn().length === 1, 'disconnected');
    expect(conn()[0]).toMatchObject({ type: 'disconnected' });
    await expect(broker.positions()).rejects.toMatchObject({ code: 504, retryable: true });
    await broker.connect();
    expect(await broker.positions()).toEqual([]);
  });

  test('a silent socket: disconnect() really closes it, so the reconnect is not refused as a duplicate client (326)', async () => {
    const { gw, broker } = await connected();
    gw.goSilent();
    await broker.disconnect();
    await until(() => gw.sessionCount() === 0, 'the gateway to see the socket closed');
    await broker.connect();
    expect(gw.sessionCount()).toBe(1);
  });

  test('326: a second client with the same id is refused, retryable; the first keeps working', async () => {
    const { broker } = await connected();
    const twin = h!.make();
    await expect(twin.broker.connect()).rejects.toMatchObject({ code: 326, retryable: true });
    expect(await broker.positions()).toEqual([]);
  });

  test('502: nothing listening is a retryable connect failure', async () => {
    h = await ibHarness();
    const nobody = h.make({}, { port: 1 });
    await expect(nobody.broker.connect()).rejects.toMatchObject({ code: 502, retryable: true });
  });

  test('the nightly restart: cut off, refused while down, back with the same account', async () => {
    const { gw, broker } = await connected();
    await broker.placeOrder({ ref: 'N1', action: 'buy', type: 'market', qty: 1 });
    await until(() => h!.statuses('N1').includes('submitted'), 'N1 working');
    await gw.step();
    await until(() => h!.events.fill.length === 1, 'N1 filled');
    const restart = gw.restart({ downMs: 150 });
    await until(() => conn().some((e) => e.type === 'disconnected'), 'cut off');
    await expect(broker.connect()).rejects.toMatchObject({ retryable: true });
    await restart;
    await broker.connect();
    expect((await broker.positions()).map((p) => p.qty)).toEqual([1]);
    expect((await broker.executionsSince(0)).map((f) => f.orderRef)).toEqual(['N1']);
  });
});

describe('safety: orders are refused on the wrong account', () => {
  test('a gateway logged in to another account: connected, but orders refused (not retryable) with an error event', async () => {
    h = await ibHarness({ gateway: { account: 'DU7654321' }, broker: {} });
    const wrong = h.make({}, { account: 'DU1111111' });
    await wrong.broker.connect();
    expect(wrong.events.error.find((e) => e.code === 9101)).toMatchObject({ retryable: false });
    await expect(wrong.broker.placeOrder({ ref: 'S1', action: 'buy', type: 'market', qty: 1 })).rejects.toMatchObject({ code: 9101, retryable: false });
    await expect(wrong.broker.cancelAll()).rejects.toMatchObject({ code: 9101 });
    expect(h.gw.book.workingOrders(null)).toEqual([]);
  });

  test('paper mode on a live account, and live mode without both confirmations, are refused', async () => {
    h = await ibHarness({ gateway: { account: 'U7654321' } });
    const paper = h.make({}, { account: '' });
    await paper.broker.connect();
    await expect(paper.broker.placeOrder({ ref: 'S2', action: 'buy', type: 'market', qty: 1 })).rejects.toMatchObject({ code: 9102, retryable: false });
    await paper.broker.disconnect();
    const live = h.make({ mode: 'live', liveConfirm: 'I understand this trades real money', liveConfirmedOnCli: false }, { account: 'U7654321' });
    await live.broker.connect();
    await expect(live.broker.placeOrder({ ref: 'S3', action: 'buy', type: 'market', qty: 1 })).rejects.toMatchObject({ code: 9103, retryable: false });
  });
});
