import { describe, expect, test } from 'bun:test';
import { FillAggregator } from '../../src/actors/fill-aggregator.ts';
import type { Fill } from '../../src/domain/trading.ts';

const fill = (qty: number, price: number, execId: string): Fill => ({ orderRef: 'E1', execId, action: 'buy', qty, price, time: 1000, commissionCents: 62 * qty });

describe('fill aggregation per order', () => {
  test('a single complete execution passes through unchanged', () => {
    const f = fill(2, 5000, 'x1');
    expect(new FillAggregator().add(f, 2)).toBe(f);
  });

  test('executions of one order come out as one fill at the quantity-weighted price once the order is complete', () => {
    const agg = new FillAggregator();
    expect(agg.add(fill(1, 5000, 'x1'), 2)).toBeNull();
    expect(agg.add(fill(1, 5000.25, 'x2'), 2)).toMatchObject({ qty: 2, price: 5000.125, commissionCents: 124, execId: 'x2' });
  });

  test('an order that ends part-filled gives what did fill; nothing is left behind afterwards', () => {
    const agg = new FillAggregator();
    expect(agg.add(fill(1, 5000.5, 'x1'), 3)).toBeNull();
    expect(agg.ended('E1')).toMatchObject({ qty: 1, price: 5000.5 });
    expect(agg.ended('E1')).toBeNull();
  });

  test('a fill for an order we never placed (unknown quantity) passes straight on', () => {
    expect(new FillAggregator().add(fill(1, 5000, 'x1'), null)).toMatchObject({ qty: 1 });
  });
});
