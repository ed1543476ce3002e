import { describe, expect, test } from 'bun:test';
import { Decoder } from '@stoqey/ib/dist/core/io/decoder';
import { fieldText, type Field } from '../../../src/broker/ib-sim/codec.ts';
import { mesContract } from '../../../src/broker/ib-sim/contracts.ts';
import { SERVER_VERSION } from '../../../src/broker/ib-sim/requests.ts';
import * as out from '../../../src/broker/ib-sim/responses.ts';

/**
 * Every gateway message through @stoqey/ib's own decoder at the negotiated version: the decoder
 * reports a message with too few fields ("underrun") or too many ("unprocessed data") as an
 * error, so a field list that drifts from the library's is caught here, not in a trading test.
 */
function decode(fields: readonly Field[]): { events: Array<{ name: string; args: unknown[] }>; errors: string[] } {
  const events: Array<{ name: string; args: unknown[] }> = [];
  const errors: string[] = [];
  const decoder = new Decoder({
    serverVersion: SERVER_VERSION,
    emitEvent: (name: string, ...args: unknown[]) => void events.push({ name, args }),
    // The decoder reports its own trouble (underrun, leftover fields) with code 505; TWS errors pass through.
    emitError: (msg: string, code: number, reqId?: number) => void (code === 505 ? errors.push(msg) : events.push({ name: 'error', args: [msg, code, reqId] })),
    emitInfo: (msg: string, code: number) => void events.push({ name: 'info', args: [msg, code] }),
  } as never);
  decoder.enqueueMessage(fields.map(fieldText));
  decoder.process();
  return { events, errors };
}

const contract = mesContract(2026, 3);
const order: out.WireOrder = {
  orderId: 12, clientId: 1, permId: 1_000_000_007, parentId: 11, contract, action: 'SELL', qty: 2, orderType: 'STP', lmtPrice: null, auxPrice: 4990.25,
  tif: 'GTC', ocaGroup: 'E1', account: 'DU1234567', orderRef: 'E1-S', status: 'Submitted', filled: 0, avgFillPrice: 0, lastFillPrice: 0,
};
const exec: out.WireExecution = {
  orderId: 11, clientId: 1, permId: 1_000_000_006, execId: '0000e0001.sim-1', time: '20260105 10:00:00 US/Eastern', timeMs: 0, account: 'DU1234567',
  side: 'BOT', shares: 2, price: 5000.25, cumQty: 2, avgPrice: 5000.25, orderRef: 'E1', contract, commission: 1.24,
};

describe('gateway messages decode cleanly in @stoqey/ib at the negotiated version', () => {
  const cases: Array<[string, Field[], string, (args: unknown[]) => void]> = [
    ['nextValidId', out.nextValidId(7), 'nextValidId', (a) => expect(a).toEqual([7])],
    ['error', out.errorMessage(5, 201, 'Order rejected - reason:x'), 'error', (a) => expect([a[1], a[2]]).toEqual([201, 5])],
    ['contract details', out.contractData(3, contract), 'contractDetails', (a) => expect(a[1]).toMatchObject({ contract: { conId: contract.conId, localSymbol: 'MESH6', lastTradeDateOrContractMonth: '20260320', multiplier: 5 } })],
    ['real-time bar', out.realTimeBar(4, { time: 1_767_600_000, open: 5000, high: 5001, low: 4999.75, close: 5000.5, volume: 12 }), 'realtimeBar', (a) => expect(a.slice(0, 7)).toEqual([4, 1_767_600_000, 5000, 5001, 4999.75, 5000.5, 12])],
    ['order status', out.orderStatus(order), 'orderStatus', (a) => expect(a.slice(0, 5)).toEqual([12, 'Submitted', 0, 2, 0])],
    ['open order', out.openOrder(order), 'openOrder', (a) => expect(a[2]).toMatchObject({ orderId: 12, orderRef: 'E1-S', parentId: 11, ocaGroup: 'E1', auxPrice: 4990.25, totalQuantity: 2, account: 'DU1234567' })],
    ['execution', out.executionData(-1, exec), 'execDetails', (a) => expect(a[2]).toMatchObject({ orderId: 11, execId: exec.execId, side: 'BOT', shares: 2, price: 5000.25, orderRef: 'E1', time: exec.time })],
    ['commission report', out.commissionReport(exec), 'commissionReport', (a) => expect(a[0]).toMatchObject({ execId: exec.execId, commission: 1.24 })],
    ['position', out.position('DU1234567', contract, -2, 25_001.25), 'position', (a) => expect([a[0], a[2], a[3]]).toEqual(['DU1234567', -2, 25_001.25])],
    ['account summary', out.accountSummary(9, 'DU1234567', 'RealizedPnL', '-12.40', 'USD'), 'accountSummary', (a) => expect(a).toEqual([9, 'DU1234567', 'RealizedPnL', '-12.40', 'USD'])],
    ['current time', out.currentTime(1_767_600_000), 'currentTime', (a) => expect(a).toEqual([1_767_600_000])],
  ];
  for (const [name, fields, event, check] of cases) {
    test(`${name}: one ${event} event, no decoder error`, () => {
      const { events, errors } = decode(fields);
      expect(errors).toEqual([]);
      const hit = events.find((e) => e.name === event);
      expect(hit).toBeDefined();
      check(hit!.args);
    });
  }

  test('historical data: each bar, then the end marker', () => {
    const { events, errors } = decode(out.historicalData(6, '20260104 00:00:00', '20260105 00:00:00', [{ time: 1_767_600_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }]));
    expect(errors).toEqual([]);
    const bars = events.filter((e) => e.name === 'historicalData').map((e) => e.args.slice(0, 2));
    expect(bars).toEqual([[6, '1767600000'], [6, 'finished-20260104 00:00:00-20260105 00:00:00']]);
  });

  test('end markers decode', () => {
    for (const f of [out.contractDataEnd(1), out.openOrderEnd(), out.executionDataEnd(1), out.positionEnd(), out.accountSummaryEnd(1)]) expect(decode(f).errors).toEqual([]);
  });

  test('a message with one field too many is caught by the decoder (the check above is not vacuous)', () => {
    expect(decode([...out.orderStatus(order), 'extra']).errors.length).toBe(1);
  });
});
