/**
 * Runs the Z-Score benchmark on its own: `bun src/bench/zscore-main.ts [n] [lookback] [runs]`.
 */
import { describeZScoreImpl } from '../indicators/zscore.ts';
import { benchZScore } from './zscore.ts';

const [n, lookback, runs] = process.argv.slice(2).map(Number);
const r = await benchZScore({ n: n || undefined, lookback: lookback || undefined, runs: runs || undefined });

console.log(describeZScoreImpl());
console.table(
  r.rows.map((row) => ({ name: row.name, 'ns/el': +row.nsPerEl.toFixed(3), 'M el/s': +(row.elPerSec / 1e6).toFixed(1) })),
);
const ratio = (a: number | null, b: number | null) => (a === null || b === null ? 'n/a' : `${(a / b).toFixed(2)}×`);
console.log(`batch: TypeScript / native = ${ratio(r.zscoreTsNsPerEl, r.zscoreNativeNsPerEl)} (native speed-up)`);
const q = r.zscoreNativeToMemcpy;
console.log(
  `batch: native / memcpy     = ${q === null ? 'n/a' : `${q.median.toFixed(2)}× (${q.min.toFixed(2)}–${q.max.toFixed(2)}× over ${runs || 5} interleaved repeats)`} (kernel: ${r.zscoreKernel ?? 'n/a'})`,
);
console.log(`push:  native / TypeScript = ${ratio(r.zscorePushNativeNs, r.zscorePushTsNs)}`);
