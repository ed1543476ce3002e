import { describe, expect, test } from 'bun:test';
import type { Bar } from '../../../src/domain/bar.ts';
import { MINUTE } from '../../../src/domain/session.ts';
import { entryAction, exitAction, type Side } from '../../../src/domain/trading.ts';
import type { SimExchange, ExchangeEvent } from '../../../src/broker/sim/exchange.ts';
import { bracketLevels } from '../../../src/risk/rules.ts';
import { T0 } from '../../../src/testing/builders.ts';
import { exchange, fills, limit, market, ohlc, runBar, statuses, stop } from './builders.ts';

/**
 * The backtester's fill rules (tests/backtest/rules.test.ts) at the exchange level: the entry is
 * a market order placed at bar 0's close; the bracket (stop $200 = 40 pt, target $300 = 60 pt,
 * one OCA group) is placed right after the entry fills, between openPhase and rangePhase.
 */
function trade(side: Side, later: Bar[], entryBar = ohlc(1, 5000, 5000, 5000, 5000)) {
  const ex = exchange();
  runBar(ex, ohlc(0, 5000, 5000, 5000, 5000));
  ex.place(market('entry', entryAction(side), 1, { reason: 'entry' }));
  const events: ExchangeEvent[] = [...ex.openPhase(entryBar)];
  const entry = fills(events)[0]!;
  const levels = bracketLevels(side, entry.price, 200, 300);
  events.push(...ex.place(stop('stop', exitAction(side), levels.stop, { ocaGroup: 'oca-1', parentRef: 'entry' })).events);
  events.push(...ex.place(limit('target', exitAction(side), levels.target, { ocaGroup: 'oca-1', parentRef: 'entry' })).events);
  events.push(...ex.rangePhase(entryBar));
  ex.closePhase(entryBar);
  for (const b of later) events.push(...runBar(ex, b));
  const all = fills(events);
  return { ex, entry, levels, exits: all.slice(1), events };
}

describe('SimExchange fill rules (README "Backtest assumptions")', () => {
  test('a market order placed at a close fills at the next open, one tick against the trader, at that bar\'s time', () => {
    const ex: SimExchange = exchange();
    ex.place(market('buy-1', 'buy'));
    ex.place(market('sell-1', 'sell'));
    const f = fills(ex.openPhase(ohlc(1, 5000, 5002, 4999, 5001)));
    expect(f.map((x) => [x.orderRef, x.price, x.time, x.commissionCents])).toEqual([
      ['buy-1', 5000.25, T0 + MINUTE, 62],
      ['sell-1', 4999.75, T0 + MINUTE, 62],
    ]);
  });

  test('a long enters at the open plus slippage and its bracket sits at entry − 40 / + 60 points', () => {
    const { entry, levels } = trade('long', []);
    expect(entry).toMatchObject({ orderRef: 'entry', action: 'buy', price: 5000.25, time: T0 + MINUTE });
    expect(levels).toEqual({ stop: 4960.25, target: 5060.25 });
  });

  test('the stop is live on the fill bar itself', () => {
    const { exits, ex } = trade('long', [], ohlc(1, 5000, 5001, 4955, 4990));
    expect(exits.map((f) => [f.orderRef, f.price, f.time])).toEqual([['stop', 4960, T0 + MINUTE]]);
    expect(ex.positions()).toEqual([]);
  });

  test('when one bar touches both stop and target, the stop wins at the stop minus slippage and the target is cancelled', () => {
    const { exits, events, ex } = trade('long', [ohlc(2, 5000, 5070, 4950, 5000)]);
    expect(exits.map((f) => [f.orderRef, f.price, f.time])).toEqual([['stop', 4960, T0 + 2 * MINUTE]]);
    expect(statuses(events).slice(-2)).toEqual([['stop', 'filled'], ['target', 'cancelled']]);
    expect(ex.accountPnl().realisedCents).toBe(-20249);
  });

  test('a gap through the stop fills at the open minus slippage', () => {
    const { exits, ex } = trade('long', [ohlc(2, 4950, 4955, 4940, 4950)]);
    expect(exits.map((f) => [f.orderRef, f.price])).toEqual([['stop', 4949.75]]);
    expect(ex.accountPnl().realisedCents).toBe(-25374);
  });

  test('a target fills at its price, or at the better open on a gap, without slippage', () => {
    const hit = trade('long', [ohlc(2, 5010, 5061, 5005, 5050)]);
    expect(hit.exits.map((f) => [f.orderRef, f.price])).toEqual([['target', 5060.25]]);
    expect(hit.ex.accountPnl().realisedCents).toBe(29876);
    const gap = trade('long', [ohlc(2, 5070, 5075, 5065, 5070)]);
    expect(gap.exits.map((f) => [f.orderRef, f.price])).toEqual([['target', 5070]]);
    expect(gap.ex.accountPnl().realisedCents).toBe(34751);
  });

  test('a short mirrors the long: sells lower on entry, its stop above fills plus slippage, its target below without', () => {
    const stopped = trade('short', [ohlc(2, 5000, 5040, 4990, 5000)]);
    expect(stopped.entry.price).toBe(4999.75);
    expect(stopped.exits.map((f) => [f.orderRef, f.action, f.price])).toEqual([['stop', 'buy', 5040]]);
    expect(stopped.ex.accountPnl().realisedCents).toBe(-20249);
    const target = trade('short', [ohlc(2, 4990, 4995, 4930, 4940)]);
    expect(target.exits.map((f) => [f.orderRef, f.price])).toEqual([['target', 4939.75]]);
  });

  test('a bracket that the bar does not reach keeps resting; the position stays open', () => {
    const { exits, ex } = trade('long', [ohlc(2, 5000, 5010, 4990, 5005)]);
    expect(exits).toEqual([]);
    expect(ex.openOrders().map((o) => [o.ref, o.status])).toEqual([['stop', 'submitted'], ['target', 'submitted']]);
    expect(ex.positions()).toEqual([{ symbol: 'MES', qty: 1, avgPrice: 5000.25 }]);
  });

  test('a buy limit fills at the better open; a sell stop above the market fills at the open minus slippage', () => {
    const ex = exchange();
    ex.place(limit('buy-lmt', 'buy', 5000));
    ex.place(stop('sell-stp', 'sell', 5001));
    const f = fills(runBar(ex, ohlc(0, 4998, 4999, 4997, 4998)));
    // Stops are checked before limits within a bar.
    expect(f.map((x) => [x.orderRef, x.price])).toEqual([['sell-stp', 4997.75], ['buy-lmt', 4998]]);
  });

  test('fills happen in the bar\'s phases: nothing fills in closePhase, and a market order placed mid-bar waits for the next open', () => {
    const ex = exchange();
    const b = ohlc(0, 5000, 5001, 4999, 5000);
    expect(ex.openPhase(b)).toEqual([]);
    ex.place(market('late', 'buy'));
    expect(fills(ex.rangePhase(b))).toEqual([]);
    ex.closePhase(b);
    expect(fills(runBar(ex, ohlc(1, 5003, 5004, 5002, 5003))).map((x) => [x.orderRef, x.price])).toEqual([['late', 5003.25]]);
    expect(ex.clock).toEqual({ barsClosed: 2, lastBarTime: T0 + MINUTE, lastPrice: 5003 });
  });
});
