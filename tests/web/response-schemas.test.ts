import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import * as v from 'valibot';
import * as R from '../../src/web/response-schemas.ts';
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

const ROUTES: Array<[string, v.GenericSchema]> = [
  ['/api/status', R.Status],
  ['/api/positions', v.array(R.Position)],
  ['/api/pnl', R.Pnl],
  ['/api/trades', R.TradesPage],
  ['/api/breakers', R.Breakers],
  ['/api/actors', v.array(R.Actor)],
];

describe('GET routes document what they answer', () => {
  test.each(ROUTES)('%s: the real answer matches its documented schema', async (path, schema) => {
    const result = v.safeParse(schema, await (await w.get(path)).json());
    expect(result.issues?.map((i) => `${v.getDotPath(i)}: ${i.message}`) ?? []).toEqual([]);
  });

  test('the OpenAPI document carries each 200 response schema, and /docs shows it', async () => {
    const spec = (await (await w.get('/docs/json')).json()) as { paths: Record<string, { get?: { responses?: Record<string, { content?: Record<string, { schema?: { type?: string } }> }> } }> };
    for (const [path] of ROUTES) {
      const schema = spec.paths[path]?.get?.responses?.['200']?.content?.['application/json']?.schema;
      expect(schema?.type, path).toBeDefined();
    }
    const page = await (await w.get('/docs', { accept: 'text/html' })).text();
    expect((page.match(/data-testid="response-schema"/g) ?? []).length).toBeGreaterThanOrEqual(ROUTES.length);
  });
});
