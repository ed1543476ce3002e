import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { liveHarness } from '../../src/testing/live-harness.ts';
import { startWebServer } from '../../src/web/server.ts';
import { storeReportedRuns } from '../web/research-report-fixtures.ts';
import { marketViewOf } from '../../src/app/market-view.ts';
import { createResearch } from '../../src/app/research.ts';

/** The research pages in headless Chromium: the charts draw and agree with the metrics. */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(import.meta.dir, '../../test-artifacts');
const skip = process.env.QS_SKIP_BROWSER === '1' || !existsSync(CHROMIUM);

declare const document: { getElementById(id: string): { dataset: Record<string, string | undefined> } | null };

describe.skipIf(skip)('the research pages in a browser', () => {
  let h: Awaited<ReturnType<typeof liveHarness>>;
  let server: ReturnType<typeof startWebServer>;
  let browser: BrowserContext;
  let profile: string;
  let base: string;
  let ids: Awaited<ReturnType<typeof storeReportedRuns>>;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    h = await liveHarness({ warmup: 20 });
    ids = await storeReportedRuns(h.repos);
    server = startWebServer(h.app, { host: '127.0.0.1', port: 0, token: 'research-browser-token-7', market: marketViewOf(h.core), research: createResearch(h.repos), pushIntervalMs: 1000 });
    base = `http://127.0.0.1:${server.port}`;
    profile = mkdtempSync(join(tmpdir(), 'qs-chromium-'));
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, viewport: { width: 1280, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await h?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function open(path: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(`${base}${path}`);
    return { page, problems };
  }
  const until = (page: Page, predicate: () => boolean) => page.waitForFunction(predicate, undefined, { timeout: 15_000 });

  test('a backtest: equity from the capital, drawdown down to the max drawdown, price chart with every trade', async () => {
    const { page, problems } = await open(`/backtests/${ids.backtestId}`);
    await until(page, () => Number(document.getElementById('price-chart')?.dataset.markers ?? 0) > 0);
    await until(page, () => document.getElementById('drawdown-chart')?.dataset.lowest !== undefined);
    expect(Number(await page.getAttribute('#equity-chart', 'data-first'))).toBe(10_000);
    expect(Number(await page.getAttribute('#drawdown-chart', 'data-lowest'))).toBeCloseTo(-ids.backtest.result.metrics.maxDrawdown, 6);
    expect(Number(await page.getAttribute('#price-chart', 'data-markers'))).toBe(2 * ids.backtest.result.trades.length);
    expect(await page.locator('[data-testid=halts]').textContent()).toContain('halted to the end of the run');
    await page.screenshot({ path: join(ARTIFACTS, 'research-run.png'), fullPage: true });
    await Promise.all([page.waitForURL(`${base}/backtests/${ids.backtestId}?tz=ny`), page.click('[data-testid=tz-ny]')]);
    expect(await page.locator('[data-testid=halts]').textContent()).toContain('10:30 NY');
    await until(page, () => Number(document.getElementById('price-chart')?.dataset.markers ?? 0) > 0);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('an optimisation shows its guards; two runs picked in the list compare on one chart', async () => {
    const { page, problems } = await open(`/backtests/${ids.optimizeId}`);
    expect(await page.locator('[data-testid=guards]').textContent()).toContain('Deflated Sharpe Ratio');
    // The heat map re-renders over a setting path chosen as an axis.
    await page.selectOption('#heatmap select[name=x]', 'risk.stopLossPerContract');
    await page.waitForSelector('#heatmap th:has-text("risk.stopLossPerContract")', { timeout: 15_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'research-optimize.png'), fullPage: true });
    await page.goto(`${base}/backtests`);
    await page.check(`input[name=ids][value="${ids.backtestId}"]`);
    await page.check(`input[name=ids][value="${ids.optimizeId}"]`);
    await Promise.all([page.waitForURL(/\/backtests\/compare\?/), page.click('[data-testid=compare]')]);
    await until(page, () => document.getElementById('compare-chart')?.dataset.series === '2');
    await page.screenshot({ path: join(ARTIFACTS, 'research-compare.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
