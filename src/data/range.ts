import { DataError } from '../market/data-error.ts';
import { parseCsvTime } from '../market/csv-time.ts';
import { shown } from './show.ts';

const DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * `--from` / `--to`: a UTC date (`2024-03-01`) or an ISO time with a zone. `--to` with a date
 * includes that whole day; the range is [from, to).
 */
export function parseRangeFlag(flag: 'from' | 'to', raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const m = DATE.exec(raw.trim());
  if (m) {
    const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
    if (new Date(t).getUTCDate() === +m[3]! && +m[2]! >= 1 && +m[2]! <= 12) return flag === 'to' ? t + DAY : t;
  }
  const t = parseCsvTime(raw.trim());
  if (typeof t === 'number' && !DATE.test(raw.trim())) return t;
  throw new DataError(`--${flag} ${shown(raw)} is not a date; expected a UTC date like 2024-03-01 or a time like 2024-03-01T14:30:00Z`);
}

export function parseRange(values: { from?: string; to?: string }): { from?: number; to?: number } {
  const from = parseRangeFlag('from', values.from);
  const to = parseRangeFlag('to', values.to);
  if (from !== undefined && to !== undefined && to <= from) throw new DataError(`--to (${values.to}) must be after --from (${values.from})`);
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}
