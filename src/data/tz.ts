import { nyOffsetMs } from '../domain/session.ts';

/**
 * Naive wall-clock times (no zone in the file) turned into UTC with an IANA zone from `--tz`.
 * New York and UTC use the project's own rule; other zones ask Intl once per UTC hour and cache
 * it, so a million rows cost a million map lookups, not a million Intl calls.
 */
export type WallToUtc = (wallMs: number) => number;

const HOUR = 3_600_000;

/** The zone's offset from UTC at `utcMs`, in ms, from Intl. */
function intlOffset(fmt: Intl.DateTimeFormat, utcMs: number): number {
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(utcMs)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** Null when the zone is unknown to this runtime. */
export function wallToUtc(zone: string): WallToUtc | null {
  const z = zone.trim();
  if (/^(utc|gmt|z|etc\/utc)$/i.test(z)) return (w) => w;
  if (/^(america\/new_york|us\/eastern)$/i.test(z)) return (w) => w - nyOffsetMs(w - nyOffsetMs(w + 5 * HOUR));
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: z, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    return null;
  }
  const cache = new Map<number, number>();
  const offset = (utcMs: number) => {
    const h = Math.floor(utcMs / HOUR);
    let o = cache.get(h);
    if (o === undefined) {
      o = intlOffset(fmt, h * HOUR);
      cache.set(h, o);
    }
    return o;
  };
  // Two passes settle the offset except inside the hour a DST switch skips or repeats.
  return (w) => w - offset(w - offset(w));
}
