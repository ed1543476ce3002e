/**
 * Keeps the dashboard from eating the machine the trading thread runs on. The service serves HTTP
 * on a thread of its own (`web/worker`), but that thread, its clients and the trading thread share
 * the cores, and every render asks the trading thread for its data: so reads are admitted against a
 * budget of wall time — handlers may use at most `share` of it, with a small burst so one person
 * loading a page never waits. Past the budget, reads queue per client and are served round-robin,
 * so one flooding client cannot starve another; past `maxPerClient` waiting, a client is refused
 * (429) after a delay, so a refused flood cannot spin either. Live streams are capped per client
 * and in total; their cost is per push, not per client. Commands are not paced: a flatten must
 * never wait behind a flood of reads.
 */
export interface AdmissionOptions {
  /** Fraction of wall time read handlers may use (default 0.05: 50 ms a second; the service's web thread uses 0.15, see web/worker/host.ts). */
  readonly share?: number;
  /** Credit a quiet server builds up, in ms of handler time (default 10). */
  readonly burstMs?: number;
  /** Charged per request on top of the handler's own time: Bun's parsing and writing (default 0.03 ms). */
  readonly overheadMs?: number;
  /** Reads one client may have waiting or running (default 64). */
  readonly maxPerClient?: number;
  /**
   * Handlers running at once (default 1). Their time is measured from start to finish, which is
   * their own CPU time only while one runs at a time (a read renders in microtasks, with no
   * macrotask in between for anything else to run in).
   */
  readonly maxRunning?: number;
  /** Live streams per client and in total (default 8 and 64). */
  readonly streamsPerClient?: number;
  readonly streamsTotal?: number;
  readonly now?: () => number;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  /** Runs `fn` in a later macrotask (default setImmediate). */
  readonly defer?: (fn: () => void) => unknown;
}

export class Admission {
  private readonly share: number;
  private readonly burstMs: number;
  private readonly overheadMs: number;
  private readonly maxPerClient: number;
  private readonly maxRunning: number;
  private readonly streamsPerClient: number;
  private readonly streamsTotal: number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly defer: (fn: () => void) => unknown;
  private credit: number;
  private refilledAt: number;
  private running = 0;
  private wakeScheduled = false;
  /** Waiting reads per client; Map order is the round-robin order. */
  private readonly queues = new Map<string, Array<() => void>>();
  private readonly pending = new Map<string, number>();
  private readonly streams = new Map<string, number>();
  private streamCount = 0;

  constructor(o: AdmissionOptions = {}) {
    this.share = o.share ?? 0.05;
    this.burstMs = o.burstMs ?? 10;
    this.overheadMs = o.overheadMs ?? 0.03;
    this.maxPerClient = o.maxPerClient ?? 64;
    this.maxRunning = o.maxRunning ?? 1;
    this.streamsPerClient = o.streamsPerClient ?? 8;
    this.streamsTotal = o.streamsTotal ?? 64;
    this.now = o.now ?? (() => performance.now());
    this.setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.defer = o.defer ?? ((fn) => setImmediate(fn));
    this.credit = this.burstMs;
    this.refilledAt = this.now();
  }

  /** Runs `handler` when the budget allows; null when this client already has too many waiting. */
  async read<T>(client: string, handler: () => T | Promise<T>): Promise<{ value: T } | null> {
    const mine = this.pending.get(client) ?? 0;
    if (mine >= this.maxPerClient) return null;
    this.pending.set(client, mine + 1);
    try {
      await this.turn(client);
      const started = this.now();
      try {
        return { value: await handler() };
      } finally {
        // The debt is capped: one slow render (a first layout) must not stall every reader for long.
        this.credit = Math.max(-10 * this.burstMs, this.credit - (this.now() - started + this.overheadMs));
        this.running--;
        // The next read starts in a later macrotask, so a bar that arrived meanwhile goes first.
        this.defer(() => this.schedule());
      }
    } finally {
      const left = (this.pending.get(client) ?? 1) - 1;
      if (left === 0) this.pending.delete(client);
      else this.pending.set(client, left);
    }
  }

  /** A live stream may open; call the returned function when it closes. Null when over the caps. */
  openStream(client: string): (() => void) | null {
    const mine = this.streams.get(client) ?? 0;
    if (mine >= this.streamsPerClient || this.streamCount >= this.streamsTotal) return null;
    this.streams.set(client, mine + 1);
    this.streamCount++;
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      this.streamCount--;
      const left = (this.streams.get(client) ?? 1) - 1;
      if (left === 0) this.streams.delete(client);
      else this.streams.set(client, left);
    };
  }

  get openStreams(): number {
    return this.streamCount;
  }

  get waiting(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  private turn(client: string): Promise<void> {
    this.refill();
    if (this.queues.size === 0 && this.running < this.maxRunning && this.credit > 0) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const q = this.queues.get(client);
      if (q) q.push(resolve);
      else this.queues.set(client, [resolve]);
      this.schedule();
    });
  }

  private refill(): void {
    const t = this.now();
    this.credit = Math.min(this.burstMs, this.credit + (t - this.refilledAt) * this.share);
    this.refilledAt = t;
  }

  private schedule(): void {
    this.refill();
    while (this.queues.size > 0 && this.running < this.maxRunning && this.credit > 0) {
      // Round-robin: take the first client's oldest read, then move that client to the back.
      const [client, q] = this.queues.entries().next().value!;
      const next = q.shift()!;
      this.queues.delete(client);
      if (q.length > 0) this.queues.set(client, q);
      this.running++;
      next();
    }
    if (this.queues.size > 0 && this.credit <= 0 && !this.wakeScheduled) {
      this.wakeScheduled = true;
      this.setTimer(
        () => {
          this.wakeScheduled = false;
          this.schedule();
        },
        Math.max(1, Math.ceil(-this.credit / this.share)),
      );
    }
  }
}
