import { describe, expect, test } from 'bun:test';
import { MINUTE } from '../../src/domain/session.ts';
import { afterTrade, bracketLevels, NO_STREAK, positionSize } from '../../src/risk/rules.ts';

const T = Date.parse('2026-01-06T14:30:00Z');

describe('bracketLevels: stop and target at entry ∓/± dollars / $5 points, on the tick grid', () => {
  test('a long: $200 stop = 40 points below, $300 target = 60 points above', () => {
    expect(bracketLevels('long', 5000.25, 200, 300)).toEqual({ stop: 4960.25, target: 5060.25 });
  });

  test('a short mirrors it: stop above, target below', () => {
    expect(bracketLevels('short', 4999.75, 200, 300)).toEqual({ stop: 5039.75, target: 4939.75 });
  });

  test('a distance off the grid rounds toward the entry: $212 = 169.6 ticks → 169 ticks = 42.25 points', () => {
    expect(bracketLevels('long', 5000, 212, 212)).toEqual({ stop: 4957.75, target: 5042.25 });
    expect(bracketLevels('short', 5000, 212, 212)).toEqual({ stop: 5042.25, target: 4957.75 });
  });

  test('a $203 stop risks $202.50 (162 ticks), never the $203.75 of the nearest tick', () => {
    const long = bracketLevels('long', 5000, 203, 301);
    const short = bracketLevels('short', 5000, 203, 301);
    expect(long).toEqual({ stop: 4959.5, target: 5060 }); // $301 = 240.8 ticks → 240
    expect(short).toEqual({ stop: 5040.5, target: 4940 });
  });

  test('for any dollar amount, stop risk and target reward never exceed it and miss it by less than a tick', () => {
    for (let cents = 125; cents <= 60_000; cents += 37) {
      const dollars = cents / 100;
      for (const side of ['long', 'short'] as const) {
        const { stop, target } = bracketLevels(side, 5000.25, dollars, dollars);
        const riskCents = Math.abs(5000.25 - stop) * 500;
        const rewardCents = Math.abs(target - 5000.25) * 500;
        expect(riskCents).toBeLessThanOrEqual(cents);
        expect(cents - riskCents).toBeLessThan(125);
        expect(rewardCents).toBe(riskCents);
        expect(side === 'long' ? stop < 5000.25 && target > 5000.25 : stop > 5000.25 && target < 5000.25).toBe(true);
      }
    }
  });

  test('below one tick the distance is one tick: a stop is never at the entry', () => {
    expect(bracketLevels('long', 5000, 1, 1)).toEqual({ stop: 4999.75, target: 5000.25 });
  });
});

describe('position size', () => {
  test('position size is contracts, capped at maxContracts, never negative', () => {
    expect(positionSize(1, 2)).toBe(1);
    expect(positionSize(5, 2)).toBe(2);
    expect(positionSize(-1, 2)).toBe(0);
  });
});

describe('afterTrade: consecutive losses and the entry pause', () => {
  const after = (pnls: readonly number[], limit = 3, pause = 30) =>
    pnls.reduce((s, pnl, i) => afterTrade(s, pnl, T + i * MINUTE, limit, pause), NO_STREAK);

  test('losses count up below the limit without a pause', () => {
    expect(after([-100, -1])).toEqual({ losses: 2, pauseUntil: 0 });
  });

  test('the limit-th loss in a row pauses entries from its exit time and restarts the count', () => {
    // third loss exits at T + 2 min → paused until T + 32 min
    expect(after([-100, -100, -100])).toEqual({ losses: 0, pauseUntil: T + 32 * MINUTE });
  });

  test('a trade with P&L ≥ 0 resets the count (a 0 P&L trade is not a loss)', () => {
    expect(after([-100, -100, 0])).toEqual({ losses: 0, pauseUntil: 0 });
    expect(after([-100, -100, 50, -100])).toEqual({ losses: 1, pauseUntil: 0 });
  });

  test('a win during a pause does not lift the pause', () => {
    expect(after([-100, -100, -100, 500])).toEqual({ losses: 0, pauseUntil: T + 32 * MINUTE });
  });

  test('after a pause, it takes another `limit` losses to pause again', () => {
    expect(after([-1, -1, -1, -1, -1])).toEqual({ losses: 2, pauseUntil: T + 32 * MINUTE });
    expect(after([-1, -1, -1, -1, -1, -1])).toEqual({ losses: 0, pauseUntil: T + 35 * MINUTE });
  });
});
