/** Small response helpers shared by the route modules. */

export function html(body: string, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(body, { status: init.status ?? 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...init.headers } });
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });
}

/** htmx marks its requests; they get fragments, everything else JSON. */
export const isHtmx = (request: Request) => request.headers.get('hx-request') === 'true';

/** A browser navigating (not htmx, not fetch/curl asking for JSON) gets an HTML page. */
export const wantsPage = (request: Request) => !isHtmx(request) && (request.headers.get('accept') ?? '').includes('text/html');

export function csvResponse(filename: string, body: ReadableStream<Uint8Array> | string): Response {
  return new Response(body, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store' },
  });
}

/** RFC 4180 quoting; a leading =, +, - or @ is defused so a spreadsheet never runs it as a formula. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
