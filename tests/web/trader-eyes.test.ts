import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { barsUntil, dashboard, type Web } from './helpers.ts';

let w: Web;
beforeAll(async () => {
  w = await dashboard();
  await barsUntil(w.h, () => w.h.repos.trades.count() > 0);
  await barsUntil(w.h, () => w.h.core.engine.state.position !== null);
});
afterAll(async () => {
  await w.close();
});

describe('what a trader reads on the dashboard', () => {
  test('the Flatten confirm restates what will be closed', async () => {
    const p = w.h.core.engine.state.position!;
    const html = await (await w.get('/fragments/flatten-confirm')).text();
    expect(html).toContain(`This closes ${p.side.toUpperCase()} ${p.qty} MES (entry ${p.entryPrice.toFixed(2)}`);
    expect(html).toContain(`stop ${p.stop.toFixed(2)} and target ${p.target.toFixed(2)}`);
  });

  test('the P&L panel shows this week and since start, and equity coloured against the starting capital', async () => {
    const pnl = w.h.app.pnl();
    const html = await (await w.get('/fragments/position')).text();
    expect(html).toContain('data-testid="pnl-week"');
    expect(html).toContain('data-testid="pnl-since-start"');
    const tone = pnl.sinceStart > 0 ? 'profit' : pnl.sinceStart < 0 ? 'loss' : 'flat';
    expect(html).toMatch(new RegExp(`data-testid="equity"[^>]*><span class="money ${tone}"`));
  });

  test('the last bar shows its date and New York time', async () => {
    const html = await (await w.get('/fragments/status')).text();
    expect(html).toMatch(/data-testid="last-bar">\d{4}-\d\d-\d\d \d\d:\d\d New York · /);
  });
});
