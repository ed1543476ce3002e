/**
 * Server-Sent Events fan-out. One timer renders every fragment once per interval and sends each
 * subscriber only the events whose content changed, so the cost is per interval, not per client;
 * the timer runs only while someone listens.
 */
export class LiveFeed {
  private readonly subscribers = new Set<(chunk: string) => void>();
  private last = new Map<string, string>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private quietTicks = 0;

  constructor(
    private readonly snapshot: () => Record<string, string>,
    private readonly intervalMs: number,
    /** A failed render must not escape the timer: an uncaught error there would end the service. */
    private readonly onError: (e: unknown) => void = (e) => console.error('web.live_feed_failed', e),
  ) {}

  get listeners(): number {
    return this.subscribers.size;
  }

  /** Sends the current state at once (a reconnecting browser catches up), then changes. */
  subscribe(send: (chunk: string) => void): () => void {
    const current = this.timer === null ? this.refresh() : this.last;
    send('retry: 2000\n\n');
    for (const [event, data] of current) send(frame(event, data));
    this.subscribers.add(send);
    this.timer ??= setInterval(() => {
      try {
        this.tick();
      } catch (e) {
        this.onError(e);
      }
    }, this.intervalMs);
    return () => {
      this.subscribers.delete(send);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  /** Renders now and pushes what changed since the last push. */
  tick(): void {
    const before = this.last;
    const now = this.refresh();
    let sent = false;
    for (const [event, data] of now) {
      if (before.get(event) === data) continue;
      this.broadcast(frame(event, data));
      sent = true;
    }
    // A comment keeps idle proxies and the server's idle timeout from closing a quiet stream.
    if (sent) this.quietTicks = 0;
    else if (++this.quietTicks * this.intervalMs >= 5000) {
      this.quietTicks = 0;
      this.broadcast(': keepalive\n\n');
    }
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private refresh(): Map<string, string> {
    this.last = new Map(Object.entries(this.snapshot()));
    return this.last;
  }

  private broadcast(chunk: string): void {
    for (const send of [...this.subscribers]) {
      try {
        send(chunk);
      } catch {
        this.subscribers.delete(send);
      }
    }
  }
}

/** One SSE message; every line of a multi-line payload gets its own `data:` field. */
export function frame(event: string, data: string): string {
  return `event: ${event}\n${data.split('\n').map((l) => `data: ${l}`).join('\n')}\n\n`;
}
