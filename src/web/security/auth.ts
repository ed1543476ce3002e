import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A browser's login: the cookie names it, and its CSRF token must come back with every change. */
export interface Session {
  readonly id: string;
  readonly csrf: string;
  readonly expires: number;
}

export const SESSION_COOKIE = 'qs_session';
const TTL_MS = 12 * 60 * 60 * 1000;
/** Logins need the token, so this only bounds memory if a script logs in in a loop. */
const MAX_SESSIONS = 64;

/**
 * Constant-time token check. Hashing both sides first gives equal-length inputs, so neither the
 * compare nor an early length check leaks how much of the token was right.
 */
export function tokenMatches(expected: string | null, given: string | null | undefined): boolean {
  if (!expected || typeof given !== 'string' || given === '') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

const randomId = () => randomBytes(32).toString('base64url');

/** In memory on purpose: a restart logs everyone out, which is the safe direction. */
export class Sessions {
  private readonly byId = new Map<string, Session>();

  constructor(private readonly now: () => number) {}

  create(): Session {
    const session = { id: randomId(), csrf: randomId(), expires: this.now() + TTL_MS };
    this.byId.set(session.id, session);
    // Map iteration is insertion order: the first key is the oldest login.
    while (this.byId.size > MAX_SESSIONS) this.byId.delete(this.byId.keys().next().value!);
    return session;
  }

  get(id: string | null): Session | null {
    if (!id) return null;
    const s = this.byId.get(id);
    if (!s) return null;
    if (s.expires <= this.now()) {
      this.byId.delete(id);
      return null;
    }
    return s;
  }

  delete(id: string | null): void {
    if (id) this.byId.delete(id);
  }
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function sessionCookie(session: Session): string {
  return `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(TTL_MS / 1000)}`;
}

export const clearSessionCookie = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;

export function bearerToken(header: string | null): string | null {
  const m = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return m ? m[1]! : null;
}
