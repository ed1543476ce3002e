import * as fs from 'node:fs';
import type { BarSeries } from '../domain/bar.ts';
import { DataError } from '../market/data-error.ts';
import { detectLayout, type Layout } from './layout.ts';
import { parseFile } from './parse-file.ts';

const HEADER = 'time,open,high,low,close,volume';

function firstLine(path: string): string | null {
  try {
    const fd = fs.openSync(path, 'r');
    try {
      const buf = Buffer.alloc(HEADER.length + 2);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      return buf.subarray(0, n).toString('latin1');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}

/**
 * The research commands' `--data FILE` in the project's own form (header `time,open,high,low,
 * close,volume`, ISO times ending in Z, rising, on the tick grid, six cells a row), read by the
 * byte parser: several times faster than the per-row reader and ~50 bytes per bar instead of
 * ~400. Null when the file is anything else or breaks any rule, so the strict reader decides
 * and words the error.
 */
export function readCanonicalCsv(path: string): BarSeries | null {
  const start = firstLine(path);
  if (start === null || !(start.startsWith(`${HEADER}\n`) || start.startsWith(`${HEADER}\r\n`))) return null;
  const layout = detectLayout({ lines: [HEADER, '2026-01-05T23:00:00.000Z,1,1,1,1,1'], blank: 0 }) as Layout;
  let raw: ReturnType<typeof parseFile>;
  try {
    raw = parseFile({ path, layout, tz: null, lineBytes: 48 });
  } catch (e) {
    if (e instanceof DataError) return null;
    throw e;
  }
  if (raw.offGrid > 0 || raw.blankLines > 0 || raw.wideRows > 0 || raw.otherTimes > 0) return null;
  const t = raw.time;
  for (let i = 1; i < raw.length; i++) if (!(t[i]! > t[i - 1]!)) return null;
  const n = raw.length;
  return { length: n, time: t.subarray(0, n), open: raw.open.subarray(0, n), high: raw.high.subarray(0, n), low: raw.low.subarray(0, n), close: raw.close.subarray(0, n), volume: raw.volume.subarray(0, n) };
}
