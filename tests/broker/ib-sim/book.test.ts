import { describe, expect, test } from 'bun:test';
import type { Bar } from '../../../src/domain/bar.ts';
import { GatewayBook, type Outgoing } from '../../../src/broker/ib-sim/book.ts';
import { listedContracts } from '../../../src/broker/ib-sim/contracts.ts';
import { IdSource } from '../../../src/broker/ib-sim/ids.ts';
import type { OrderFields } from '../../../src/broker/ib-sim/requests.ts';

/**
 * The gateway's order book as IB documents it: a bracket is held until its last order arrives
 * with transmit=true, children stay inactive until the parent fills, an order sent again under
 * its id is modified in place, and an order that joins an OCA group cancels the rest when it fills.
 */

const T0 = Date.UTC(2026, 0, 5, 15);
const contract = listedContracts(T0)[0]!;
const book = () => new GatewayBook({ account: 'DU1', slippageTicks: 0, commissionPerContract: 0.62, timeZone: 'US/Eastern', execTimeStyle: 'zoned', idSeed: 42_000, commissionDelayMs: 0 });
const order = (o: Partial<OrderFields>): OrderFields => ({ action: 'BUY', qty: 1, orderType: 'MKT', lmtPrice: null, auxPrice: null, tif: 'DAY', ocaGroup: '', ocaType: 0, account: 'DU1', orderRef: 'X', transmit: true, parentId: 0, ...o });
const bar = (i: number, o: number, h: number, l: number, c: number): Bar => ({ time: T0 + i * 60_000, open: o, high: h, low: l, close: c, volume: 100 });
const fieldsOf = (msgs: Outgoing[], v = 193) => msgs.map((m) => m.msg(v));
const statuses = (msgs: Outgoing[]) => fieldsOf(msgs).filter((f) => f[0] === 3).map((f) => [f[1], f[2]]);

function bracket(b: GatewayBook): void {
  expect(b.place(1, 10, contract, order({ orderRef: 'B', transmit: false }))).toEqual([]);
  expect(b.place(1, 11, contract, order({ orderRef: 'B-S', action: 'SELL', orderType: 'STP', auxPrice: 4990, tif: 'GTC', ocaGroup: 'B', ocaType: 2, parentId: 10, transmit: false }))).toEqual([]);
  // Nothing works at the exchange until the last order of the bracket is transmitted.
  expect(b.exchange.openOrders()).toEqual([]);
  b.place(1, 12, contract, order({ orderRef: 'B-T', action: 'SELL', orderType: 'LMT', lmtPrice: 5020, tif: 'GTC', ocaGroup: 'B', ocaType: 2, parentId: 10, transmit: true }));
}

describe('the gateway book', () => {
  test('a bracket is held until transmitted, then the children wait (PreSubmitted) for the parent fill', () => {
    const b = book();
    bracket(b);
    expect(b.exchange.openOrders().map((o) => [o.ref, o.status])).toEqual([['1:10', 'submitted'], ['1:11', 'pending'], ['1:12', 'pending']]);
    expect(b.workingOrders(1).map((o) => [o.orderRef, o.status])).toEqual([['B', 'Submitted'], ['B-S', 'PreSubmitted'], ['B-T', 'PreSubmitted']]);
    const fill = b.openPhase(bar(0, 5000, 5001, 4999, 5000));
    expect(statuses(fill)).toContainEqual([10, 'Filled']);
    expect(statuses(fill)).toContainEqual([11, 'Submitted']);
    expect(b.exchange.positions()[0]?.qty).toBe(1);
  });

  test('an order sent again under its id is modified in place: same id and permId, new price, never Cancelled', () => {
    const b = book();
    bracket(b);
    b.openPhase(bar(0, 5000, 5001, 4999, 5000));
    const permId = b.workingOrders(1).find((o) => o.orderId === 11)!.permId;
    const msgs = b.place(1, 11, contract, order({ orderRef: 'B-S', action: 'SELL', orderType: 'STP', auxPrice: 4995.5, tif: 'GTC', ocaGroup: 'B', ocaType: 2, parentId: 10 }));
    expect(statuses(msgs)).toEqual([[11, 'Submitted']]);
    const stop = b.workingOrders(1).find((o) => o.orderId === 11)!;
    expect([stop.auxPrice, stop.permId]).toEqual([4995.5, permId]);
    expect(b.exchange.openOrders().find((o) => o.type === 'stop')?.price).toBe(4995.5);
    // The moved stop is the one that triggers.
    const hit = b.rangePhase(bar(1, 5000, 5000, 4995, 4996));
    expect(statuses(hit)).toContainEqual([11, 'Filled']);
    expect(statuses(hit)).toContainEqual([12, 'Cancelled']);
  });

  test('an exit that joins the OCA group cancels both legs when it fills; a leg that fills first cancels the exit', () => {
    const b = book();
    bracket(b);
    b.openPhase(bar(0, 5000, 5001, 4999, 5000));
    b.place(1, 13, contract, order({ orderRef: 'B-X', action: 'SELL', ocaGroup: 'B', ocaType: 2 }));
    const out = b.openPhase(bar(1, 5002, 5003, 5001, 5002));
    expect(statuses(out)).toEqual(expect.arrayContaining([[13, 'Filled'], [11, 'Cancelled'], [12, 'Cancelled']]));
    expect(b.exchange.positions()).toEqual([]);

    const c = book();
    bracket(c);
    c.openPhase(bar(0, 5000, 5001, 4999, 5000));
    // A limit exit in the group that does not fill, while the target does.
    c.place(1, 13, contract, order({ orderRef: 'B-X', action: 'SELL', orderType: 'LMT', lmtPrice: 5030, ocaGroup: 'B', ocaType: 2 }));
    const legFirst = c.rangePhase(bar(1, 5010, 5021, 5009, 5020));
    expect(statuses(legFirst)).toEqual(expect.arrayContaining([[12, 'Filled'], [11, 'Cancelled'], [13, 'Cancelled']]));
  });

  test('OCA type 2: an exit for part of the position reduces both legs by its size instead of cancelling them', () => {
    const b = book();
    expect(b.place(1, 10, contract, order({ orderRef: 'B', qty: 2, transmit: false }))).toEqual([]);
    b.place(1, 11, contract, order({ orderRef: 'B-S', action: 'SELL', qty: 2, orderType: 'STP', auxPrice: 4990, tif: 'GTC', ocaGroup: 'B', ocaType: 2, parentId: 10, transmit: false }));
    b.place(1, 12, contract, order({ orderRef: 'B-T', action: 'SELL', qty: 2, orderType: 'LMT', lmtPrice: 5020, tif: 'GTC', ocaGroup: 'B', ocaType: 2, parentId: 10 }));
    b.openPhase(bar(0, 5000, 5001, 4999, 5000));
    b.place(1, 13, contract, order({ orderRef: 'B-X', action: 'SELL', qty: 1, ocaGroup: 'B', ocaType: 2 }));
    const out = b.openPhase(bar(1, 5002, 5003, 5001, 5002));
    expect(statuses(out)).not.toContainEqual([11, 'Cancelled']);
    expect(b.workingOrders(1).map((o) => [o.orderId, o.qty, o.status])).toEqual([[11, 1, 'Submitted'], [12, 1, 'Submitted']]);
    expect(b.exchange.positions()[0]?.qty).toBe(1);
    // The reduced stop closes the rest; the target goes.
    const hit = b.rangePhase(bar(2, 5000, 5000, 4989, 4990));
    expect(statuses(hit)).toEqual(expect.arrayContaining([[11, 'Filled'], [12, 'Cancelled']]));
    expect(b.exchange.positions()).toEqual([]);
  });

  test('Inactive then Submitted when asked; status before execution when asked', () => {
    const b = book();
    b.faults.inactiveFirstNext = true;
    const placed = b.place(1, 20, contract, order({ orderRef: 'I', orderType: 'LMT', lmtPrice: 4000 }));
    expect(statuses(placed).map((s) => s[1])).toEqual(['Inactive', 'Submitted']);
    b.faults.statusFirst = true;
    b.place(1, 21, contract, order({ orderRef: 'M' }));
    const ids = fieldsOf(b.openPhase(bar(0, 5000, 5001, 4999, 5000))).map((f) => f[0]);
    expect(ids.indexOf(3)).toBeLessThan(ids.indexOf(11));
  });

  test('execution and perm ids of two gateway instances never meet (a restarted process reuses none)', () => {
    const a = new IdSource(1_767_600_000_000);
    const b = new IdSource(1_767_600_001_000);
    const ea = Array.from({ length: 50 }, () => a.execId());
    const eb = Array.from({ length: 50 }, () => b.execId());
    expect(ea.filter((id) => eb.includes(id))).toEqual([]);
    const pa = Array.from({ length: 50 }, () => a.permId());
    const pb = Array.from({ length: 50 }, () => b.permId());
    expect(pa.filter((id) => pb.includes(id))).toEqual([]);
    expect(ea[0]).toMatch(/^[0-9a-f]{8}\.[0-9a-f]{8}\.[0-9a-f]{4}\.01$/);
  });
});
