import { compareAt, TickMoments, zDecides, zOfMoments } from '../indicators/tick-moments.ts';
import { rollingTickMoments } from '../indicators/zscore.ts';
import { ENTER_LONG, ENTER_SHORT, EXIT_LONG, EXIT_SHORT, reachedLevels, READY, type Compare, type ReversionLevels } from './thresholds.ts';
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
  const out = new Uint8Array(z.length);
  const eL = levels.enterLong.value;
  const eS = levels.enterShort.value;
  const xL = levels.exitLong.value;
  const xS = levels.exitShort.value;
  // Centred levels (±e, ±x, the usual case) are far from z exactly when |z| is far from e and x:
  // min(|z − e|, |z + e|) = ||z| − e| in floating point too, and both share zDecides's margin.
  const centred = eL === -eS && xL === -xS && eS >= 0 && xS >= 0;
  // The bar the exact path looks at; a variable of its own, so the loop's index is not captured.
  let at = 0;
  const compare: Compare = (t) => compareAt(column, z, at, closes, lookback, t);
  for (let i = 0; i < z.length; i++) {
    const zi = z[i]!;
    // Far from every level, z's sign against each is compareAt's answer; near one (ties), not
    // warmed up or too large for doubles, the exact comparisons decide.
    const far = centred ? zDecides(Math.abs(zi), eS) && zDecides(Math.abs(zi), xS) : zDecides(zi, eL) && zDecides(zi, eS) && zDecides(zi, xL) && zDecides(zi, xS);
    if (far) {
      // Each bit from its comparison as 0/1, without a branch: z crosses the levels at random.
      out[i] = READY | (+(zi < eL) * ENTER_LONG) | (+(zi > eS) * ENTER_SHORT) | (+(zi > xL) * EXIT_LONG) | (+(zi < xS) * EXIT_SHORT);
    } else {
      at = i;
      out[i] = reachedLevels(compare, levels);
    }
  }
  return out;
}
