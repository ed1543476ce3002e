/**
 * Times as TWS writes them, in the gateway's own time zone (the zone of the TWS / Gateway login,
 * IB's "time zone for API" setting). Execution times are `yyyymmdd hh:mm:ss Zone` on current
 * gateways and `yyyymmdd  hh:mm:ss` (two spaces, no zone, still in the gateway's zone) on older
 * ones; the handshake's connection time carries the zone's short name (`EST`, `CET`).
 */

export type ExecTimeStyle = 'zoned' | 'legacy';

const formats = new Map<string, Intl.DateTimeFormat>();
const names = new Map<string, Intl.DateTimeFormat>();

function fmt(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(zone, f);
  }
  return f;
}

/** Wall-clock date `yyyymmdd` and time `hh:mm:ss` of `utcMs` in `zone`. */
export function wallParts(utcMs: number, zone: string): { ymd: string; hms: string } {
  const p = Object.fromEntries(fmt(zone).formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]));
  return { ymd: `${p.year}${p.month}${p.day}`, hms: `${p.hour}:${p.minute}:${p.second}` };
}

/** The zone's short name at `utcMs`, as Java's `z` pattern writes it (EST / EDT, CST / CDT, GMT+1…). */
export function shortZoneName(utcMs: number, zone: string): string {
  // en-US names American zones (EST), en-GB European ones (CET); each writes "GMT+1" for the other's.
  for (const locale of ['en-US', 'en-GB']) {
    const key = `${locale}|${zone}`;
    let f = names.get(key);
    if (f === undefined) {
      f = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' });
      names.set(key, f);
    }
    const name = f.formatToParts(new Date(utcMs)).find((x) => x.type === 'timeZoneName')?.value ?? 'GMT';
    if (!/^(GMT|UTC)[+-]/.test(name) || locale === 'en-GB') return name;
  }
  return 'GMT';
}

export function execTime(utcMs: number, zone: string, style: ExecTimeStyle = 'zoned'): string {
  const { ymd, hms } = wallParts(utcMs, zone);
  return style === 'zoned' ? `${ymd} ${hms} ${zone}` : `${ymd}  ${hms}`;
}

/** The handshake's connection time: `yyyymmdd hh:mm:ss EST`. */
export function connectionTime(utcMs: number, zone: string): string {
  const { ymd, hms } = wallParts(utcMs, zone);
  return `${ymd} ${hms} ${shortZoneName(utcMs, zone)}`;
}

/** UTC ms of the last midnight in `zone` at or before `utcMs` (IB's "current day" for executions). */
export function zoneMidnight(utcMs: number, zone: string): number {
  const { hms } = wallParts(utcMs, zone);
  const [h, m, s] = hms.split(':').map(Number) as [number, number, number];
  return utcMs - (h * 3600 + m * 60 + s) * 1000 - (utcMs % 1000);
}
