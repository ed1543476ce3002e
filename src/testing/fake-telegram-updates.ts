export type Update = { update_id: number } & Record<string, unknown>;

/**
 * The Bot API's update queue: getUpdates returns updates from `offset` on and forgets those
 * before it (that is how a bot confirms them); with a timeout and nothing queued it waits
 * (long polling) until an update arrives, the timeout passes, or the client hangs up.
 */
export class UpdateQueue {
  private updates: Update[] = [];
  private nextId = 1;
  private readonly waiters = new Set<() => void>();

  get pending(): number {
    return this.updates.length;
  }

  push(update: Record<string, unknown>): void {
    this.updates.push({ update_id: this.nextId++, ...update });
    this.wake();
  }

  clear(): void {
    this.updates = [];
  }

  /** Ends every waiting long poll now (the server is going down). */
  wake(): void {
    for (const w of [...this.waiters]) w();
  }

  async take(p: { offset?: unknown; limit?: unknown; timeout?: unknown }, signal: AbortSignal): Promise<Update[]> {
    const offset = typeof p.offset === 'number' ? p.offset : 0;
    this.updates = this.updates.filter((u) => u.update_id >= offset);
    const timeoutMs = (typeof p.timeout === 'number' ? p.timeout : 0) * 1000;
    if (this.updates.length === 0 && timeoutMs > 0 && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        this.waiters.add(done);
        signal.addEventListener('abort', done);
      });
    }
    return this.updates.slice(0, typeof p.limit === 'number' ? p.limit : 100);
  }
}
