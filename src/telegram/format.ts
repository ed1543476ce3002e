/**
 * Telegram HTML. Every value that came from outside the literal text of this module (prices,
 * reasons, error messages, strategy names, notes) goes through `esc`: Telegram refuses a whole
 * message over one stray `<` or `&`, and an unescaped value could forge formatting or links.
 */

/** Telegram's limit is 4096 characters; the margin leaves room for a closing line. */
export const MAX_MESSAGE = 4000;

export function esc(value: unknown): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export const b = (value: unknown): string => `<b>${esc(value)}</b>`;
export const code = (value: unknown): string => `<code>${esc(value)}</code>`;

/** +$1,234.50 / -$12.00 / $0.00 */
export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return value > 0 ? `+$${abs}` : value < 0 ? `-$${abs}` : `$${abs}`;
}

/** $1,234.50: amounts without a direction (equity, limits). */
export function dollars(value: number | null | undefined): string {
  return usd(value === null || value === undefined ? value : Math.abs(value)).replace('+', '');
}

export function price(value: number | null | undefined): string {
  return value === null || value === undefined ? 'n/a' : value.toFixed(2);
}

const NY = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/**
 * `Mon 2026-01-05 09:30 New York`: the exchange's clock (CME sessions, the 18:00 halt reset and
 * the 17:00 close are all New York times), with the date, so an alert read the next morning is
 * not ambiguous.
 */
export function nyTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return 'n/a';
  const p = Object.fromEntries(NY.formatToParts(ms).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} New York`;
}

/** Every ISO-8601 UTC time in a text (`2026-01-05T14:30:00.000Z`) rewritten as New York time. */
export function isoToNewYork(text: string): string {
  return text.replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,3})?)?Z\b/g, (iso) => nyTime(Date.parse(iso)));
}

/** 3d 4h · 1h 02m · 42s */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function pct(fraction: number | null | undefined, digits = 0): string {
  return fraction === null || fraction === undefined || !Number.isFinite(fraction) ? 'n/a' : `${(fraction * 100).toFixed(digits)}%`;
}

export function num(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
}

/**
 * A header and as many lines as fit in one message; the rest is summarised, never cut through a
 * tag (a cut tag would make Telegram refuse the whole message).
 */
export function fitLines(header: string, lines: readonly string[], footer = ''): string {
  const out = [header];
  let size = header.length + footer.length + 40;
  for (const [i, line] of lines.entries()) {
    if (size + line.length + 1 > MAX_MESSAGE) {
      out.push(`… ${lines.length - i} more not shown`);
      break;
    }
    out.push(line);
    size += line.length + 1;
  }
  if (footer) out.push(footer);
  return out.join('\n');
}

/** Escapes `text`, cut (with …) so the escaped result stays within `max` characters. */
export function escClip(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    const e = esc(ch);
    if (out.length + e.length > max - 1) return `${out}…`;
    out += e;
  }
  return out;
}
