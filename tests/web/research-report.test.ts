import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { curveMaxDrawdown } from '../../src/backtest/curve.ts';
import { dashboard, type Web } from './helpers.ts';
import { storeReportedRuns } from './research-report-fixtures.ts';

let w: Web;
let ids: Awaited<ReturnType<typeof storeReportedRuns>>;
beforeAll(async () => {
  w = await dashboard();
  ids = await storeReportedRuns(w.h.repos);
});
afterAll(async () => {
  await w.close();
});

const page = async (path: string) => {
  const res = await w.get(path, { accept: 'text/html' });
  expect(res.status).toBe(200);
  return res.text();
};
type Charts = { equity: { time: number; value: number }[]; drawdown: { time: number; value: number }[]; price: { candles: { time: number }[]; markers: { text: string }[] } | null };
const charts = async (id: number, tz = 'utc') => (await (await w.get(`/backtests/${id}/charts.json?tz=${tz}`)).json()) as Charts;

describe('a run with its report', () => {
  test('the charts agree with the metrics: equity starts at the capital, the drawdown bottoms at the max drawdown', async () => {
    const c = await charts(ids.backtestId);
    const m = ids.backtest.result.metrics;
    expect(m.maxDrawdown).toBeGreaterThan(0);
    expect(c.equity[0]!.value).toBe(10_000);
    expect(Math.min(...c.drawdown.map((p) => p.value))).toBeCloseTo(-m.maxDrawdown, 6);
    expect(c.equity.length).toBeLessThanOrEqual(2000);
    expect(curveMaxDrawdown(ids.backtest.curve)).toBeCloseTo(m.maxDrawdown, 6);
    // Every trade has an entry and an exit marker, each exit labelled with its reason.
    expect(c.price!.markers).toHaveLength(2 * ids.backtest.result.trades.length);
    expect(c.price!.markers.filter((x) => x.text.startsWith('stop') || x.text.startsWith('signal') || x.text.startsWith('target')).length).toBeGreaterThan(0);
  });

  test('New York time: every chart time is the UTC one shifted by −5 h in January', async () => {
    const utc = await charts(ids.backtestId, 'utc');
    const ny = await charts(ids.backtestId, 'ny');
    expect(ny.equity[1]!.time).toBe(utc.equity[1]!.time - 5 * 3600);
    expect(ny.price!.candles[0]!.time).toBe(utc.price!.candles[0]!.time - 5 * 3600);
    const html = await page(`/backtests/${ids.backtestId}?tz=ny`);
    expect(html).toContain('2026-01-07 10:30 NY');
    expect(html).toContain(`data-src="/backtests/${ids.backtestId}/charts.json?tz=ny"`);
    expect((await w.get(`/backtests/${ids.backtestId}?tz=mars`, { accept: 'text/html' })).status).toBe(422);
    // The trade table follows the toggle, page after page.
    const first = ids.backtest.result.trades[0]!;
    const nyText = new Date(first.entryTime - 5 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(html).toContain('Entry (New York)');
    expect(html).toContain(nyText);
    const page2 = await page(`/backtests/${ids.backtestId}/trades?page=2&tz=ny`);
    expect(page2).toContain('Entry (New York)');
    expect(page2).toContain('tz=ny');
  });

  test('the run page shows halts, breakdowns, Monte Carlo and the price chart; outside text escaped', async () => {
    const html = await page(`/backtests/${ids.backtestId}`);
    for (const id of ['halts', 'breakdowns', 'monte-carlo', 'price-chart', 'breakdown-exitReason', 'breakdown-hour', 'breakdown-month', 'tz-toggle']) expect(html).toContain(`data-testid="${id}"`);
    expect(html).toContain('halted to the end of the run');
    expect(html).toContain('2026-01-07 15:30 UTC');
    expect(html).toContain('below peak &lt;10000.00&gt;');
  });

  test('an optimisation shows its guards and its settings in the grid; halted sets are flagged in the CSV', async () => {
    const html = await page(`/backtests/${ids.optimizeId}`);
    expect(html).toContain('data-testid="guards"');
    expect(html).toContain('data-testid="dsr"');
    expect(html).toContain('risk.stopLossPerContract');
    const csv = await (await w.get(`/backtests/${ids.optimizeId}/results.csv`)).text();
    const [head, ...rows] = csv.split('\n\n')[0]!.trim().split('\n');
    expect(head).toBe('rank,lookback,entry,exit,risk.stopLossPerContract,trades,winRate,netPnl,grossProfit,grossLoss,profitFactor,expectancy,maxDrawdown,maxDrawdownPct,sharpe,sortino,avgHoldMinutes,halted,sessions_halted');
    expect(rows).toHaveLength(6);
    expect(rows.filter((r) => r.endsWith(',true,2'))).toHaveLength(1);
    expect(csv).toContain('breakdown,key,trades');
  });

  test('a walk-forward shows its warnings, each fold\'s sessions, and a drawdown chart bottoming at its max drawdown', async () => {
    const html = await page(`/backtests/${ids.walkforwardId}`);
    expect(html).toContain('data-testid="warnings"');
    expect(html).toContain('sharpe is not meaningful');
    expect(html).toContain('Test sessions');
    const c = await charts(ids.walkforwardId);
    expect(c.equity[0]!.value).toBe(10_000);
    expect(Math.min(...c.drawdown.map((p) => p.value))).toBeCloseTo(-ids.wf.aggregate.metrics.maxDrawdown, 6);
    const csv = await (await w.get(`/backtests/${ids.walkforwardId}/results.csv`)).text();
    expect(csv.split('\n')[0]).toStartWith('fold,test_from,test_to,params,test_trades');
    expect(csv.split('\n').slice(1, 5).every((l) => l.includes('sharpe is not meaningful'))).toBe(true);
  });

  test('the runs list shows parameters and halts; two runs compare side by side', async () => {
    const list = await page('/backtests');
    expect(list).toContain('lookback=20 entry=1.5 exit=0.5');
    expect(list).toContain('name="ids"');
    const cmp = await page(`/backtests/compare?ids=${ids.backtestId}&ids=${ids.optimizeId}`);
    expect(cmp).toContain('data-testid="compare-table"');
    expect(cmp).toContain(`href="/backtests/${ids.optimizeId}"`);
    const data = (await (await w.get(`/backtests/compare.json?ids=${ids.backtestId}&ids=${ids.optimizeId}`)).json()) as { runs: { equity: unknown[] }[] };
    expect(data.runs).toHaveLength(2);
    expect((await w.get(`/backtests/compare?ids=${ids.backtestId}`, { accept: 'text/html' })).status).toBe(422);
  });
});
