import type { EquityPoint } from '../domain/research.ts';

/** The dashboard draws at most this many equity points; more only slows the page. */
export const MAX_EQUITY_POINTS = 2000;

/**
 * At most `max` points: the first and the last, and between them, per evenly sized bucket, the
 * lowest and highest equity, the deepest drawdown from the running peak and the peak it was
 * measured from. Peaks and troughs survive, and the drawdown recomputed from the thinned curve
 * bottoms exactly at the full curve's maximum drawdown (the thinned running peak is never higher
 * than the true one, and the deepest trough keeps its own peak).
 */
export function downsampleEquity(points: readonly EquityPoint[], max = MAX_EQUITY_POINTS): EquityPoint[] {
  if (points.length <= max) return [...points];
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || max < 2) return first ? [first] : [];
  const inner = points.length - 2;
  const buckets = Math.max(1, Math.floor((max - 2) / 4));
  const out: EquityPoint[] = [first];
  let peak = first.equity;
  let peakAt = 0;
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (end <= start) continue;
    let lo = start;
    let hi = start;
    let trough = -1;
    let troughPeak = -1;
    let deepest = 0;
    for (let i = start; i < end; i++) {
      const e = points[i]!.equity;
      if (e < points[lo]!.equity) lo = i;
      if (e > points[hi]!.equity) hi = i;
      if (e > peak) {
        peak = e;
        peakAt = i;
      }
      if (peak - e > deepest) {
        deepest = peak - e;
        trough = i;
        troughPeak = peakAt;
      }
    }
    const keep = new Set([lo, hi]);
    if (trough >= 0) {
      keep.add(trough);
      if (troughPeak >= start) keep.add(troughPeak);
    }
    for (const i of [...keep].sort((a, b) => a - b)) out.push(points[i]!);
  }
  out.push(last);
  return out;
}
