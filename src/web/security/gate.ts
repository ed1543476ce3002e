import { bearerToken, readCookie, SESSION_COOKIE, tokenMatches, type Session, type Sessions } from './auth.ts';
import type { Throttle } from './throttle.ts';

/** Bodies of state-changing requests; every command body is a few bytes. */
export const BODY_LIMIT = 16 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

export interface Rejection {
  readonly status: 400 | 401 | 403 | 413 | 429;
  readonly error: string;
  readonly message: string;
  /** Seconds to wait, for a 429's Retry-After. */
  readonly retryAfterSec?: number;
}

/** A refused request as the audit table and the log see it: who (address), what, why. Never a token. */
export interface Refusal {
  readonly client: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly error: string;
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

export interface GateOptions {
  readonly token: string | null;
  readonly sessions: Sessions;
  /** A loopback bind: only loopback Host names, and reads need no token. Off loopback every read needs one too. */
  readonly loopbackOnly: boolean;
  readonly throttle: Throttle;
  /** Every refused command or login and every wrong token, once each; a locked-out client's first refusal per lockout. */
  readonly onRefused?: (r: Refusal) => void;
}

const reject = (status: Rejection['status'], error: string, message: string): Rejection => ({ status, error, message });

/** What an off-loopback dashboard serves without a token: the login form and what it loads. */
const PUBLIC_PATHS = new Set(['/login', '/assets/app.css', '/assets/favicon.svg', '/favicon.ico']);

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * The one gate every request passes before routing: Host check (a loopback dashboard answers only
 * to loopback names, which defeats DNS rebinding), body size, then for anything that changes state
 * (and off loopback for every read) the token (bearer header or session cookie) and, for cookie
 * sessions on changes, same-origin plus the CSRF token. Bearer requests need no CSRF token: a
 * browser never attaches that header on its own. Wrong tokens count against the client's address
 * (see Throttle); a locked-out client gets 429 before any token is compared.
 */
export class Gate {
  private readonly principals = new WeakMap<Request, Principal>();
  private readonly clients = new WeakMap<Request, string>();
  private readonly token: string | null;
  readonly sessions: Sessions;
  private readonly loopbackOnly: boolean;
  private readonly throttle: Throttle;
  private readonly onRefused: (r: Refusal) => void;

  constructor(o: GateOptions) {
    this.token = o.token;
    this.sessions = o.sessions;
    this.loopbackOnly = o.loopbackOnly;
    this.throttle = o.throttle;
    this.onRefused = o.onRefused ?? (() => {});
  }

  get tokenConfigured(): boolean {
    return this.token !== null;
  }

  viewer(request: Request): Viewer {
    return { tokenConfigured: this.token !== null, session: this.sessions.get(readCookie(request.headers.get('cookie'), SESSION_COOKIE)) };
  }

  principal(request: Request): Principal | null {
    return this.principals.get(request) ?? null;
  }

  /** The login form's token check: throttled and reported like a bearer token. */
  checkLogin(request: Request, given: string | null | undefined): Rejection | null {
    const client = this.clients.get(request) ?? 'local';
    const locked = this.lockout(request, client);
    if (locked) return locked;
    if (tokenMatches(this.token, given)) {
      this.throttle.succeeded(client);
      return null;
    }
    return this.wrongToken(request, client, 'wrong token');
  }

  async check(request: Request, client = 'local'): Promise<Rejection | null> {
    this.clients.set(request, client);
    const refusal = await this.decide(request, client);
    // A lockout reports itself (once per lockout); everything else refused to change state is reported here.
    if (refusal && refusal.status !== 429 && refusal.error !== 'wrong_token' && (!SAFE_METHODS.has(request.method) || refusal.status === 401)) {
      this.report(request, client, refusal);
    }
    return refusal;
  }

  private async decide(request: Request, client: string): Promise<Rejection | null> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return reject(400, 'bad_host', 'malformed Host header');
    }
    if (this.loopbackOnly && !isLoopbackHost(url.hostname)) {
      return reject(403, 'host', `this dashboard only answers to loopback names (localhost, 127.0.0.1), not '${url.hostname.slice(0, 80)}'`);
    }
    const presentsToken = request.headers.has('authorization') || (url.pathname === '/login' && request.method === 'POST');
    if (presentsToken) {
      const locked = this.lockout(request, client);
      if (locked) return locked;
    }
    // Whatever the method: Bun is told to accept any size (see listen.ts), so this is the limit.
    if (declaresOversizedBody(request)) return tooLarge();
    // A GET or HEAD is never read, so a chunked body on one would stream in unbounded: refused.
    if (SAFE_METHODS.has(request.method) && request.headers.has('transfer-encoding')) return reject(400, 'body_not_allowed', `${request.method} takes no body; nothing was read`);
    if (SAFE_METHODS.has(request.method)) return this.loopbackOnly || PUBLIC_PATHS.has(url.pathname) ? null : this.authenticateRead(request, client);
    const body = await readLimited(request, BODY_LIMIT);
    if (body === null) return tooLarge();
    // The login form proves the token itself; only a cross-site post is refused.
    if (url.pathname === '/login') return sameOrigin(request, url) ? null : reject(403, 'cross_origin', 'login must come from this dashboard\'s own page');
    if (this.token === null) {
      return reject(401, 'no_token_configured', 'controls are disabled: no dashboard token is configured; set QS_DASHBOARD_TOKEN and restart');
    }
    if (request.headers.has('authorization')) {
      if (!tokenMatches(this.token, bearerToken(request.headers.get('authorization')))) return this.wrongToken(request, client, 'wrong token: send Authorization: Bearer <QS_DASHBOARD_TOKEN>; nothing was changed');
      this.throttle.succeeded(client);
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

  /** Off loopback anyone on the network can ask, so a read needs the token (or a session) too. */
  private authenticateRead(request: Request, client: string): Rejection | null {
    if (request.headers.has('authorization')) {
      if (!tokenMatches(this.token, bearerToken(request.headers.get('authorization')))) return this.wrongToken(request, client, 'wrong token: send Authorization: Bearer <QS_DASHBOARD_TOKEN>');
      this.throttle.succeeded(client);
      return null;
    }
    if (this.sessions.get(readCookie(request.headers.get('cookie'), SESSION_COOKIE))) return null;
    return reject(401, 'login_required', 'this dashboard is reachable from other machines, so reading it needs the token: log in at /login or send Authorization: Bearer <QS_DASHBOARD_TOKEN>');
  }

  private lockout(request: Request, client: string): Rejection | null {
    const ms = this.throttle.lockedFor(client);
    if (ms <= 0) return null;
    const retryAfterSec = Math.ceil(ms / 1000);
    const r: Rejection = { status: 429, error: 'locked_out', message: `too many wrong tokens from ${client}: try again in ${retryAfterSec} s; nothing was checked or changed`, retryAfterSec };
    if (this.throttle.refusedWhileLocked(client) === 1) this.report(request, client, r);
    return r;
  }

  private wrongToken(request: Request, client: string, message: string): Rejection {
    const { lockoutMs } = this.throttle.failed(client);
    const r: Rejection = { status: 401, error: 'wrong_token', message: lockoutMs > 0 ? `${message} (next try allowed in ${Math.ceil(lockoutMs / 1000)} s)` : message };
    this.report(request, client, r);
    return r;
  }

  /** A command the router refused after the gate (malformed or wrong-shaped body): reported like the gate's own. */
  reportInvalid(request: Request, status: number, error: string): void {
    if (!SAFE_METHODS.has(request.method)) this.report(request, this.clients.get(request) ?? 'local', { status: status as Rejection['status'], error });
  }

  private report(request: Request, client: string, r: Pick<Rejection, 'status' | 'error'>): void {
    let path = '?';
    try {
      path = new URL(request.url).pathname.slice(0, 80);
    } catch {}
    this.onRefused({ client, method: request.method.slice(0, 10), path, status: r.status, error: r.error });
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

const tooLarge = () => reject(413, 'payload_too_large', `request body over ${BODY_LIMIT} bytes (16 KiB); commands take a few bytes: nothing was changed`);

/** The request's Content-Length says more than BODY_LIMIT: refused before a byte of the body is read. */
export const declaresOversizedBody = (request: Request): boolean => Number(request.headers.get('content-length') ?? 0) > BODY_LIMIT;

/** The gate refuses this request by its head alone (an oversized or a chunked body where none is read): no reason to queue it. */
export const refusedByHead = (request: Request): boolean => declaresOversizedBody(request) || (SAFE_METHODS.has(request.method) && request.headers.has('transfer-encoding'));

/** The body, read from a clone so the router can still parse it; null when it is over `limit`. */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array();
  const reader = request.clone().body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // A tee'd branch's cancel settles only once both branches are cancelled (Streams spec):
      // awaiting the clone's alone would hang the request and its 413 forever.
      await Promise.all([reader.cancel(), request.body.cancel()]);
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
