import { describe, expect, test } from 'bun:test';
import { declutter, positionLevels, type ChartMarker } from '../../src/web/view-models/chart.ts';

const m = (time: number, position: ChartMarker['position'], text: string): ChartMarker => ({ time, position, shape: 'circle', color: '#fff', text });

describe('the live chart', () => {
  test('shows the open position’s entry, stop and target as lines, none when flat', () => {
    const levels = positionLevels({ side: 'long', qty: 1, entryPrice: 5000, entryTime: 0, stop: 4995, target: 5008, markPrice: 5001, unrealised: 5 });
    expect(levels.map((l) => `${l.title} ${l.price}`)).toEqual(['entry long 5000', 'stop 4995', 'target 5008']);
    expect(positionLevels(null)).toEqual([]);
  });

  test('labels that would overlap are dropped, every marker (shape) is kept', () => {
    const out = declutter([m(0, 'belowBar', 'L'), m(30, 'belowBar', 'L'), m(60, 'belowBar', 'L'), m(60, 'inBar', '+$5.00'), m(120, 'inBar', '−$3.00'), m(300, 'inBar', '+$1.00')], 60);
    expect(out).toHaveLength(6);
    expect(out.map((x) => x.text)).toEqual(['L', '', 'L', '+$5.00', '', '+$1.00']);
  });
});
