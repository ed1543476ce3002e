import { bearerToken, readCookie, SESSION_COOKIE, tokenMatches, type Session, type Sessions } from './auth.ts';

/** Bodies of state-changing requests; every command body is a few bytes. */
export const BODY_LIMIT = 16 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

export interface Rejection {
  readonly status: 401 | 403 | 413;
  readonly error: string;
  readonly message: string;
}

/** Who made a state-changing request, for the audit table. Never the token itself. */
export interface Principal {
  readonly kind: 'bearer' | 'session';
}

/** What a page needs to know about the browser looking at it. */
export interface Viewer {
  readonly tokenConfigured: boolean;
  readonly session: Session | null;
}

const reject = (status: Rejection['status'], error: string, message: string): Rejection => ({ status, error, message });

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * The one gate every request passes before routing: Host check (a loopback dashboard answers only
 * to loopback names, which defeats DNS rebinding), body size, then for anything that changes state
 * the token (bearer header or session cookie) and, for cookie sessions, same-origin plus the CSRF
 * token. Bearer requests need no CSRF token: a browser never attaches that header on its own.
 */
export class Gate {
  private readonly principals = new WeakMap<Request, Principal>();

  constructor(
    private readonly token: string | null,
    readonly sessions: Sessions,
    private readonly loopbackOnly: boolean,
  ) {}

  get tokenConfigured(): boolean {
    return this.token !== null;
  }

  viewer(request: Request): Viewer {
    return { tokenConfigured: this.token !== null, session: this.sessions.get(readCookie(request.headers.get('cookie'), SESSION_COOKIE)) };
  }

  principal(request: Request): Principal | null {
    return this.principals.get(request) ?? null;
  }

  checkToken(given: string | null | undefined): boolean {
    return tokenMatches(this.token, given);
  }

  async check(request: Request): Promise<Rejection | null> {
    const url = new URL(request.url);
    if (this.loopbackOnly && !isLoopbackHost(url.hostname)) {
      return reject(403, 'host', `this dashboard only answers to loopback names (localhost, 127.0.0.1), not '${url.hostname}'`);
    }
    if (SAFE_METHODS.has(request.method)) return null;
    const body = await readLimited(request, BODY_LIMIT);
    if (body === null) return reject(413, 'payload_too_large', `request body over ${BODY_LIMIT} bytes (16 KiB); commands take a few bytes: nothing was changed`);
    // The login form proves the token itself; only a cross-site post is refused.
    if (url.pathname === '/login') return sameOrigin(request, url) ? null : reject(403, 'cross_origin', 'login must come from this dashboard\'s own page');
    if (this.token === null) {
      return reject(401, 'no_token_configured', 'controls are disabled: no dashboard token is configured; set QS_DASHBOARD_TOKEN and restart');
    }
    if (request.headers.has('authorization')) {
      if (!tokenMatches(this.token, bearerToken(request.headers.get('authorization')))) return reject(401, 'wrong_token', 'wrong token: send Authorization: Bearer <QS_DASHBOARD_TOKEN>; nothing was changed');
      if (request.headers.has('origin') && !sameOrigin(request, url)) return reject(403, 'cross_origin', 'cross-origin request refused; nothing was changed');
      this.principals.set(request, { kind: 'bearer' });
      return null;
    }
    const cookie = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
    const session = this.sessions.get(cookie);
    if (!session) {
      return reject(401, cookie ? 'session_expired' : 'missing_token', cookie ? 'session expired or unknown: log in again at /login; nothing was changed' : 'missing token: log in at /login or send Authorization: Bearer <QS_DASHBOARD_TOKEN>; nothing was changed');
    }
    if (!sameOrigin(request, url)) return reject(403, 'cross_origin', 'cross-origin request refused: Origin or Referer must be this dashboard; nothing was changed');
    const csrf = request.headers.get(CSRF_HEADER) ?? formField(request, body, CSRF_FIELD);
    if (!tokenMatches(session.csrf, csrf)) return reject(403, 'csrf', `missing or wrong CSRF token (${CSRF_HEADER} header or ${CSRF_FIELD} field); reload the page; nothing was changed`);
    this.principals.set(request, { kind: 'session' });
    return null;
  }
}

function sameOrigin(request: Request, url: URL): boolean {
  const origin = request.headers.get('origin');
  if (origin && origin !== 'null') return origin === url.origin;
  const referer = request.headers.get('referer');
  if (!referer) return false;
  try {
    return new URL(referer).origin === url.origin;
  } catch {
    return false;
  }
}

/** The body, read from a clone so the router can still parse it; null when it is over `limit`. */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | null> {
  if (Number(request.headers.get('content-length') ?? 0) > limit) return null;
  if (!request.body) return new Uint8Array();
  const reader = request.clone().body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function formField(request: Request, body: Uint8Array, name: string): string | null {
  if (!request.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded')) return null;
  return new URLSearchParams(new TextDecoder().decode(body)).get(name);
}
