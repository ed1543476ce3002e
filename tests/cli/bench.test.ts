import { describe, expect, test } from 'bun:test';
import { onlyJson, runCli } from './helpers.ts';

const NUMBERS = ['backtestBarsPerSec', 'backtestEngineToBareLoopFloor', 'backtestBareLoopSlowRepeats', 'gridSeconds', 'gridWorkerSpeedup', 'zscoreTsNsPerEl', 'zscorePushTsNs', 'barRateUnderLoadRatio', 'barToOrderP99UnderLoadUs'];
// Null when the native module is not built (QS_ZSCORE=ts or no cargo).
const NUMBERS_OR_NULL = ['zscoreNativeNsPerEl', 'zscorePushNativeNs'];

describe('bun run bench --quick --json', () => {
  test('prints one JSON object with every figure, typed (speeds are not asserted)', async () => {
    const figures = onlyJson<Record<string, unknown>>(await runCli('bench', ['--quick', '--json']));
    for (const key of NUMBERS) {
      expect(typeof figures[key]).toBe('number');
      expect(Number.isFinite(figures[key])).toBe(true);
    }
    for (const key of NUMBERS_OR_NULL) {
      expect(key in figures).toBe(true);
      expect(figures[key] === null || typeof figures[key] === 'number').toBe(true);
    }
    expect(['native', 'ts']).toContain(figures.zscoreImpl as string);
    if (figures.zscoreImpl === 'native') expect(typeof figures.zscoreNativeNsPerEl).toBe('number');
    // Native batch / memory copy per interleaved repeat: { median, min, max }, null without the native module.
    const ratio = figures.zscoreNativeToMemcpy as { median: number; min: number; max: number } | null;
    expect(ratio === null || typeof figures.zscoreNativeNsPerEl === 'number').toBe(true);
    if (ratio !== null) {
      for (const k of ['median', 'min', 'max'] as const) expect(Number.isFinite(ratio[k]) && ratio[k] > 0).toBe(true);
      expect(ratio.min <= ratio.median && ratio.median <= ratio.max).toBe(true);
    }
  }, 180_000);

  test('--help exits 0 and names --quick and --json', async () => {
    const r = await runCli('bench', ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--quick');
    expect(r.stdout).toContain('--json');
  });
});
