import type { EquityPoint } from '../backtest/types.ts';

/** The dashboard draws at most this many equity points; more only slows the page. */
export const MAX_EQUITY_POINTS = 2000;

/**
 * At most `max` points: the first and the last, and between them the lowest and highest equity
 * of evenly sized buckets, so drawdown troughs and peaks survive the thinning.
 */
export function downsampleEquity(points: readonly EquityPoint[], max = MAX_EQUITY_POINTS): EquityPoint[] {
  if (points.length <= max) return [...points];
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || max < 2) return first ? [first] : [];
  const inner = points.length - 2;
  const buckets = Math.floor((max - 2) / 2);
  const out: EquityPoint[] = [first];
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      if (points[i]!.equity < points[lo]!.equity) lo = i;
      if (points[i]!.equity > points[hi]!.equity) hi = i;
    }
    for (const i of lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)]) out.push(points[i]!);
  }
  out.push(last);
  return out;
}
