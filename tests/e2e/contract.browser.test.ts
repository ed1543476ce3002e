import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { MAX_SERVER_VERSION } from '../../src/broker/ib-sim/versions.ts';
import { marketViewOf } from '../../src/app/market-view.ts';
import { startWebServer } from '../../src/web/server.ts';
import { until } from '../broker/ib/harness.ts';
import { paperOnGateway } from './ib-service.ts';

/**
 * The dashboard of the paper service on the fake gateway, in headless Chromium at 1440 and 390 px:
 * the status bar names the account and the front month with its expiry and the days left.
 * Screenshots go to test-artifacts/.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(import.meta.dir, '../../test-artifacts');
const skip = process.env.QS_SKIP_BROWSER === '1' || !existsSync(CHROMIUM);

declare const document: { documentElement: { scrollWidth: number; clientWidth: number } };

describe.skipIf(skip)('the contract in the paper dashboard, in a browser', () => {
  let p: Awaited<ReturnType<typeof paperOnGateway>>;
  let server: ReturnType<typeof startWebServer>;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    p = await paperOnGateway(MAX_SERVER_VERSION);
    await until(() => p.state('strategy').matches('ready'), 'warm-up from history', 10_000);
    server = startWebServer(p.service.app, { host: '127.0.0.1', port: 0, market: marketViewOf(p.service.core), pushIntervalMs: 200 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await p?.service.shutdown('test');
    await p?.gw.close();
    if (p) rmSync(p.dir, { recursive: true, force: true });
  });

  for (const size of [
    { name: 'desktop', width: 1440, height: 900 },
    { name: 'phone', width: 390, height: 844 },
  ] as const) {
    test(`${size.name} (${size.width} px): account, contract, expiry date and days to expiry in the status bar`, async () => {
      const page = await browser.newPage({ viewport: { width: size.width, height: size.height } });
      try {
        await page.goto(`http://127.0.0.1:${server.port}/`);
        const contract = page.getByTestId('contract');
        await contract.waitFor({ timeout: 10_000 });
        expect(await contract.textContent()).toBe('MESH6 · CME · expires 2026-03-20 (74 days)');
        expect(await page.getByTestId('venue').textContent()).toBe(`${p.gw.account} (ib)`);
        expect(await page.getByTestId('roll-window').count()).toBe(0);
        expect(await contract.isVisible()).toBe(true);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.screenshot({ path: join(ARTIFACTS, `contract-paper-${size.width}.png`) });
      } finally {
        await page.close();
      }
    }, 30_000);
  }
});
