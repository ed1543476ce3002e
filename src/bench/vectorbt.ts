import { fileURLToPath } from 'node:url';
import { rmSync, writeFileSync } from 'node:fs';
import type { BarSeries } from '../domain/bar.ts';
import { ENTER_LONG, ENTER_SHORT, EXIT_LONG, EXIT_SHORT } from '../strategy/thresholds.ts';
import { spread, type Spread } from './engine-vs-bare.ts';

/**
 * vectorbt's figure on the bench's bars (src/bench/vectorbt_backtest.py), when `QS_PYTHON` names
 * a Python with vectorbt installed; null otherwise. vectorbt is not a dependency: this only puts
 * the engine's cost next to a peer's from the same run. `reached` is the Z-Score strategy's
 * column of levels reached (`reachedColumn`), turned into vectorbt's four signal arrays.
 */
export function benchVectorbt(series: BarSeries, reached: Uint8Array, repeats: number): { perBar: Spread; trades: number } | null {
  const python = process.env.QS_PYTHON;
  if (!python) return null;
  const n = series.length;
  const buf = new ArrayBuffer(8 * (1 + 4 * n) + 4 * n);
  const f = new Float64Array(buf, 0, 1 + 4 * n);
  f[0] = n;
  [series.open, series.high, series.low, series.close].forEach((col, k) => f.set(col, 1 + k * n));
  const b = new Uint8Array(buf, 8 * (1 + 4 * n), 4 * n);
  // A signal at bar i's close fills at bar i + 1's open: shift by one, fill at the open.
  for (let i = 1; i < n; i++) {
    const r = reached[i - 1]!;
    b[i] = r & ENTER_LONG ? 1 : 0;
    b[n + i] = r & EXIT_LONG ? 1 : 0;
    b[2 * n + i] = r & ENTER_SHORT ? 1 : 0;
    b[3 * n + i] = r & EXIT_SHORT ? 1 : 0;
  }
  const path = `${process.env.TMPDIR ?? '/tmp'}/qs-vectorbt-${process.pid}.bin`;
  try {
    writeFileSync(path, new Uint8Array(buf));
    const script = fileURLToPath(new URL('./vectorbt_backtest.py', import.meta.url));
    const res = Bun.spawnSync([python, script, path, String(repeats)], { stderr: 'pipe' });
    if (res.exitCode !== 0) {
      process.stderr.write(`vectorbt bench skipped: ${res.stderr.toString().trim().split('\n').at(-1)}\n`);
      return null;
    }
    const out = JSON.parse(res.stdout.toString()) as { nsPerBar: number[]; trades: number };
    return { perBar: spread(out.nsPerBar), trades: out.trades };
  } finally {
    rmSync(path, { force: true });
  }
}
