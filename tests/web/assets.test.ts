import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ASSET_NAMES } from '../../src/web/routes/assets.ts';
import { dashboard, type Web } from './helpers.ts';

let w: Web;
beforeAll(async () => {
  w = await dashboard();
});
afterAll(async () => {
  await w.close();
});

describe('assets are served from this process, never a CDN', () => {
  test('every asset the pages name exists, with its content type', async () => {
    for (const name of ASSET_NAMES) {
      const res = await w.get(`/assets/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type')).toMatch(name.endsWith('.css') ? /text\/css/ : name.endsWith('.svg') ? /image\/svg/ : /text\/javascript/);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
  });

  test('the libraries are the installed packages: htmx 2 with its SSE extension, lightweight-charts standalone', async () => {
    expect(await (await w.get('/assets/vendor/htmx-ext-sse.js')).text()).toContain('defineExtension("sse"');
    expect(await (await w.get('/assets/vendor/lightweight-charts.js')).text()).toContain('window.LightweightCharts');
  });

  test('an unknown asset or a path outside the table is a 404', async () => {
    expect((await w.get('/assets/nope.js')).status).toBe(404);
    expect((await w.get('/assets/../package.json')).status).toBe(404);
    expect((await w.get('/assets/%2e%2e/package.json')).status).toBe(404);
  });

  test('the page scripts contain no eval and no network address', async () => {
    for (const name of ['live-chart.js', 'run-charts.js']) {
      const js = await (await w.get(`/assets/${name}`)).text();
      expect(js).not.toMatch(/\beval\(|new Function|https?:\/\//);
    }
  });
});
