import { compareAt, NEAR, TickMoments, zOfMoments } from '../indicators/tick-moments.ts';
import { levelBits, rollingTickMoments } from '../indicators/zscore.ts';
import { reachedLevels, type Compare, type ReversionLevels } from './thresholds.ts';
import type { ColumnCache } from './types.ts';

/**
 * Per bar of the live path, the exact comparison of that bar's z (close against the last
 * `lookback` closes) with any threshold, from incremental moments. The batch path reads the
 * same decisions from `reachedColumn`; both are exact, so they decide alike at every bar.
 */
export function zComparer(lookback: number): (close: number) => Compare {
  const moments = new TickMoments(lookback);
  const compare: Compare = (t) => moments.compare(t);
  return (close) => {
    moments.push(close);
    return compare;
  };
}

/**
 * `reachedLevels` of every bar of the batch series, from the moments column of `lookback`: the
 * strategy's decision input as a column, one pass per parameter set, so a replayed bar costs an
 * array read instead of up to four exact comparisons behind closures.
 */
export function reachedColumn(lookback: number, batch: ColumnCache, levels: ReversionLevels): Uint8Array {
  const closes = batch.series.close;
  const column = batch.get(`moments:${lookback}`, () => rollingTickMoments(closes, lookback));
  const z = batch.get(`moments-z:${lookback}`, () => zOfMoments(column));
  // Far from every level, z's sign against each is compareAt's answer (one vector pass, native
  // where built); near one (ties), not warmed up or too large for doubles, the exact
  // comparisons decide, bar by bar.
  const out = levelBits(z, levels.enterLong.value, levels.enterShort.value, levels.exitLong.value, levels.exitShort.value);
  // The bar the exact path looks at; a variable of its own, so the loop's index is not captured.
  let at = 0;
  const compare: Compare = (t) => compareAt(column, z, at, closes, lookback, t);
  for (let i = out.indexOf(NEAR); i !== -1; i = out.indexOf(NEAR, i + 1)) {
    at = i;
    out[i] = reachedLevels(compare, levels);
  }
  return out;
}
