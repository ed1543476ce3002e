import { afterEach, describe, expect, test } from 'bun:test';
import { IB_ADAPTER } from '../../../src/broker/ib/codes.ts';
import type { FutureContract } from '../../../src/broker/ib/contract.ts';
import { closeDeadline, expiryTime, pickFrontMonth } from '../../../src/broker/ib/contract.ts';
import { closeDue, closeNotice, decideRoll } from '../../../src/broker/ib/roll.ts';
import { mesContract } from '../../../src/broker/ib-sim/contracts.ts';
import { TESTED_VERSIONS } from '../../../src/broker/ib-sim/versions.ts';
import { ibHarness, until } from './harness.ts';

/**
 * Risk 9, the roll while running: never two contracts at once, no entries in the expiring one
 * after its roll day, and a reconnect past the roll day does not switch contracts under an open
 * position. MESH6's last trading day is 20 March 2026; with 8 roll days the bot moves to MESM6
 * from 12 March 00:00 UTC.
 */

const fut = (y: number, m: number): FutureContract => {
  const c = mesContract(y, m);
  return { conId: c.conId, symbol: c.symbol, localSymbol: c.localSymbol, lastTradeDate: c.lastTradeDate, multiplier: c.multiplier, exchange: c.exchange, currency: c.currency };
};
const H6 = fut(2026, 3);
const M6 = fut(2026, 6);
const listed = [H6, M6];
const BEFORE = Date.UTC(2026, 2, 11, 12);
const AFTER = Date.UTC(2026, 2, 12, 12);

describe('the roll rule', () => {
  test('flat: the front month by the roll days; a change of contract is flagged', () => {
    expect(decideRoll(null, { listed, now: BEFORE, rollDays: 8, closeHours: 24, positions: [] })).toEqual({ kind: 'trade', contract: H6, changed: false });
    expect(decideRoll(H6, { listed, now: AFTER, rollDays: 8, closeHours: 24, positions: [] })).toEqual({ kind: 'trade', contract: M6, changed: true });
  });

  test('a position open in the rolled contract holds it (exits there), at connect too; entries wait', () => {
    expect(decideRoll(H6, { listed, now: AFTER, rollDays: 8, closeHours: 24, positions: [{ conId: H6.conId, qty: -2 }] })).toEqual({ kind: 'hold', contract: H6, next: M6, qty: -2 });
    expect(decideRoll(null, { listed, now: AFTER, rollDays: 8, closeHours: 24, positions: [{ conId: H6.conId, qty: 1 }] })).toMatchObject({ kind: 'hold', contract: H6 });
    // A position already in the new front month is simply traded on.
    expect(decideRoll(null, { listed, now: AFTER, rollDays: 8, closeHours: 24, positions: [{ conId: M6.conId, qty: 1 }] })).toEqual({ kind: 'trade', contract: M6, changed: false });
  });
});

describe('closing a position held in the expiring contract', () => {
  // MESH6 stops trading 20 March 2026 09:30 New York = 13:30 UTC (daylight time from 8 March).
  const EXPIRY = Date.UTC(2026, 2, 20, 13, 30);
  const DEADLINE = EXPIRY - 24 * 3_600_000;
  const held = (now: number) => decideRoll(H6, { listed, now, rollDays: 8, closeHours: 24, positions: [{ conId: H6.conId, qty: 1 }] });

  test('the deadline is closeHours before 09:30 New York on the last trading day', () => {
    expect(expiryTime(H6)).toBe(EXPIRY);
    expect(closeDeadline(H6, 24)).toBe(DEADLINE);
    // Standard time: MESZ6 stops 18 December 2026 09:30 New York = 14:30 UTC.
    expect(expiryTime(fut(2026, 12))).toBe(Date.UTC(2026, 11, 18, 14, 30));
  });

  test('not due a millisecond before the deadline, due at it exactly and after it', () => {
    expect(closeDue(held(DEADLINE - 1), DEADLINE - 1, 24)).toBeNull();
    expect(closeDue(held(DEADLINE), DEADLINE, 24)).toEqual({ contract: H6, next: M6, qty: 1, expiry: EXPIRY, deadline: DEADLINE });
    expect(closeDue(held(DEADLINE + 60_000), DEADLINE + 60_000, 24)).toMatchObject({ contract: H6, qty: 1 });
  });

  test('nothing to close when flat or when the position is in the contract traded', () => {
    expect(closeDue(decideRoll(H6, { listed, now: DEADLINE, rollDays: 8, closeHours: 24, positions: [] }), DEADLINE, 24)).toBeNull();
    expect(closeDue(decideRoll(M6, { listed, now: DEADLINE, rollDays: 8, closeHours: 24, positions: [{ conId: M6.conId, qty: 2 }] }), DEADLINE, 24)).toBeNull();
  });

  test('a deadline before the roll day moves entries on at the deadline, so none is made in a contract being closed', () => {
    // 1 roll day = from 19 March 00:00 UTC; 48 hours = deadline 18 March 13:30 UTC, earlier.
    const early = EXPIRY - 48 * 3_600_000;
    expect(pickFrontMonth(listed, early - 1, 1, 48)).toEqual(H6);
    expect(pickFrontMonth(listed, early, 1, 48)).toEqual(M6);
    expect(pickFrontMonth(listed, early, 1)).toEqual(H6);
    const d = decideRoll(H6, { listed, now: early, rollDays: 1, closeHours: 48, positions: [{ conId: H6.conId, qty: -1 }] });
    expect(closeDue(d, early, 48)).toMatchObject({ contract: H6, next: M6, qty: -1, deadline: early });
  });

  test('the notice names the contract, its expiry, the deadline, what is done and where entries go', () => {
    const due = closeDue(held(DEADLINE), DEADLINE, 24)!;
    expect(closeNotice(due, 'close', 24)).toBe(
      'MESH6 expires 2026-03-20 13:30 UTC (last trading day 20260320) and 1 contract(s) long are still open in it past the close deadline 2026-03-19 13:30 UTC (ib.closeHoursBeforeExpiry 24): ib.expiringPosition is close, so the position is being closed at market; entries resume in MESM6',
    );
  });
});

let h: Awaited<ReturnType<typeof ibHarness>> | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe.each(TESTED_VERSIONS)('across the roll date at server version %i', (v) => {
  test('entries stop in MESH6 after its roll day while a position is open, the exit goes to MESH6, then entries move to MESM6', async () => {
    h = await ibHarness({ gateway: { minVersion: v, maxVersion: v, start: Date.UTC(2026, 2, 11, 23, 20), warmupBars: 30, regime: 'sideways' } });
    await h.broker.connect();
    await h.broker.placeOrder({ ref: 'L1', action: 'buy', type: 'market', qty: 1, reason: 'entry' });
    await until(() => h!.gw.book.workingOrders(1).length === 1, 'the entry at the gateway');
    await h.gw.step();
    await until(() => h!.events.fill.length === 1, 'the entry fill');
    expect(h.gw.book.executions[0]!.contract.localSymbol).toBe('MESH6');
    // Past 12 March 00:00 UTC.
    for (let i = 0; i < 15; i++) await h.gw.step();
    const price = h.gw.book.exchange.clock.lastPrice!;
    const bracket = (ref: string) => ({
      entry: { ref, action: 'buy' as const, type: 'market' as const, qty: 1, reason: 'entry' as const },
      stop: { ref: `${ref}-S`, action: 'sell' as const, type: 'stop' as const, qty: 1, price: price - 25, ocaGroup: ref, parentRef: ref },
      target: { ref: `${ref}-T`, action: 'sell' as const, type: 'limit' as const, qty: 1, price: price + 50, ocaGroup: ref, parentRef: ref },
    });
    await expect(h.broker.placeBracket(bracket('L2'))).rejects.toMatchObject({ code: IB_ADAPTER.rollPending });
    await expect(h.broker.placeBracket(bracket('L3'))).rejects.toMatchObject({ code: IB_ADAPTER.rollPending });
    // One alert for the operator, not one per refused entry.
    expect(h.events.error.filter((e) => e.code === IB_ADAPTER.rollPending && !e.retryable).length).toBe(1);

    // A reconnect after the roll day keeps the contract of the open position.
    await h.broker.disconnect();
    await h.broker.connect();
    await h.broker.placeOrder({ ref: 'L1-X', action: 'sell', type: 'market', qty: 1, reason: 'flatten' });
    await until(() => h!.gw.book.workingOrders(1).length === 1, 'the exit at the gateway');
    await h.gw.step();
    await until(() => h!.events.fill.length === 2, 'the exit fill');
    expect(h.gw.book.executions[1]!.contract.localSymbol).toBe('MESH6');
    expect(h.gw.book.exchange.positions()).toEqual([]);

    // Flat: the next entry goes to the new front month.
    await h.broker.placeBracket(bracket('L4'));
    await until(() => h!.gw.book.workingOrders(1).length === 3, 'the bracket');
    expect(new Set(h.gw.book.workingOrders(1).map((o) => o.contract.localSymbol))).toEqual(new Set(['MESM6']));
  });
});
