import { compareAt, TickMoments, zOfMoments } from '../indicators/tick-moments.ts';
import { rollingTickMoments } from '../indicators/zscore.ts';
import type { Compare } from './thresholds.ts';
import type { ColumnCache } from './types.ts';

/**
 * Per bar, the exact comparison of that bar's z (close against the last `lookback` closes) with
 * any threshold: from the batch moments column (native or TypeScript, computed once per lookback
 * and shared) or from incremental moments. Both are exact, so they decide alike at every bar.
 */
export function zComparer(lookback: number, batch?: ColumnCache): (close: number) => Compare {
  if (batch) {
    const closes = batch.series.close;
    const column = batch.get(`moments:${lookback}`, () => rollingTickMoments(closes, lookback));
    const z = batch.get(`moments-z:${lookback}`, () => zOfMoments(column));
    let at = -1;
    const compare: Compare = (t) => compareAt(column, z, at, closes, lookback, t);
    return () => {
      at++;
      return compare;
    };
  }
  const moments = new TickMoments(lookback);
  const compare: Compare = (t) => moments.compare(t);
  return (close) => {
    moments.push(close);
    return compare;
  };
}
