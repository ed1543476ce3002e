import { Elysia } from 'elysia';
import { render } from '../../../views/render.ts';
import { LoginPage } from '../../../views/pages/login.tsx';
import { viewerOf, type WebDeps } from '../deps.ts';
import { html } from '../http.ts';
import { LoginBody } from '../schemas.ts';
import { clearSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from '../security/auth.ts';

/**
 * The login form trades the token for an HttpOnly, SameSite=Strict session cookie, so the token is
 * typed once and never held by page scripts. POST /logout passes the gate (session + CSRF) first.
 */
export function loginRoutes(deps: WebDeps) {
  const { gate } = deps;
  return new Elysia({ name: 'login', detail: { hide: true } })
    .get('/login', ({ request }) => html(render(<LoginPage viewer={viewerOf(deps, request)} />)))
    .post(
      '/login',
      ({ request, body }) => {
        const viewer = viewerOf(deps, request);
        if (!viewer.tokenConfigured) return html(render(<LoginPage viewer={viewer} error="no dashboard token is configured" />), { status: 401 });
        const refused = gate.checkLogin(request, body.token);
        if (refused) {
          const headers: Record<string, string> = refused.retryAfterSec ? { 'retry-after': String(refused.retryAfterSec) } : {};
          return html(render(<LoginPage viewer={viewer} error={refused.status === 429 ? refused.message : 'wrong token'} />), { status: refused.status, headers });
        }
        gate.sessions.delete(readCookie(request.headers.get('cookie'), SESSION_COOKIE));
        const session = gate.sessions.create();
        return new Response(null, { status: 303, headers: { location: '/', 'set-cookie': sessionCookie(session) } });
      },
      { body: LoginBody },
    )
    .post('/logout', ({ request }) => {
      gate.sessions.delete(readCookie(request.headers.get('cookie'), SESSION_COOKIE));
      return new Response(null, { status: 303, headers: { location: '/', 'set-cookie': clearSessionCookie } });
    });
}
