import { compareAt, TickMoments } from '../indicators/tick-moments.ts';
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
    let i = 0;
    return () => {
      const at = i++;
      return (t) => compareAt(column, at, closes, lookback, t);
    };
  }
  const moments = new TickMoments(lookback);
  const compare: Compare = (t) => moments.compare(t);
  return (close) => {
    moments.push(close);
    return compare;
  };
}
