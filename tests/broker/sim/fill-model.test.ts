import { describe, expect, test } from 'bun:test';
import { bracketHit, limitFillPrice, stopFillPrice } from '../../../src/broker/sim/fill-model.ts';
import { exitAction, type Side } from '../../../src/domain/trading.ts';

describe('fill model: per-order rules agree with the backtester\'s bracketHit', () => {
  test('on every bar shape around a bracket, bracketHit = stop first, else target, from the per-order functions', () => {
    let checked = 0;
    for (const side of ['long', 'short'] as const satisfies readonly Side[]) {
      const [stop, target] = side === 'long' ? [4990, 5010] : [5010, 4990];
      for (let o = 4980; o <= 5020; o += 0.25) {
        for (let up = 0; up <= 12; up += 0.75) {
          for (let down = 0; down <= 12; down += 0.75) {
            const high = o + up;
            const low = o - down;
            const s = stopFillPrice(exitAction(side), stop, o, high, low, 1);
            const t = limitFillPrice(exitAction(side), target, o, high, low);
            const composed = s !== null ? { price: s, reason: 'stop' as const } : t !== null ? { price: t, reason: 'target' as const } : null;
            expect(bracketHit(side, stop, target, o, high, low, 1)).toEqual(composed);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});
