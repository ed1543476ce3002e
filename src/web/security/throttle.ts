/**
 * Failed token guesses per client (remote address). The first few failures are free (typos);
 * after that each failure locks the client out for twice as long as the last, up to a ceiling, and
 * while locked out no token from that client is even compared. A success clears the record; a
 * record with no failure for a whole window is forgotten.
 *
 * With the defaults a script gets 5 guesses, then waits 1 s, 2 s, 4 s … 15 min between single
 * guesses: under 100 guesses a day instead of thousands a second.
 */
export interface ThrottleOptions {
  /** Failures allowed before the first lockout. */
  readonly free?: number;
  /** The first lockout; each further failure doubles it. */
  readonly baseMs?: number;
  /** The longest lockout. */
  readonly maxMs?: number;
  /** A client with no failure for this long starts afresh. */
  readonly forgetMs?: number;
  /** Clients tracked at once; the oldest record goes first (memory stays bounded under a spray of addresses). */
  readonly maxClients?: number;
}

interface Record {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
  /** Requests refused while the current lockout runs (only the first is reported). */
  refusedLocked: number;
}

export interface Failure {
  /** Failures so far in this window. */
  readonly failures: number;
  /** Milliseconds this client must now wait (0: it may try again at once). */
  readonly lockoutMs: number;
}

export class Throttle {
  private readonly byClient = new Map<string, Record>();
  private readonly free: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly forgetMs: number;
  private readonly maxClients: number;

  constructor(
    private readonly now: () => number,
    o: ThrottleOptions = {},
  ) {
    this.free = o.free ?? 5;
    this.baseMs = o.baseMs ?? 1000;
    this.maxMs = o.maxMs ?? 15 * 60_000;
    this.forgetMs = o.forgetMs ?? 60 * 60_000;
    this.maxClients = o.maxClients ?? 10_000;
  }

  /** Milliseconds before `client` may present a token again; 0 when it may now. */
  lockedFor(client: string): number {
    const r = this.live(client);
    return r ? Math.max(0, r.lockedUntil - this.now()) : 0;
  }

  failed(client: string): Failure {
    const now = this.now();
    const r = this.live(client) ?? { failures: 0, lockedUntil: 0, lastFailure: now, refusedLocked: 0 };
    r.failures += 1;
    r.lastFailure = now;
    const over = r.failures - this.free;
    const lockoutMs = over <= 0 ? 0 : Math.min(this.maxMs, this.baseMs * 2 ** Math.min(over - 1, 30));
    r.lockedUntil = now + lockoutMs;
    r.refusedLocked = 0;
    // Re-inserting moves the client to the end: the first key is always the stalest record.
    this.byClient.delete(client);
    this.byClient.set(client, r);
    while (this.byClient.size > this.maxClients) this.byClient.delete(this.byClient.keys().next().value!);
    return { failures: r.failures, lockoutMs };
  }

  /** Counts a request refused during the lockout; returns how many so far in this lockout. */
  refusedWhileLocked(client: string): number {
    const r = this.byClient.get(client);
    if (!r) return 0;
    r.refusedLocked += 1;
    return r.refusedLocked;
  }

  succeeded(client: string): void {
    this.byClient.delete(client);
  }

  private live(client: string): Record | null {
    const r = this.byClient.get(client);
    if (!r) return null;
    if (this.now() - r.lastFailure >= this.forgetMs && r.lockedUntil <= this.now()) {
      this.byClient.delete(client);
      return null;
    }
    return r;
  }
}
