import { rename, unlink } from 'node:fs/promises';
import type { BarSeries } from '../domain/bar.ts';
import { CSV_HEADER } from './csv-read.ts';

/**
 * Bars as CSV text with ISO-8601 UTC times. Numbers are printed by JavaScript's shortest
 * round-trip formatting, so parsing the text gives back the same doubles.
 */
export function formatBarsCsv(s: BarSeries): string {
  const rows = new Array<string>(s.length + 1);
  rows[0] = CSV_HEADER;
  for (let i = 0; i < s.length; i++) {
    rows[i + 1] = `${new Date(s.time[i]!).toISOString()},${s.open[i]},${s.high[i]},${s.low[i]},${s.close[i]},${s.volume[i]}`;
  }
  rows.push('');
  return rows.join('\n');
}

/**
 * Writes bars to `path` through a temporary file and a rename, so an interrupted run never
 * leaves a truncated file where a good one was.
 */
export async function writeBarsCsv(path: string, s: BarSeries): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await Bun.write(tmp, formatBarsCsv(s));
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
