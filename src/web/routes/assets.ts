import { Elysia } from 'elysia';
import { dirname, join } from 'node:path';

const PUBLIC = join(import.meta.dir, '../../../views/public');

function fromPackage(pkg: string, file: string): string {
  return join(dirname(Bun.resolveSync(`${pkg}/package.json`, import.meta.dir)), file);
}

/**
 * Every asset the browser loads, by name: the project's own from views/public and the libraries
 * straight from their installed packages, so nothing is copied and nothing comes from a CDN.
 * A fixed table rather than a directory walk: no path ever reaches the file system from a URL.
 * A Map, not an object: a name like `__proto__` or `constructor` must be a miss, not a prototype.
 */
const ASSETS = new Map<string, { path: () => string; type: string }>(Object.entries({
  'app.css': { path: () => join(PUBLIC, 'app.css'), type: 'text/css; charset=utf-8' },
  'live-chart.js': { path: () => join(PUBLIC, 'live-chart.js'), type: 'text/javascript; charset=utf-8' },
  'run-charts.js': { path: () => join(PUBLIC, 'run-charts.js'), type: 'text/javascript; charset=utf-8' },
  'docs.js': { path: () => join(PUBLIC, 'docs.js'), type: 'text/javascript; charset=utf-8' },
  'favicon.svg': { path: () => join(PUBLIC, 'favicon.svg'), type: 'image/svg+xml' },
  'vendor/htmx.min.js': { path: () => fromPackage('htmx.org', 'dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  'vendor/htmx-ext-sse.js': { path: () => fromPackage('htmx-ext-sse', 'dist/sse.min.js'), type: 'text/javascript; charset=utf-8' },
  'vendor/lightweight-charts.js': {
    path: () => fromPackage('lightweight-charts', 'dist/lightweight-charts.standalone.production.js'),
    type: 'text/javascript; charset=utf-8',
  },
}));

export const ASSET_NAMES = [...ASSETS.keys()];

export function assetRoutes() {
  return new Elysia({ name: 'assets', detail: { hide: true } })
    .get('/assets/*', async ({ params, set }) => {
      const asset = ASSETS.get(params['*']);
      const file = asset ? Bun.file(asset.path()) : null;
      if (!asset || !file || !(await file.exists())) {
        set.status = 404;
        return { error: 'not_found', message: `no asset '${params['*'].slice(0, 80)}'` };
      }
      return new Response(file, { headers: { 'content-type': asset.type, 'cache-control': 'no-cache' } });
    })
    .get('/favicon.ico', () => new Response(Bun.file(join(PUBLIC, 'favicon.svg')), { headers: { 'content-type': 'image/svg+xml' } }));
}
