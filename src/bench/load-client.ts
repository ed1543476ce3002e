/**
 * The dashboard load for `bench/under-load.ts`, in its own process so generating it costs the
 * trading process nothing: `sse` Server-Sent-Events clients held open, then `requests` GETs over
 * the dashboard's pages, fragments and API with `concurrency` in flight. Prints one JSON line.
 * Every request has a deadline, and the whole run one, so it always ends.
 */
/** What a dashboard and a status script read. Downloads (trades.csv) are paced the same way but are not the load modelled. */
const PATHS = ['/', '/fragments/status', '/fragments/position', '/fragments/trades', '/fragments/breakers', '/api/status', '/api/pnl', '/api/trades', '/health', '/statecharts'];

export interface LoadResult {
  readonly requests: number;
  readonly statuses: Record<string, number>;
  readonly sseOpened: number;
  readonly sseRefused: number;
  readonly ms: number;
}

export async function generateLoad(base: string, o: { requests: number; concurrency: number; sse: number; deadlineMs: number }): Promise<LoadResult> {
  const started = performance.now();
  const stop = AbortSignal.timeout(o.deadlineMs);
  const statuses: Record<string, number> = {};
  const count = (k: string) => void (statuses[k] = (statuses[k] ?? 0) + 1);
  const streams: AbortController[] = [];
  let sseOpened = 0;
  let sseRefused = 0;
  await Promise.all(
    Array.from({ length: o.sse }, async () => {
      const ac = new AbortController();
      streams.push(ac);
      try {
        const res = await fetch(`${base}/events`, { signal: AbortSignal.any([ac.signal, stop]) });
        if (res.status !== 200) {
          sseRefused++;
          await res.body?.cancel();
          return;
        }
        sseOpened++;
        // Read in the background so the server's writes never block on a full socket.
        void (async () => {
          try {
            const reader = res.body!.getReader();
            for (;;) if ((await reader.read()).done) break;
          } catch {}
        })();
      } catch {
        sseRefused++;
      }
    }),
  );
  let next = 0;
  const worker = async () => {
    while (next < o.requests && !stop.aborted) {
      const path = PATHS[next++ % PATHS.length]!;
      try {
        const res = await fetch(`${base}${path}`, { signal: AbortSignal.any([stop, AbortSignal.timeout(10_000)]) });
        await res.arrayBuffer();
        count(String(res.status));
      } catch {
        count('error');
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  for (const s of streams) s.abort();
  return { requests: Object.values(statuses).reduce((a, b) => a + b, 0), statuses, sseOpened, sseRefused, ms: performance.now() - started };
}

if (import.meta.main) {
  const [base, requests, concurrency, sse, deadlineMs] = process.argv.slice(2);
  const result = await generateLoad(base!, { requests: Number(requests), concurrency: Number(concurrency), sse: Number(sse), deadlineMs: Number(deadlineMs) });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
