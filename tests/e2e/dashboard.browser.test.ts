import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tradingHarness } from './trading-harness.ts';
import { startWebServer } from '../../src/web/server.ts';
import { storeRuns } from '../web/research-fixtures.ts';
import { marketViewOf } from '../../src/app/market-view.ts';
import { createResearch } from '../../src/app/research.ts';

/**
 * The dashboard in real headless Chromium against the real service on the sim venue. The test
 * steps the market itself, so nothing depends on how fast this machine is; waits are for DOM
 * states, each bounded.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TOKEN = 'browser-test-token-42';
const ARTIFACTS = join(import.meta.dir, '../../test-artifacts');
const skip = process.env.QS_SKIP_BROWSER === '1';

/** The little of the DOM the page predicates use; they run in the browser, where it exists. */
declare const document: {
  getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
  querySelector(selector: string): { textContent: string | null } | null;
};

if (!skip && !existsSync(CHROMIUM)) {
  test('headless Chromium is installed', () => {
    throw new Error(`${CHROMIUM} is missing: install it with 'apt-get update && apt-get install -y chromium' (or set QS_SKIP_BROWSER=1 to skip the browser tests)`);
  });
}

describe.skipIf(skip || !existsSync(CHROMIUM))('the dashboard in a browser', () => {
  let h: Awaited<ReturnType<typeof tradingHarness>>;
  let server: ReturnType<typeof startWebServer>;
  let browser: BrowserContext;
  let profile: string;
  let base: string;
  let runId: number;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    h = await tradingHarness();
    runId = storeRuns(h.repos).backtestId;
    server = startWebServer(h.app, { host: '127.0.0.1', port: 0, token: TOKEN, market: marketViewOf(h.core), research: createResearch(h.repos), pushIntervalMs: 100 });
    // The chart shows the bars the strategy saw since the server started.
    await h.bars(30);
    base = `http://127.0.0.1:${server.port}`;
    profile = mkdtempSync(join(tmpdir(), 'qs-chromium-'));
    // A fresh profile directory per run; Playwright takes it as the persistent context's user-data-dir.
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, viewport: { width: 1280, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await h?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** A fresh page that records console errors and failed requests (the live stream closing on navigation aside). */
  async function open(path: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => {
      if (!(r.url().endsWith('/events') && r.failure()?.errorText === 'net::ERR_ABORTED')) problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(`${base}${path}`);
    return { page, problems };
  }

  /** Waits for a condition evaluated in the page (a function: the page's CSP rightly refuses eval of a string). */
  const until = (page: Page, predicate: () => boolean) => page.waitForFunction(predicate, undefined, { timeout: 15_000 });

  /** Steps the market one bar at a time until `done()` resolves true, at most `max` bars. */
  async function stepUntil(done: () => Promise<boolean>, max = 300): Promise<void> {
    for (let i = 0; i < max; i++) {
      if (await done()) return;
      await h.bars(1);
      await Bun.sleep(20);
    }
    throw new Error(`not reached within ${max} bars`);
  }

  test('loads with no console errors and no failed requests; the chart draws', async () => {
    const { page, problems } = await open('/');
    await page.waitForSelector('#live-chart canvas', { timeout: 15_000 });
    await until(page, () => Number(document.getElementById('live-chart')?.dataset.bars ?? 0) > 20);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('the status and the chart update live over SSE as the sim trades', async () => {
    const { page, problems } = await open('/');
    await until(page, () => (document.getElementById('live-chart')?.dataset.lastTime ?? '0') !== '0');
    const before = await page.textContent('[data-testid=last-bar]');
    const chartBefore = await page.getAttribute('#live-chart', 'data-last-time');
    // Far quicker than the 30 s polling fallback: only the stream can have done it.
    await stepUntil(async () => (await page.textContent('[data-testid=last-bar]')) !== before && (await page.getAttribute('#live-chart', 'data-last-time')) !== chartBefore, 100);
    expect(await page.textContent('[data-testid=last-bar]')).not.toBe(before);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('Flatten with the token asks for confirmation, then the position reads flat', async () => {
    const { page, problems } = await open('/login');
    await page.fill('#token', TOKEN);
    await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
    await page.waitForSelector('[data-testid=cmd-flatten]:not([disabled])');
    await stepUntil(async () => h.core.engine.state.position !== null);
    await until(page, () => /LONG|SHORT/.test(document.querySelector('[data-testid=position-side]')?.textContent ?? ''));

    await page.click('[data-testid=cmd-flatten]');
    await page.waitForSelector('[data-testid=flatten-confirm]');
    expect(h.core.engine.state.position).not.toBeNull();
    await page.screenshot({ path: join(ARTIFACTS, 'flatten-confirm.png') });
    await page.click('[data-testid=flatten-yes]');
    // The exit fills on the next bar: keep the market moving until the answer arrives.
    await stepUntil(async () => (await page.$('[data-testid=command-result]')) !== null, 100);

    expect(await page.textContent('[data-testid=command-result]')).toContain('Flatten: flat:');
    await until(page, () => document.querySelector('[data-testid=position-side]')?.textContent === 'FLAT');
    expect(await page.textContent('[data-testid=trading-state]')).toBe('PAUSED: no new entries (Resume to allow)');
    expect(h.core.engine.state.position).toBeNull();
    await page.screenshot({ path: join(ARTIFACTS, 'flattened.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('the backtests page shows a stored run with its equity curve', async () => {
    const { page, problems } = await open('/backtests');
    await Promise.all([page.waitForURL(`${base}/backtests/${runId}`), page.click(`a[href="/backtests/${runId}"]`)]);
    await page.waitForSelector('#equity-chart canvas', { timeout: 15_000 });
    await until(page, () => Number(document.getElementById('equity-chart')?.dataset.points ?? 0) > 0);
    expect(Number(await page.getAttribute('#equity-chart', 'data-points'))).toBe(30);
    await page.screenshot({ path: join(ARTIFACTS, 'backtest-run.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
