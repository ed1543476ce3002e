/** Display formats. Times are UTC and say so: the bot, its logs and the API all speak UTC. */

const usd = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "+$1,234.50", "−$12.00" (a real minus sign, so it lines up with the plus), "$0.00". */
export function money(dollars: number | null | undefined, signed = true): string {
  if (dollars === null || dollars === undefined || !Number.isFinite(dollars)) return '—';
  const abs = `$${usd.format(Math.abs(dollars))}`;
  if (dollars < 0) return `−${abs}`;
  return signed && dollars > 0 ? `+${abs}` : abs;
}

export function price(p: number | null | undefined): string {
  return p === null || p === undefined || !Number.isFinite(p) ? '—' : p.toFixed(2);
}

export function num(n: number | null | undefined, digits = 2): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(digits);
}

export function pct(fraction: number | null | undefined, digits = 1): string {
  return fraction === null || fraction === undefined || !Number.isFinite(fraction) ? '—' : `${(fraction * 100).toFixed(digits)}%`;
}

/** "14:05 UTC" */
export function clock(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

/** "2026-01-04 23:00" (UTC) */
export function dateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

export function date(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

/** "3d 4h", "1h 02m", "4m 05s" */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${pad(m)}m`;
  return `${m}m ${pad(s % 60)}s`;
}

/** CSS class for a signed amount: green profit, red loss. */
export function tone(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n === 0) return 'flat';
  return n > 0 ? 'profit' : 'loss';
}

export function params(p: Readonly<Record<string, number>> | null | undefined): string {
  if (!p) return '—';
  const entries = Object.entries(p);
  return entries.length === 0 ? '—' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

/** A stored spec (walk-forward settings, a grid) as "folds=3 · train=0.7 · grid: lookback 10,20 · …". */
export function spec(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => spec(v)).join(',');
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? `${k}: ${spec(v)}` : `${k}${Array.isArray(v) ? ' ' : '='}${spec(v)}`))
      .join(' · ');
  }
  return String(value);
}
