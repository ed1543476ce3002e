import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Elysia } from 'elysia';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { statechartQueries } from '../../src/app/statecharts.ts';
import { liveHarness } from '../../src/testing/live-harness.ts';
import { assetRoutes } from '../../src/web/routes/assets.ts';
import { SECURITY_HEADERS } from '../../src/web/security/headers.ts';
import { statechartRoutes } from '../../src/web/statecharts/routes.ts';

/**
 * The visualizer in a real headless Chromium: the page loads with no console error under the
 * dashboard's CSP, and when the breaker trips the highlighted node moves to `halted` by itself.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dir, '../../test-artifacts');
const skip = process.env.QS_SKIP_BROWSER === '1';
const LOSS_PRONE = { sim: { seed: 7, regime: 'volatile' }, risk: { dailyLossLimit: 1 } };

describe.skipIf(skip)('statecharts in a browser', () => {
  let h: Awaited<ReturnType<typeof liveHarness>>;
  let server: { stop: () => unknown; server: { port?: number } | null };
  let context: BrowserContext;
  let profile: string;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install it (apt-get install chromium), or set QS_SKIP_BROWSER=1 to skip the browser tests`);
    }
    h = await liveHarness({ config: LOSS_PRONE, warmup: 100 });
    const app = { ...h.app, ...statechartQueries(h) };
    // The dashboard's CSP on every answer: an inline script or style would show as a console error.
    const web = new Elysia()
      .onRequest(({ set }) => void Object.assign(set.headers, SECURITY_HEADERS))
      .use(assetRoutes())
      .use(statechartRoutes(app, { pollMs: 200 }));
    server = web.listen({ hostname: '127.0.0.1', port: 0 }) as unknown as typeof server;
    profile = mkdtempSync(join(tmpdir(), 'qs-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // Nothing may leave the machine: any request off loopback is refused and counted as a problem.
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      problems.push(`request off loopback: ${url.href}`);
      return route.abort();
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    server?.stop();
    await h?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const watch = (page: Page) => {
    page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  };
  const current = (page: Page) => page.locator('svg.sc-svg g.sc-state.sc-current').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-state')));

  test('the breaker page follows the live breaker: closed, then halted after a daily loss', async () => {
    const page = await context.newPage();
    watch(page);
    const base = `http://127.0.0.1:${server.server!.port}`;

    await page.goto(`${base}/statecharts/circuitBreaker`);
    await page.waitForSelector('svg.sc-svg g.sc-current[data-state="closed"]');
    expect(await current(page)).toEqual(['closed']);

    for (let i = 0; i < 200 && h.app.actors().find((a) => a.id === 'circuitBreaker')?.state !== 'halted'; i++) await h.bars(5);
    expect(h.app.actors().find((a) => a.id === 'circuitBreaker')?.state).toBe('halted');

    // The page polls; give it ample time on a busy machine rather than a tight deadline.
    await page.waitForSelector('svg.sc-svg g.sc-current[data-state="halted"]', { timeout: 20_000 });
    expect(await current(page)).toEqual(['halted']);
    expect(await page.locator('[data-testid="sc-state"]').first().textContent()).toBe('halted');
    expect(await page.locator('[data-testid="sc-transitions"]').textContent()).toContain('Halted');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'statecharts-circuitBreaker.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 60_000);

  test('the overview and the replay render without errors', async () => {
    const page = await context.newPage();
    watch(page);
    const base = `http://127.0.0.1:${server.server!.port}`;

    await page.goto(`${base}/statecharts`);
    expect(await page.locator('svg.sc-svg').count()).toBe(6);
    await page.screenshot({ path: join(ARTIFACTS, 'statecharts-overview.png'), fullPage: true });

    await page.goto(`${base}/statecharts/circuitBreaker/replay?step=0`);
    expect(await current(page)).toEqual(['closed']);
    await page.click('[data-testid="sc-next"]');
    await page.waitForURL(/replay\?step=1$/);
    await page.waitForSelector('svg.sc-svg g.sc-current[data-state="halted"]');
    expect(await current(page)).toEqual(['halted']);
    expect(await page.locator('g.sc-edge.sc-fired').getAttribute('data-target')).toBe('halted');
    await page.screenshot({ path: join(ARTIFACTS, 'statecharts-replay.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 60_000);
});
