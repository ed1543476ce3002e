import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { tradingHarness } from './trading-harness.ts';
import { silentLogger } from '../../src/domain/log.ts';
import { startWebWorker, type WebWorker } from '../../src/web/worker/host.ts';
import { storeRuns } from '../web/research-fixtures.ts';
import { marketViewOf } from '../../src/app/market-view.ts';
import { createResearch } from '../../src/app/research.ts';

/**
 * The operator's pages in headless Chromium, at a desktop width and at 390 px (a phone), against
 * the real service on the sim venue: nothing scrolls sideways, and a dropped broker connection
 * shows its banner. Screenshots of each go to test-artifacts/ for a human to look at.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(import.meta.dir, '../../test-artifacts');
const skip = process.env.QS_SKIP_BROWSER === '1' || !existsSync(CHROMIUM);
const PAGES = ['/', '/statecharts', '/statecharts/position', '/docs', '/backtests', '/login'];
const WIDTHS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

declare const document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelector(s: string): { textContent: string | null } | null };

describe.skipIf(skip)('operator pages in a browser, at desktop and phone widths', () => {
  let h: Awaited<ReturnType<typeof tradingHarness>>;
  let server: WebWorker;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    h = await tradingHarness();
    storeRuns(h.repos);
    // As the service serves it: the dashboard on its own thread.
    server = await startWebWorker(h.app, { host: '127.0.0.1', port: 0, token: 'operator-browser-token', market: marketViewOf(h.core), research: createResearch(h.repos), pushIntervalMs: 100, log: silentLogger });
    await h.bars(300);
    base = `http://127.0.0.1:${server.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await h?.close();
  });

  async function visit(path: string, size: (typeof WIDTHS)[number]): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
    await page.goto(`${base}${path}`);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    return page;
  }

  for (const size of WIDTHS) {
    test.each(PAGES)(`%s at ${size.name} width has no sideways scrolling`, async (path) => {
      const page = await visit(path, size);
      try {
        const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
        await page.screenshot({ path: join(ARTIFACTS, `operator-${size.name}${path.replace(/\//g, '_') || '_'}.png`), fullPage: true });
        expect(scroll).toBeLessThanOrEqual(client);
      } finally {
        await page.close();
      }
    }, 30_000);
  }

  test('a large statechart fits the width at first, and zooms in and out', async () => {
    const page = await visit('/statecharts/position', WIDTHS[1]);
    const errors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    try {
      const width = () => page.locator('.sc-figure-large svg.sc-svg').evaluate((svg) => (svg as unknown as { getBoundingClientRect(): { width: number } }).getBoundingClientRect().width);
      const fitted = await width();
      expect(fitted).toBeLessThanOrEqual(390);
      await page.click('[data-zoom=in]');
      await page.click('[data-zoom=in]');
      expect(await width()).toBeGreaterThan(fitted * 1.5);
      expect(await page.textContent('[data-zoom-level]')).not.toBe('100%');
      await page.screenshot({ path: join(ARTIFACTS, 'operator-phone-statechart-zoomed.png') });
      await page.click('[data-zoom=fit]');
      expect(Math.round(await width())).toBe(Math.round(fitted));
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 30_000);

  test('/docs is interactive: "Try it" on GET /api/status and GET /api/runs/{id} shows the answers, from this machine', async () => {
    const page = await visit('/docs', WIDTHS[0]);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    try {
      const status = page.locator('[data-testid=operation]', { has: page.locator('code', { hasText: /^\/api\/status$/ }) }).locator('[data-testid=try-it]');
      await status.locator('button').click();
      await status.locator('.try-out', { hasText: '→ 200' }).waitFor({ timeout: 10_000 });
      expect(await status.locator('.try-out').textContent()).toContain('"mode": "sim"');
      const run = page.locator('[data-testid=operation]', { has: page.locator('code', { hasText: /^\/api\/runs\/\{id\}$/ }) }).locator('[data-testid=try-it]');
      await run.locator('input[name=id]').fill('999999');
      await run.locator('button').click();
      await run.locator('.try-out', { hasText: '→ 404' }).waitFor({ timeout: 10_000 });
      await page.screenshot({ path: join(ARTIFACTS, 'operator-desktop-docs-try-it.png'), fullPage: false });
      expect(requests.every((u) => u.startsWith(base))).toBe(true);
    } finally {
      await page.close();
    }
  }, 30_000);

  test('a dropped broker connection shows the banner and "entries refused", on a phone too', async () => {
    h.sim.injectDisconnect('test: cable pulled');
    for (const size of WIDTHS) {
      const page = await visit('/', size);
      try {
        await page.waitForSelector('[data-testid="broker-banner"]', { timeout: 10_000 });
        const trading = await page.textContent('[data-testid="trading-state"]');
        expect(trading).toContain('ENTRIES REFUSED');
        await page.screenshot({ path: join(ARTIFACTS, `operator-${size.name}-broker-lost.png`), fullPage: false });
        const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
        expect(scroll).toBeLessThanOrEqual(client);
      } finally {
        await page.close();
      }
    }
  }, 60_000);
});
