import { openapi } from '@elysiajs/openapi';
import { toJsonSchema } from '@valibot/to-json-schema';
import { Elysia } from 'elysia';
import type { GenericSchema } from 'valibot';
import { render } from '../../../views/render.ts';
import { DocsPage, type OpenApiSpec } from '../../../views/pages/docs.tsx';
import { viewerOf, type WebDeps } from '../deps.ts';
import { html } from '../http.ts';

export const SPEC_PATH = '/docs/json';

/**
 * The OpenAPI document at /docs/json, built by @elysiajs/openapi from the routes' valibot schemas.
 * Its Scalar and Swagger UI pages load from a CDN, so the provider is off and /docs renders the
 * document here. Query schemas carry transforms (text → number) that JSON Schema cannot say;
 * those parts are left out rather than failing the whole document.
 */
export function openApiPlugin() {
  return openapi({
    provider: null,
    specPath: SPEC_PATH,
    documentation: {
      info: {
        title: 'Quant Scalper dashboard API',
        version: '1',
        description: 'Read endpoints are open on loopback. Commands need the dashboard token (QS_DASHBOARD_TOKEN) as a bearer header, or a login session plus its CSRF token.',
      },
      tags: [
        { name: 'read', description: 'What the bot is doing and has done' },
        { name: 'commands', description: 'Operator commands; audited' },
      ],
    },
    mapJsonSchema: { valibot: (schema: GenericSchema) => toJsonSchema(schema, { errorMode: 'ignore' }) },
  });
}

/** `fetchSpec` asks the finished app for its own document (the plugin builds it from every route). */
export function docsRoutes(deps: WebDeps, fetchSpec: (request: Request) => Promise<Response>) {
  return new Elysia({ name: 'docs' }).get(
    '/docs',
    async ({ request }) => {
      const spec = (await (await fetchSpec(new Request(new URL(SPEC_PATH, request.url)))).json()) as OpenApiSpec;
      return html(render(<DocsPage viewer={viewerOf(deps, request)} spec={spec} specPath={SPEC_PATH} />));
    },
    { detail: { hide: true } },
  );
}
