import { afterEach, describe, expect, test } from 'bun:test';
import { IB_ADAPTER } from '../../../src/broker/ib/codes.ts';
import type { FutureContract } from '../../../src/broker/ib/contract.ts';
import { decideRoll } from '../../../src/broker/ib/roll.ts';
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
    expect(decideRoll(null, { listed, now: BEFORE, rollDays: 8, positions: [] })).toEqual({ kind: 'trade', contract: H6, changed: false });
    expect(decideRoll(H6, { listed, now: AFTER, rollDays: 8, positions: [] })).toEqual({ kind: 'trade', contract: M6, changed: true });
  });

  test('a position open in the rolled contract holds it (exits there), at connect too; entries wait', () => {
    expect(decideRoll(H6, { listed, now: AFTER, rollDays: 8, positions: [{ conId: H6.conId, qty: -2 }] })).toEqual({ kind: 'hold', contract: H6, next: M6, qty: -2 });
    expect(decideRoll(null, { listed, now: AFTER, rollDays: 8, positions: [{ conId: H6.conId, qty: 1 }] })).toMatchObject({ kind: 'hold', contract: H6 });
    // A position already in the new front month is simply traded on.
    expect(decideRoll(null, { listed, now: AFTER, rollDays: 8, positions: [{ conId: M6.conId, qty: 1 }] })).toEqual({ kind: 'trade', contract: M6, changed: false });
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
