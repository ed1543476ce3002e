import { fileURLToPath } from 'node:url';

/**
 * Runs the NumPy reference (src/bench/numpy_zscore.py) when python3 with NumPy is on this
 * machine; null otherwise. NumPy is not a dependency: this only puts the native kernel's speed
 * next to the figure the Python original of this bot compared itself with.
 */
export function benchNumpyZScore(n: number, lookback: number): number | null {
  const python = process.env.QS_PYTHON ?? 'python3';
  const script = fileURLToPath(new URL('./numpy_zscore.py', import.meta.url));
  try {
    const res = Bun.spawnSync([python, script, String(n), String(lookback)], { stderr: 'pipe' });
    if (res.exitCode !== 0) return null;
    const ns = Number(res.stdout.toString().trim());
    return Number.isFinite(ns) ? ns : null;
  } catch {
    return null;
  }
}
