import type { Bar } from '../../domain/bar.ts';
import { DAY } from '../../domain/session.ts';
import { BarAggregator } from '../../market/aggregate.ts';
import { HISTORY_KEEP } from '../sim/feed.ts';
import type { GatewayContext } from './handlers.ts';
import { matching } from './handlers.ts';
import { historicalData, type DatedBar } from './market-messages.ts';
import type { ClientRequest } from './requests.ts';
import type { Session } from './session.ts';
import { wallParts } from './zone-time.ts';

const PACING = 'Historical Market Data Service error message:Historical data request pacing violation';

/**
 * reqHistoricalData. The end time is "" (now), `yyyymmdd-hh:mm:ss` (UTC) or
 * `yyyymmdd hh:mm:ss Zone` (the two forms IB documents; a time without zone is refused, as
 * current gateways warn about it). formatDate 1 writes bar dates as `yyyymmdd hh:mm:ss Zone` in
 * the gateway's zone, formatDate 2 as epoch seconds.
 */
export function history(ctx: GatewayContext, s: Session, req: Extract<ClientRequest, { type: 'historicalData' }>, now: number): void {
  if (ctx.faults.pacingLeft > 0) {
    ctx.faults.pacingLeft--;
    return s.sendError(req.reqId, 162, PACING);
  }
  const found = matching(ctx, req.contract, now, true);
  if (typeof found === 'string') return s.sendError(req.reqId, 200, found);
  const minutes = barSizeMinutes(req.barSize);
  const span = durationMs(req.duration);
  if (minutes === null) return s.sendError(req.reqId, 321, `Error validating request: bar size '${req.barSize}' is not supported here; use '1 min', 'N mins' or '1 hour'`);
  if (span === null) return s.sendError(req.reqId, 321, `Error validating request: duration '${req.duration}' must be like '3600 S', '2 D' or '1 W'`);
  if (req.formatDate !== 1 && req.formatDate !== 2) return s.sendError(req.reqId, 321, `Error validating request: formatDate must be 1 (dates) or 2 (epoch seconds), got ${req.formatDate}`);
  const end = parseEndTime(req.endDateTime, now);
  if (end === null) {
    return s.sendError(req.reqId, 321, `Error validating request: end date/time '${req.endDateTime}' must be '' (now), 'yyyymmdd-hh:mm:ss' (UTC) or 'yyyymmdd hh:mm:ss Zone'`);
  }
  const minuteBars = ctx.feed.history(HISTORY_KEEP).filter((b) => b.time >= end - span && b.time < end);
  // Like TWS, the last bar may be the period still in progress.
  const agg = new BarAggregator({ periodMinutes: minutes });
  const bars: Bar[] = [];
  for (const b of minuteBars) bars.push(...agg.push(b));
  const last = agg.flush(Number.POSITIVE_INFINITY);
  if (last) bars.push(last);
  const date = (ms: number) => (req.formatDate === 2 ? String(Math.floor(ms / 1000)) : zoned(ms, ctx.timeZone));
  const dated: DatedBar[] = bars.map((b) => ({ ...b, date: date(b.time) }));
  s.send(historicalData(req.reqId, zoned(end - span, ctx.timeZone), zoned(end, ctx.timeZone), dated));
}

const zoned = (ms: number, zone: string) => {
  const { ymd, hms } = wallParts(ms, zone);
  return `${ymd} ${hms} ${zone}`;
};

/** epoch ms of a history end time, or null when it is in neither documented form. */
export function parseEndTime(text: string, now: number): number | null {
  const s = text.trim();
  if (s === '') return now;
  const utc = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})$/.exec(s);
  if (utc) return Date.UTC(+utc[1]!, +utc[2]! - 1, +utc[3]!, +utc[4]!, +utc[5]!, +utc[6]!);
  const zonedMatch = /^(\d{4})(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2}) (\S+)$/.exec(s);
  if (!zonedMatch) return null;
  const wall = Date.UTC(+zonedMatch[1]!, +zonedMatch[2]! - 1, +zonedMatch[3]!, +zonedMatch[4]!, +zonedMatch[5]!, +zonedMatch[6]!);
  try {
    // The zone's offset at that wall time: format the guess back in the zone and correct by the difference.
    const back = (ms: number) => {
      const { ymd, hms } = wallParts(ms, zonedMatch[7]!);
      return Date.UTC(+ymd.slice(0, 4), +ymd.slice(4, 6) - 1, +ymd.slice(6, 8), ...(hms.split(':').map(Number) as [number, number, number]));
    };
    const guess = wall - (back(wall) - wall);
    return guess - (back(guess) - wall);
  } catch {
    return null;
  }
}

function barSizeMinutes(size: string): number | null {
  const m = /^(\d+) (min|mins|hour|hours)$/.exec(size.trim());
  if (!m) return null;
  const n = Number(m[1]) * (m[2]!.startsWith('hour') ? 60 : 1);
  return n >= 1 && 60 % n === 0 ? n : null;
}

function durationMs(duration: string): number | null {
  const m = /^(\d+) ([SDW])$/.exec(duration.trim());
  if (!m) return null;
  const unit = m[2] === 'S' ? 1000 : m[2] === 'D' ? DAY : 7 * DAY;
  return Number(m[1]) * unit;
}
