/**
 * Anonymous reads (no cookie, no Authorization) answered from a copy for `ttlMs` (250 ms): a
 * hundred tabs or a script polling the status cost one render per path per TTL, not one per
 * request. Signed-in readers and anything personal (a page with a CSRF token, a set-cookie) are
 * never cached; nor are downloads, streams, errors or large bodies. Stale by at most the TTL, which
 * is shorter than the live stream's push interval.
 */
interface Entry {
  readonly at: number;
  readonly status: number;
  readonly headers: [string, string][];
  readonly body: ArrayBuffer;
}

const MAX_BODY = 512 * 1024;
const MAX_ENTRIES = 256;

export class ReadCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 250,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async serve(request: Request, produce: () => Response | Promise<Response>): Promise<Response> {
    const key = keyOf(request);
    if (key === null) return produce();
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return new Response(hit.body.slice(0), { status: hit.status, headers: hit.headers });
    const res = await produce();
    if (!cacheable(res)) return res;
    const body = await res.arrayBuffer();
    const entry: Entry = { at: this.now(), status: res.status, headers: [...res.headers.entries()], body };
    if (body.byteLength <= MAX_BODY) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    }
    return new Response(body.slice(0), { status: entry.status, headers: entry.headers });
  }
}

function keyOf(request: Request): string | null {
  if (request.method !== 'GET') return null;
  const h = request.headers;
  if (h.has('cookie') || h.has('authorization')) return null;
  // What the answer depends on besides the URL: htmx fragment or page, HTML or JSON.
  return `${request.url}\n${h.get('hx-request') === 'true'}\n${(h.get('accept') ?? '').includes('text/html')}`;
}

function cacheable(res: Response): boolean {
  if (res.status !== 200 || res.headers.has('set-cookie') || res.headers.has('content-disposition')) return false;
  const type = res.headers.get('content-type') ?? '';
  return type.startsWith('text/html') || type.startsWith('application/json');
}
