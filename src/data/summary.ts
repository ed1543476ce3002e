import type { ImportCounts } from './normalize.ts';

const iso = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

export const utcMinute = iso;

/** One import's counts as the lines `data import` prints. */
export function describeCounts(c: ImportCounts, first: number, last: number): string {
  const agg = c.sourceBarSeconds < 60 ? ` (${c.sourceBarSeconds}-second bars combined into minutes)` : '';
  return [
    `  ${c.rows.toLocaleString('en-US')} rows → ${c.bars.toLocaleString('en-US')} 1-minute bars${agg}, ${iso(first)} → ${iso(last)} UTC`,
    `  duplicates ${c.duplicates} (first kept) · out of order ${c.outOfOrder} (sorted) · off the 0.25 grid ${c.offGrid} (rounded) · gaps ${c.gaps} (open-market minutes with no bar)`,
  ].join('\n');
}
