import type { ValidationError } from 'elysia';
import { render } from '../../views/render.ts';
import { CommandError } from '../../views/fragments/controls.tsx';
import { ErrorPage } from '../../views/pages/error.tsx';
import { html, isHtmx, json, wantsPage } from './http.ts';
import { NotFound } from './routes/errors.ts';

/** One error, three readers: a browser gets a page, htmx a fragment where the result would go, scripts JSON. */
export function errorResponse(request: Request, status: number, error: string, message: string): Response {
  if (isHtmx(request)) return html(render(<CommandError message={message} />), { status });
  if (wantsPage(request)) return html(render(<ErrorPage status={status} message={message} />), { status });
  return json({ error, message }, status);
}

/** "body.confirm: expected confirm: "yes" …" from the first failed check. */
function validationMessage(e: ValidationError): string {
  const issue = e.valueError as { message?: string; path?: { key?: unknown }[] } | undefined;
  const path = (issue?.path ?? []).map((p) => String(p.key)).join('.');
  return `invalid ${e.type}${path ? ` field '${path}'` : ''}: ${issue?.message ?? 'does not match the schema'}; nothing was changed`;
}

/** Maps Elysia's error codes and our NotFound to statuses; internal errors keep their detail out of the answer. */
export function handleError(input: { code: string | number; error: unknown; request: Request }): Response {
  const { code, error, request } = input;
  if (code === 'VALIDATION') return errorResponse(request, 422, 'invalid', validationMessage(error as ValidationError));
  if (code === 'PARSE') return errorResponse(request, 422, 'malformed', 'malformed body: send JSON (content-type: application/json) or a form; nothing was changed');
  if (code === 'NOT_FOUND') return errorResponse(request, 404, 'not_found', `nothing at ${new URL(request.url).pathname}`);
  if (error instanceof NotFound) return errorResponse(request, 404, 'not_found', error.message);
  console.error('web.error', error);
  return errorResponse(request, 500, 'internal', 'internal error; the details are in the service log');
}
