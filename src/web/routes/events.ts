import { Elysia } from 'elysia';
import type { WebDeps } from '../deps.ts';
import type { LiveFeed } from '../live/feed.ts';

/** GET /events: the dashboard's Server-Sent Events stream (fragments by name, chart data as JSON). */
export function eventRoutes(_deps: WebDeps, feed: LiveFeed) {
  return new Elysia({ name: 'events' }).get(
    '/events',
    ({ request }) => {
      const enc = new TextEncoder();
      let unsubscribe: (() => void) | null = null;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          unsubscribe = feed.subscribe((chunk) => controller.enqueue(enc.encode(chunk)));
          request.signal.addEventListener('abort', () => {
            unsubscribe?.();
            try {
              controller.close();
            } catch {
              // Already closed by the client.
            }
          });
        },
        cancel() {
          unsubscribe?.();
        },
      });
      return new Response(stream, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' } });
    },
    { detail: { tags: ['read'], summary: 'Live updates (Server-Sent Events): status, position, breakers, actors (HTML fragments), trades (count), chart (JSON)' } },
  );
}
