/**
 * IB's time texts as epoch ms. TWS writes:
 * - epoch seconds (history with formatDate 2);
 * - `yyyymmdd-hh:mm:ss` in UTC (what the API documents for requests, and some answers);
 * - `yyyymmdd hh:mm:ss Zone` (executions and formatDate-1 bars on current gateways), the zone
 *   an IANA name (`US/Eastern`, `America/New_York`) or a short name (`EST`, `EDT`, `CET`…);
 * - `yyyymmdd  hh:mm:ss` (two spaces, no zone: older gateways), in the gateway's own zone —
 *   the zone the handshake's connection time names.
 */

/**
 * Short zone names as Java's `z` pattern writes them (TWS is a Java program) → the region they
 * stand for. A short name says the offset in force when it was written (EST −5, EDT −4), which is
 * what the region gives at that instant. Known from IB's documentation and public logs; the list
 * covers the zones a TWS login offers for North America, Europe and Asia-Pacific.
 */
const SHORT_ZONES: Record<string, string> = {
  EST: 'America/New_York', EDT: 'America/New_York', CST: 'America/Chicago', CDT: 'America/Chicago',
  MST: 'America/Denver', MDT: 'America/Denver', PST: 'America/Los_Angeles', PDT: 'America/Los_Angeles',
  GMT: 'UTC', UTC: 'UTC', BST: 'Europe/London', WET: 'Europe/Lisbon', CET: 'Europe/Berlin', CEST: 'Europe/Berlin',
  MET: 'Europe/Berlin', MEST: 'Europe/Berlin', EET: 'Europe/Athens', EEST: 'Europe/Athens', MSK: 'Europe/Moscow',
  HKT: 'Asia/Hong_Kong', JST: 'Asia/Tokyo', KST: 'Asia/Seoul', SGT: 'Asia/Singapore', IST: 'Asia/Kolkata',
  AEST: 'Australia/Sydney', AEDT: 'Australia/Sydney', NZST: 'Pacific/Auckland', NZDT: 'Pacific/Auckland',
};

const zoneFormats = new Map<string, Intl.DateTimeFormat | null>();

function formatter(zone: string): Intl.DateTimeFormat | null {
  if (zoneFormats.has(zone)) return zoneFormats.get(zone)!;
  let fmt: Intl.DateTimeFormat | null;
  try {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    fmt = null;
  }
  zoneFormats.set(zone, fmt);
  return fmt;
}

/** An IANA zone for IB's zone text, or null when neither the runtime nor the short-name table knows it. */
export function resolveZone(zone: string): string | null {
  const z = zone.trim();
  const mapped = SHORT_ZONES[z.toUpperCase()];
  if (mapped !== undefined) return mapped;
  // "GMT+1", "GMT-05:00": a fixed offset (IANA's Etc zones count the other way round).
  const offset = /^(?:GMT|UTC)([+-])(\d{1,2})(?::?00)?$/.exec(z.toUpperCase());
  if (offset) return Number(offset[2]) === 0 ? 'UTC' : `Etc/GMT${offset[1] === '+' ? '-' : '+'}${Number(offset[2])}`;
  return formatter(z) === null ? null : z;
}

/** The zone named at the end of a connection time such as `20260105 10:00:00 EST`; null when none is readable. */
export function zoneOfConnectionTime(text: string): string | null {
  const m = /\s(\S+)\s*$/.exec(text.trim());
  if (!m || /^\d/.test(m[1]!)) return null;
  return resolveZone(m[1]!);
}

/** The zone's offset from UTC at `utcMs`, in ms. */
function zoneOffsetMs(zone: string, utcMs: number): number {
  const p = Object.fromEntries(formatter(zone)!.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!) - Math.floor(utcMs / 1000) * 1000;
}

/**
 * An IB time as epoch ms, or null when unreadable. `defaultZone` is the gateway's zone (from the
 * handshake) for a time written without one; without it such a time is taken as UTC.
 */
export function parseIbTime(text: string, defaultZone: string | null = null): number | null {
  const s = text.trim();
  if (/^\d{9,11}$/.test(s)) return Number(s) * 1000;
  const m = /^(\d{4})(\d{2})(\d{2})(?:(-| +)(\d{2}):(\d{2}):(\d{2}))?(?:\s+(\S+))?$/.exec(s);
  if (!m) return null;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[5] ?? 0), +(m[6] ?? 0), +(m[7] ?? 0));
  if (Number.isNaN(wall) || +m[2]! < 1 || +m[2]! > 12 || +m[3]! < 1 || +m[3]! > 31) return null;
  // `-` separates a UTC time; a space, a time in the named zone or the gateway's.
  const named = m[8];
  const zone = named !== undefined ? resolveZone(named) : m[4] === '-' ? 'UTC' : defaultZone;
  if (named !== undefined && zone === null) return null;
  if (zone === null || zone === 'UTC') return wall;
  // Two passes: the offset at the guessed instant, then at the corrected one (DST edges).
  const first = zoneOffsetMs(zone, wall);
  return wall - zoneOffsetMs(zone, wall - first);
}

/** UTC ms of the last midnight in `zone` (IANA) at or before `utcMs`: IB's "current day" for executions. */
export function startOfDay(utcMs: number, zone: string | null): number {
  const z = zone ?? 'UTC';
  if (formatter(z) === null) return utcMs - (utcMs % 86_400_000);
  const local = utcMs + zoneOffsetMs(z, utcMs);
  const midnightLocal = local - (((local % 86_400_000) + 86_400_000) % 86_400_000);
  return midnightLocal - zoneOffsetMs(z, midnightLocal - zoneOffsetMs(z, midnightLocal));
}
