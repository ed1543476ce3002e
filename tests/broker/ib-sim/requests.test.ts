import { describe, expect, test } from 'bun:test';
import { decodeRequest } from '../../../src/broker/ib-sim/requests.ts';
import { TESTED_VERSIONS } from '../../../src/broker/ib-sim/versions.ts';
import { encodeAt } from './stoqey-codec.ts';

/**
 * What @stoqey/ib's encoder writes at each server version, read back by the gateway: the fields
 * the gateway acts on (contract, prices, transmit, parentId, OCA) must come out as sent, at the
 * versions where a request loses its version field (124 history, 145 placeOrder, 192 cancel).
 */

const VERSIONS = [...new Set([100, 103, 123, 124, 144, 145, 157, 169, 176, 177, 178, 187, 190, 191, 192, ...TESTED_VERSIONS])].sort((a, b) => a - b);
const contract = { conId: 700_202_603, symbol: 'MES', secType: 'FUT', lastTradeDateOrContractMonth: '20260320', exchange: 'CME', currency: 'USD', multiplier: 5 } as never;

describe.each(VERSIONS)('client requests at server version %i', (v) => {
  test('placeOrder: contract, prices, orderRef, transmit, parentId, ocaGroup and ocaType', () => {
    const order = { action: 'SELL', totalQuantity: 2, orderType: 'STP', auxPrice: 4990.25, tif: 'GTC', ocaGroup: 'B7', ocaType: 2, account: 'DU1234567', orderRef: 'B7-S', transmit: false, parentId: 11, outsideRth: true } as never;
    const req = decodeRequest(encodeAt(v, (e) => e.placeOrder(12, contract, order)), v);
    expect(req).toMatchObject({
      type: 'placeOrder', orderId: 12,
      contract: { conId: 700_202_603, symbol: 'MES', secType: 'FUT', lastTradeDate: '20260320', exchange: 'CME' },
      order: { action: 'SELL', qty: 2, orderType: 'STP', auxPrice: 4990.25, lmtPrice: null, tif: 'GTC', ocaGroup: 'B7', ocaType: 2, account: 'DU1234567', orderRef: 'B7-S', transmit: false, parentId: 11 },
    });
  });

  test('cancelOrder names the order', () => {
    expect(decodeRequest(encodeAt(v, (e) => e.cancelOrder(12, { manualOrderCancelTime: '' } as never)), v)).toEqual({ type: 'cancelOrder', orderId: 12 });
  });

  test('reqHistoricalData: end time, bar size, duration, formatDate', () => {
    const req = decodeRequest(encodeAt(v, (e) => e.reqHistoricalData(5, contract, '20260105-15:00:00', '2 D', '1 min' as never, 'TRADES' as never, 0, 1, false)), v);
    expect(req).toMatchObject({ type: 'historicalData', reqId: 5, endDateTime: '20260105-15:00:00', duration: '2 D', barSize: '1 min', whatToShow: 'TRADES', formatDate: 1 });
  });

  test('reqRealTimeBars, reqMktData, reqContractDetails and reqExecutions', () => {
    expect(decodeRequest(encodeAt(v, (e) => e.reqRealTimeBars(6, contract, 5, 'TRADES' as never, false, [])), v)).toMatchObject({ type: 'realTimeBars', reqId: 6, barSize: 5, contract: { conId: 700_202_603 } });
    expect(decodeRequest(encodeAt(v, (e) => e.reqMktData(7, contract, '233', false, false)), v)).toMatchObject({ type: 'marketData', reqId: 7, genericTicks: '233', snapshot: false, contract: { conId: 700_202_603 } });
    expect(decodeRequest(encodeAt(v, (e) => e.reqContractDetails(8, contract)), v)).toMatchObject({ type: 'contractDetails', reqId: 8, contract: { symbol: 'MES' } });
    const filter = { acctCode: 'DU1234567', time: '20260105-00:00:00', symbol: 'MES', secType: 'FUT' } as never;
    expect(decodeRequest(encodeAt(v, (e) => e.reqExecutions(9, filter)), v)).toEqual({ type: 'executions', reqId: 9, acctCode: 'DU1234567', time: '20260105-00:00:00', symbol: 'MES' });
    expect(decodeRequest(encodeAt(v, (e) => e.reqAccountUpdates(true, 'DU1234567')), v)).toEqual({ type: 'accountUpdates', subscribe: true, account: 'DU1234567' });
    expect(decodeRequest(encodeAt(v, (e) => e.reqAccountUpdatesMulti(10, 'DU1234567', '', false)), v)).toEqual({ type: 'accountUpdatesMulti', reqId: 10 });
    if (v >= 150) expect(decodeRequest(encodeAt(v, (e) => e.reqCompletedOrders(false)), v)).toEqual({ type: 'completedOrders' });
  });
});

test('read at the wrong version, a placeOrder is misread (the version switch above is not vacuous)', () => {
  const order = { action: 'BUY', totalQuantity: 1, orderType: 'MKT', tif: 'DAY', account: 'DU1234567', orderRef: 'X', transmit: true, ocaType: 0 } as never;
  const fields = encodeAt(193, (e) => e.placeOrder(3, contract, order));
  expect(() => decodeRequest(fields, 100)).toThrow();
});
