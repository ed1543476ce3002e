import { describe, expect, test } from 'bun:test';
import { HeatmapPanel } from '../../views/fragments/research.tsx';

describe('the heat map escapes what came from the store', () => {
  test('a stored parameter name with markup is printed as text, in every place it appears', async () => {
    const name = '"><img src=x onerror=alert(1)>';
    const html = String(
      await HeatmapPanel({
        runId: 1,
        map: { params: [name], x: name, y: null, objective: 'sharpe', xs: [10, 20], ys: [], cells: [[{ value: 1, trades: 40, ranked: true, step: 1 }, null]] },
      }),
    );
    // Nowhere as markup: not as text, and no quote breaks out of an attribute.
    expect(html).not.toContain('"><img');
    expect(html).toContain('<th class="num">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</th>');
  });
});
