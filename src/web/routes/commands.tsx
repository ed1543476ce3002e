import { Elysia } from 'elysia';
import type { CommandSource } from '../../app/types.ts';
import { render } from '../../../views/render.ts';
import { CommandResultView } from '../../../views/fragments/controls.tsx';
import type { WebDeps } from '../deps.ts';
import { html, isHtmx, json } from '../http.ts';
import { CommandBody, FlattenBody } from '../schemas.ts';
import type { CommandResult } from '../view-models/dashboard.ts';

const doc = (summary: string) => ({
  detail: {
    tags: ['commands'],
    summary,
    description: 'Needs the dashboard token: `Authorization: Bearer <QS_DASHBOARD_TOKEN>`, or a session cookie from /login plus the `X-CSRF-Token` header from the page and a same-origin Origin. 401 wrong or missing token, 403 CSRF or origin, 413 body over 16 KiB, 422 malformed body; nothing changes on any of them.',
  },
});

/**
 * The four operator commands. The gate has already checked token, CSRF and size; Elysia checks
 * the body. The facade audits each and says what happened; htmx gets that as a fragment.
 */
export function commandRoutes(deps: WebDeps) {
  const { app, gate } = deps;
  const source = (request: Request): CommandSource => ({ channel: 'web', principal: gate.principal(request)?.kind === 'session' ? 'session' : 'token' });
  const answer = (request: Request, command: string, result: CommandResult) =>
    isHtmx(request) ? html(render(<CommandResultView command={command} result={result} />), { headers: { 'hx-trigger': 'qs:refresh' } }) : json(result);

  return new Elysia({ name: 'commands', prefix: '/api/commands' })
    .post('/pause', async ({ request }) => answer(request, 'Pause', await app.pause(source(request))), { body: CommandBody, ...doc('Pause new entries (open positions keep their stop and target)') })
    .post('/resume', async ({ request }) => answer(request, 'Resume', await app.resume(source(request))), { body: CommandBody, ...doc('Allow new entries again') })
    .post('/reset-breaker', async ({ request }) => answer(request, 'Reset breaker', await app.resetBreaker(source(request))), { body: CommandBody, ...doc('Close the circuit breaker (clears a halt or cooldown)') })
    .post('/flatten', async ({ request }) => answer(request, 'Flatten', await app.flatten(source(request))), { body: FlattenBody, ...doc('Cancel all working orders, close the position at market and pause entries; body { "confirm": "yes" }') });
}
