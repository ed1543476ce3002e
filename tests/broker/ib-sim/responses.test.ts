import { describe, expect, test } from 'bun:test';
import { MAX_SUPPORTED_SERVER_VERSION } from '@stoqey/ib/dist/api/api';
import { mesContract } from '../../../src/broker/ib-sim/contracts.ts';
import * as mm from '../../../src/broker/ib-sim/market-messages.ts';
import * as om from '../../../src/broker/ib-sim/order-messages.ts';
import * as out from '../../../src/broker/ib-sim/responses.ts';
import { MAX_SERVER_VERSION, MIN_SERVER_VERSION, TESTED_VERSIONS } from '../../../src/broker/ib-sim/versions.ts';
import { decodeAt } from './stoqey-codec.ts';

/**
 * Every gateway message through @stoqey/ib's own decoder at each server version where a field
 * list changes: the decoder reports a message with too few fields ("underrun") or too many
 * ("unprocessed data"), so a layout that drifts from IB's at any version is caught here.
 */

/** The versions that add or drop a field of a message the gateway sends, and the tested ones. */
const VERSIONS = [...new Set([100, 102, 103, 106, 110, 111, 121, 122, 124, 126, 131, 134, 136, 141, 142, 145, 148, 151, 152, 157, 158, 160, 162, 163, 164, 166, 170, 176, 177, 178, 182, 183, 184, 185, 186, 187, 189, 192, 193, ...TESTED_VERSIONS])].sort((a, b) => a - b);

const contract = mesContract(2026, 3);
const order: om.WireOrder = {
  orderId: 12, clientId: 1, permId: 1_000_000_007, parentId: 11, contract, action: 'SELL', qty: 2, orderType: 'STP', lmtPrice: null, auxPrice: 4990.25,
  tif: 'GTC', ocaGroup: 'E1', ocaType: 2, account: 'DU1234567', orderRef: 'E1-S', status: 'Submitted', filled: 0, avgFillPrice: 0, lastFillPrice: 0,
};
const exec: om.WireExecution = {
  orderId: 11, clientId: 1, permId: 1_000_000_006, execId: '0000e0d5.65a1b2c3.0001.01', time: '20260105 10:00:00 US/Eastern', timeMs: 0, account: 'DU1234567',
  side: 'BOT', shares: 2, price: 5000.25, cumQty: 2, avgPrice: 5000.25, orderRef: 'E1', contract, commission: 1.24,
};

test('the gateway speaks up to the highest version @stoqey/ib offers', () => {
  expect(MAX_SERVER_VERSION).toBe(MAX_SUPPORTED_SERVER_VERSION);
  expect(MIN_SERVER_VERSION).toBe(100);
});

describe.each(VERSIONS)('gateway messages decode cleanly in @stoqey/ib at server version %i', (v) => {
  const cases: Array<[string, out.Message, string, (args: unknown[]) => void]> = [
    ['nextValidId', out.nextValidId(7), 'nextValidId', (a) => expect(a).toEqual([7])],
    ['error', out.errorMessage(5, 201, 'Order rejected - reason:x'), 'error', (a) => expect([a[1], a[2]]).toEqual([201, 5])],
    // @stoqey/ib keeps the whole expiry text (it splits on the literal "\\s+"): the adapter must not send it back.
    ['contract details', out.contractData(3, contract), 'contractDetails', (a) => expect(a[1]).toMatchObject({ contract: { conId: contract.conId, localSymbol: 'MESH6', lastTradeDateOrContractMonth: '20260320 08:30:00 US/Central', multiplier: 5 } })],
    ['real-time bar', mm.realTimeBar(4, { time: 1_767_600_000, open: 5000, high: 5001, low: 4999.75, close: 5000.5, volume: 12 }), 'realtimeBar', (a) => expect(a.slice(0, 7)).toEqual([4, 1_767_600_000, 5000, 5001, 4999.75, 5000.5, 12])],
    ['order status', om.orderStatus(order), 'orderStatus', (a) => expect(a.slice(0, 5)).toEqual([12, 'Submitted', 0, 2, 0])],
    ['open order', om.openOrder(order), 'openOrder', (a) => {
      expect(a[2]).toMatchObject({ orderId: 12, orderRef: 'E1-S', parentId: 11, ocaGroup: 'E1', ocaType: 2, auxPrice: 4990.25, totalQuantity: 2, account: 'DU1234567', permId: 1_000_000_007 });
      expect(a[3]).toMatchObject({ status: 'Submitted' });
    }],
    ['execution', om.executionData(-1, exec), 'execDetails', (a) => expect(a[2]).toMatchObject({ orderId: 11, execId: exec.execId, side: 'BOT', shares: 2, price: 5000.25, orderRef: 'E1', time: exec.time, permId: 1_000_000_006 })],
    ['commission report', om.commissionReport(exec), 'commissionReport', (a) => expect(a[0]).toMatchObject({ execId: exec.execId, commission: 1.24 })],
    ['position', out.position('DU1234567', contract, -2, 25_001.25), 'position', (a) => expect([a[0], a[2], a[3]]).toEqual(['DU1234567', -2, 25_001.25])],
    ['account summary', out.accountSummary(9, 'DU1234567', 'RealizedPnL', '-12.40', 'USD'), 'accountSummary', (a) => expect(a).toEqual([9, 'DU1234567', 'RealizedPnL', '-12.40', 'USD'])],
    ['current time', out.currentTime(1_767_600_000), 'currentTime', (a) => expect(a).toEqual([1_767_600_000])],
    ['tick price', mm.tickPrice(8, mm.TICK.LAST, 5000.25, 3), 'tickPrice', (a) => expect(a.slice(0, 3)).toEqual([8, mm.TICK.LAST, 5000.25])],
    ['tick size', mm.tickSize(8, mm.TICK.VOLUME, 100), 'tickSize', (a) => expect(a).toEqual([8, mm.TICK.VOLUME, 100])],
    ['market data type', mm.marketDataType(8, 3), 'marketDataType', (a) => expect(a).toEqual([8, 3])],
    ['account value', out.accountValue('RealizedPnL', '1.00', 'USD', 'DU1'), 'updateAccountValue', (a) => expect(a).toEqual(['RealizedPnL', '1.00', 'USD', 'DU1'])],
    ['account time', out.accountUpdateTime('10:01'), 'updateAccountTime', (a) => expect(a).toEqual(['10:01'])],
    ['account download end', out.accountDownloadEnd('DU1'), 'accountDownloadEnd', (a) => expect(a).toEqual(['DU1'])],
    ['account updates multi end', out.accountUpdateMultiEnd(4), 'accountUpdateMultiEnd', (a) => expect(a).toEqual(['4'])],
    ['completed orders end', out.completedOrdersEnd(), 'completedOrdersEnd', (a) => expect(a).toEqual([])],
  ];
  for (const [name, msg, event, check] of cases) {
    test(`${name}: one ${event} event, no decoder error`, () => {
      const { events, errors } = decodeAt(v, msg);
      expect(errors).toEqual([]);
      const hit = events.find((e) => e.name === event);
      expect(hit).toBeDefined();
      check(hit!.args);
    });
  }

  test('historical data: each bar, then the end marker', () => {
    const bar = { date: '1767600000', open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 };
    const { events, errors } = decodeAt(v, mm.historicalData(6, '20260104 00:00:00 US/Eastern', '20260105 00:00:00 US/Eastern', [bar, { ...bar, date: '20260105 10:01:00 US/Eastern' }]));
    expect(errors).toEqual([]);
    const bars = events.filter((e) => e.name === 'historicalData').map((e) => e.args.slice(0, 2));
    expect(bars).toEqual([[6, '1767600000'], [6, '20260105 10:01:00 US/Eastern'], [6, 'finished-20260104 00:00:00 US/Eastern-20260105 00:00:00 US/Eastern']]);
  });

  test('end markers decode', () => {
    for (const f of [out.contractDataEnd(1), om.openOrderEnd(), om.executionDataEnd(1), out.positionEnd(), out.accountSummaryEnd(1)]) expect(decodeAt(v, f).errors).toEqual([]);
  });

  test('a message with one field too many is caught by the decoder (the check above is not vacuous)', () => {
    expect(decodeAt(v, [...om.orderStatus(order)(v), 'extra']).errors.length).toBe(1);
    expect(decodeAt(v, [...om.openOrder(order)(v), 'extra']).errors.length).toBe(1);
  });
});

test('a layout is version-specific: the v193 open order is not readable at v100, nor the reverse', () => {
  expect(decodeAt(100, om.openOrder(order)(193)).errors.length).toBeGreaterThan(0);
  expect(decodeAt(193, om.openOrder(order)(100)).errors.length).toBeGreaterThan(0);
});
