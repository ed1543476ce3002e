import { describe, expect, test } from 'bun:test';
import { classify, isRetryable } from '../../../src/broker/ib/codes.ts';
import { pickFrontMonth, type FutureContract } from '../../../src/broker/ib/contract.ts';
import { startOfDay, zoneOfConnectionTime } from '../../../src/broker/ib/ib-time.ts';
import { expiryDate, filterTime, futContract, futureFromDetails, historyDuration, parseIbTime, refOf, statusOf, toIbOrder } from '../../../src/broker/ib/mapper.ts';
import { OrderTracker } from '../../../src/broker/ib/orders.ts';
import { tradableAccount } from '../../../src/broker/ib/safety.ts';
import { ExecDetailsArgs, OrderStatusArgs, parseArgs, RealtimeBarArgs } from '../../../src/broker/ib/schemas.ts';
import { LIVE_CONFIRMATION } from '../../../src/config/schema.ts';

const fut = (localSymbol: string, lastTradeDate: string, extra: Partial<FutureContract> = {}): FutureContract => ({
  conId: Number(lastTradeDate), symbol: 'MES', localSymbol, lastTradeDate, multiplier: 5, exchange: 'CME', currency: 'USD', ...extra,
});

describe('schemas: what the library hands over is checked', () => {
  test('a well-formed execution passes', () => {
    const args = [-1, { symbol: 'MES' }, { orderId: 3, execId: 'e1', time: '20260105 10:00:00 US/Eastern', side: 'BOT', shares: 1, price: 5000.25, orderRef: 'E1' }];
    expect(parseArgs(ExecDetailsArgs, args, 'execution').ok).toBe(true);
  });

  test('a garbled execution (NaN price) is refused with the field and the value named', () => {
    const args = [-1, { symbol: 'MES' }, { orderId: 3, execId: 'e1', time: 't', side: 'BOT', shares: 1, price: Number.NaN }];
    const r = parseArgs(ExecDetailsArgs, args, 'execution');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/malformed execution: argument 2\.price .*NaN|null/);
  });

  test('an unknown side or a negative fill quantity is refused', () => {
    const base = { orderId: 3, execId: 'e1', time: 't', side: 'BOT', shares: 1, price: 1 };
    expect(parseArgs(ExecDetailsArgs, [-1, {}, { ...base, side: 'BUY' }], 'execution').ok).toBe(false);
    expect(parseArgs(ExecDetailsArgs, [-1, {}, { ...base, shares: -1 }], 'execution').ok).toBe(false);
  });

  test('order status and real-time bars: numbers must be numbers', () => {
    expect(parseArgs(OrderStatusArgs, [1, 'Filled', 1, 0, 5000], 'orderStatus').ok).toBe(true);
    expect(parseArgs(OrderStatusArgs, [1, 'Filled', 'one', 0, 5000], 'orderStatus').ok).toBe(false);
    expect(parseArgs(RealtimeBarArgs, [1, 1_767_600_000, 1, 2, 0.5, 1.5, 10], 'bar').ok).toBe(true);
    expect(parseArgs(RealtimeBarArgs, [1, 1_767_600_000, 1, 2, 0, 1.5, 10], 'bar').ok).toBe(false);
  });
});

describe('mapper', () => {
  test('IB times: epoch seconds, UTC filter format, and zoned execution times', () => {
    expect(parseIbTime('1767600000')).toBe(1_767_600_000_000);
    expect(parseIbTime('20260105-15:00:00')).toBe(Date.UTC(2026, 0, 5, 15));
    expect(parseIbTime('20260105 10:00:00 US/Eastern')).toBe(Date.UTC(2026, 0, 5, 15));
    expect(parseIbTime('20260705 10:00:00 US/Eastern')).toBe(Date.UTC(2026, 6, 5, 14));
    expect(parseIbTime('20260105 10:00:00 Mars/Olympus')).toBeNull();
    expect(parseIbTime('yesterday')).toBeNull();
    expect(filterTime(Date.UTC(2026, 0, 5, 15, 4, 5, 999))).toBe('20260105-15:04:05');
  });

  test('risk 4: every zone spelling TWS uses, and the zone-less format in the gateway zone', () => {
    const t = Date.UTC(2026, 0, 5, 15);
    for (const z of ['US/Eastern', 'America/New_York', 'EST', 'EST5EDT']) expect(parseIbTime(`20260105 10:00:00 ${z}`)).toBe(t);
    expect(parseIbTime('20260705 10:00:00 EDT')).toBe(Date.UTC(2026, 6, 5, 14));
    expect(parseIbTime('20260105 09:00:00 CST')).toBe(t);
    expect(parseIbTime('20260105 16:00:00 CET')).toBe(t);
    expect(parseIbTime('20260105 16:00:00 GMT+1')).toBe(t);
    expect(parseIbTime('20260105 23:00:00 HKT')).toBe(t);
    // The older format: two spaces, no zone, in the gateway's zone (from the handshake).
    expect(parseIbTime('20260105  10:00:00', 'America/New_York')).toBe(t);
    expect(parseIbTime('20260105  16:00:00', 'Europe/Berlin')).toBe(t);
    expect(zoneOfConnectionTime('20260105 10:00:00 EST')).toBe('America/New_York');
    expect(zoneOfConnectionTime('20260105 16:00:00 CET')).toBe('Europe/Berlin');
    expect(zoneOfConnectionTime('')).toBeNull();
    expect(startOfDay(t, 'America/New_York')).toBe(Date.UTC(2026, 0, 5, 5));
  });

  test('risk 2: the contract is named by conId, exchange and the 8-digit expiry, never the expiry text', () => {
    expect(expiryDate('20260320 08:30:00 US/Central')).toBe('20260320');
    expect(expiryDate('20260320-08:30:00')).toBe('20260320');
    expect(expiryDate('202603')).toBeNull();
    const details = { contract: { conId: 700_202_603, symbol: 'MES', lastTradeDateOrContractMonth: '20260320 08:30:00 US/Central', multiplier: '5', exchange: 'CME', currency: 'USD', localSymbol: 'MESH6' } };
    const fut = futureFromDetails(details as never)!;
    expect(fut.lastTradeDate).toBe('20260320');
    expect(futContract(fut)).toMatchObject({ conId: 700_202_603, exchange: 'CME', lastTradeDateOrContractMonth: '20260320' });
  });

  test('status words: working, partial, final; unknown words are not guessed', () => {
    expect(statusOf('PreSubmitted', 0, 1)).toBe('submitted');
    expect(statusOf('Submitted', 1, 1)).toBe('partially_filled');
    expect(statusOf('Filled', 2, 0)).toBe('filled');
    expect(statusOf('ApiCancelled', 0, 1)).toBe('cancelled');
    expect(statusOf('Inactive', 0, 1)).toBe('pending');
    expect(statusOf('Exploded', 0, 1)).toBeNull();
  });

  test('our order as IB order: ref in orderRef, GTC protection in an OCA group that reduces', () => {
    const stop = toIbOrder({ ref: 'E1-S', action: 'sell', type: 'stop', qty: 2, price: 4990.25, ocaGroup: 'E1', parentRef: 'E1' }, 'DU1');
    expect(stop).toMatchObject({ action: 'SELL', orderType: 'STP', auxPrice: 4990.25, totalQuantity: 2, tif: 'GTC', ocaGroup: 'E1', ocaType: 2, orderRef: 'E1-S', account: 'DU1', transmit: true });
    expect(stop.parentId).toBeUndefined();
    const target = toIbOrder({ ref: 'E1-T', action: 'sell', type: 'limit', qty: 2, price: 5010, parentRef: 'E1' }, 'DU1', { parentId: 41, transmit: false });
    expect(target).toMatchObject({ orderType: 'LMT', lmtPrice: 5010, parentId: 41, transmit: false });
    expect(toIbOrder({ ref: 'E2', action: 'buy', type: 'market', qty: 1 }, 'DU1')).toMatchObject({ orderType: 'MKT', tif: 'DAY' });
    expect(refOf('', 17)).toBe('ib:17');
    expect(refOf('E1', 17)).toBe('E1');
  });

  test('history asks for enough calendar days to cover the weekend', () => {
    expect(historyDuration(1, 500)).toBe('4 D');
    expect(historyDuration(5, 2000)).toBe('11 D');
  });
});

describe('front month with roll', () => {
  const listed = [fut('MESM6', '20260618'), fut('MESH6', '20260320'), fut('MESU6', '20260918')];

  test('the nearest expiry while it is more than rollDays away', () => {
    expect(pickFrontMonth(listed, Date.UTC(2026, 2, 1), 8).localSymbol).toBe('MESH6');
  });

  test('within rollDays of the expiry, the next quarter', () => {
    expect(pickFrontMonth(listed, Date.UTC(2026, 2, 12, 12), 8).localSymbol).toBe('MESM6');
    expect(pickFrontMonth(listed, Date.UTC(2026, 2, 12, 12), 0).localSymbol).toBe('MESH6');
  });

  test('other multipliers and currencies never qualify; nothing tradable is an error naming what was listed', () => {
    expect(pickFrontMonth([fut('ESH6', '20260320', { multiplier: 50 }), ...listed.slice(0, 1)], Date.UTC(2026, 2, 1), 8).localSymbol).toBe('MESM6');
    expect(() => pickFrontMonth([fut('MESH6', '20260320')], Date.UTC(2026, 2, 19), 8)).toThrow(/MESH6 \(20260320\).*rollDaysBeforeExpiry/);
  });
});

describe('safety: which account may be traded', () => {
  const base = { mode: 'paper' as const, configured: 'DU111', managed: ['DU111'], liveConfirm: undefined, liveConfirmedOnCli: false };

  test('the configured paper account is traded', () => {
    expect(tradableAccount(base)).toBe('DU111');
    expect(tradableAccount({ ...base, configured: '' })).toBe('DU111');
  });

  test('a gateway logged in to another account is refused, not retryable', () => {
    const r = tradableAccount({ ...base, managed: ['DU999'] });
    expect(r).toBeInstanceOf(Error);
    expect(r).toMatchObject({ code: 9101, retryable: false });
  });

  test('paper mode on a live (non-DU) account is refused', () => {
    expect(tradableAccount({ ...base, configured: 'U123', managed: ['U123'] })).toMatchObject({ code: 9102, retryable: false });
  });

  test('live needs the config sentence and the command-line flag', () => {
    const live = { ...base, mode: 'live' as const, configured: 'U123', managed: ['U123'] };
    expect(tradableAccount({ ...live, liveConfirm: LIVE_CONFIRMATION })).toMatchObject({ code: 9103 });
    expect(tradableAccount({ ...live, liveConfirmedOnCli: true })).toMatchObject({ code: 9103 });
    expect(tradableAccount({ ...live, liveConfirm: LIVE_CONFIRMATION, liveConfirmedOnCli: true })).toBe('U123');
  });
});

describe('codes', () => {
  test('connectivity codes and their recovery', () => {
    expect(classify(1100)).toEqual({ kind: 'routingLost' });
    expect(classify(1101)).toEqual({ kind: 'restored', dataLost: true });
    expect(classify(1102)).toEqual({ kind: 'restored', dataLost: false });
    for (const c of [2103, 2105, 2157]) expect(classify(c).kind).toBe('farmDown');
    for (const c of [2104, 2106, 2158]) expect(classify(c).kind).toBe('farmOk');
    for (const c of [2107, 2108, 2119]) expect(classify(c).kind).toBe('farmIdle');
    expect(isRetryable(326)).toBe(true);
    expect(isRetryable(162)).toBe(true);
    expect(isRetryable(201)).toBe(false);
  });
});

describe('order tracker', () => {
  test('a repeated status is passed on once; a final status is never left', () => {
    const t = new OrderTracker();
    const o = t.register('E1', 5);
    expect(t.update(o, 'submitted', 0, null, 1)).toMatchObject({ ref: 'E1', status: 'submitted', brokerId: 5 });
    expect(t.update(o, 'submitted', 0, null, 2)).toBeNull();
    expect(t.update(o, 'filled', 1, 5000, 3)).toMatchObject({ status: 'filled', filledQty: 1, avgFillPrice: 5000 });
    expect(t.update(o, 'submitted', 1, 5000, 4)).toBeNull();
    expect(t.update(o, 'filled', 1, 5000, 5)).toBeNull();
  });

  test('an order learnt from openOrder after a restart can be found by id and by ref', () => {
    const t = new OrderTracker();
    t.learn('E9-S', 44, 'submitted');
    expect(t.byOrderId(44)?.ref).toBe('E9-S');
    expect(t.get('E9-S')?.orderId).toBe(44);
  });
});
