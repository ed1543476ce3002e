import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { marketViewOf } from '../../src/app/market-view.ts';
import { tradingHarness } from './trading-harness.ts';
import { startWebServer } from '../../src/web/server.ts';

/**
 * Collapsed nesting and replay times in headless Chromium at 1440 and 390 px, on the real service
 * (sim venue): the position machine opens with its compound states collapsed, a click expands one
 * and another collapses it again, nothing scrolls sideways; the replay of a position step shows its
 * wall time and its market time, each with the date. Screenshots go to test-artifacts/.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(import.meta.dir, '../../test-artifacts');
const skip = process.env.QS_SKIP_BROWSER === '1' || !existsSync(CHROMIUM);
const SIZES = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

declare const document: { documentElement: { scrollWidth: number; clientWidth: number } };

describe.skipIf(skip)('statechart nesting and replay times in a browser', () => {
  let h: Awaited<ReturnType<typeof tradingHarness>>;
  let server: ReturnType<typeof startWebServer>;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    h = await tradingHarness();
    server = startWebServer(h.app, { host: '127.0.0.1', port: 0, market: marketViewOf(h.core), pushIntervalMs: 200 });
    await h.bars(300);
    base = `http://127.0.0.1:${server.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await h?.close();
  });

  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  for (const size of SIZES) {
    test(`${size.name} (${size.width} px): position opens collapsed; expand open, then collapse it again`, async () => {
      const page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
      try {
        await page.goto(`${base}/statecharts/position`);
        const svg = page.locator('svg.sc-svg');
        expect(await svg.locator('g.sc-collapsed[data-state="open"]').count()).toBe(1);
        expect(await svg.locator('g[data-state="open.long"]').count()).toBe(0);
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        await page.screenshot({ path: join(ARTIFACTS, `statechart-position-collapsed-${size.width}.png`), fullPage: true });

        await page.locator('a[data-toggle="open"]').click();
        await page.waitForURL(/collapsed=entering$/);
        expect(await svg.locator('g[data-state="open.long"]').count()).toBe(1);
        expect(await svg.locator('g.sc-collapsed[data-state="open"]').count()).toBe(0);
        expect(await svg.locator('g.sc-collapsed[data-state="entering"]').count()).toBe(1);
        expect(await page.locator('a[data-toggle="open"]').textContent()).toBe('▾ collapse open');
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        await page.screenshot({ path: join(ARTIFACTS, `statechart-position-open-expanded-${size.width}.png`), fullPage: true });

        await page.locator('a[data-toggle="open"]').click();
        await page.waitForURL(/collapsed=entering%2Copen$/);
        expect(await svg.locator('g.sc-collapsed[data-state="open"]').count()).toBe(1);
      } finally {
        await page.close();
      }
    }, 30_000);

    test(`${size.name} (${size.width} px): a replayed step shows its wall time and its market time, with dates; stepping keeps the collapse`, async () => {
      const page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
      try {
        await page.goto(`${base}/statecharts/position/replay?collapsed=`);
        expect(await page.getByTestId('sc-step-wall').textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} UTC$/);
        expect(await page.getByTestId('sc-step-market').textContent()).toMatch(/^2026-\d{2}-\d{2} \d{2}:\d{2} New York$/);
        const rows = page.locator('[data-testid="sc-steps"] tbody tr');
        expect(await rows.count()).toBeGreaterThan(1);
        expect(await rows.last().locator('[data-testid="sc-market-time"]').textContent()).toMatch(/^2026-\d{2}-\d{2} \d{2}:\d{2} New York$/);
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        await page.screenshot({ path: join(ARTIFACTS, `statechart-replay-times-${size.width}.png`), fullPage: true });
        await page.getByTestId('sc-prev').click();
        await page.waitForURL(/step=\d+&collapsed=$/);
        expect(await page.locator('svg.sc-svg g[data-state="open.long"]').count()).toBe(1);
      } finally {
        await page.close();
      }
    }, 30_000);
  }
});
