import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFile, parseImportOptions } from '../data/import.ts';
import { openStore } from '../store/db.ts';
import { BarsRepository } from '../store/bars.ts';

const MINUTE = 60_000;
const START = Date.UTC(2020, 0, 5, 23);

/** Writes `n` 1-minute bars as `time,open,high,low,close,volume` (ISO times, as data export writes), 100,000 lines at a time. */
async function writeBarsFile(path: string, n: number): Promise<void> {
  const w = Bun.file(path).writer();
  w.write('time,open,high,low,close,volume\n');
  let price = 4000;
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < n; ) {
    const lines: string[] = [];
    for (let k = 0; k < 100_000 && i < n; k++, i++) {
      const open = price;
      price = Math.max(100, price + Math.round((rnd() - 0.5) * 8) * 0.25);
      const high = Math.max(open, price) + 0.25 * Math.floor(rnd() * 4);
      const low = Math.min(open, price) - 0.25 * Math.floor(rnd() * 4);
      lines.push(`${new Date(START + i * MINUTE).toISOString()},${open},${high},${low},${price},${1 + Math.floor(rnd() * 500)}`);
    }
    w.write(`${lines.join('\n')}\n`);
    await w.flush();
  }
  await w.end();
}

/**
 * CPU seconds since `c0`, user and system. The figures are CPU time on both sides (pandas
 * reports time.process_time()): on a machine shared with other work, wall time measures the
 * neighbours; for single-threaded work on an idle machine the two agree.
 */
function cpuSeconds(c0: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1e6;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function pandasSeconds(path: string, repeats: number): number[] | null {
  const python = process.env.QS_PYTHON ?? 'python3';
  const script = fileURLToPath(new URL('./pandas_csv.py', import.meta.url));
  try {
    const res = Bun.spawnSync([python, script, path, String(repeats)], { stderr: 'pipe' });
    if (res.exitCode !== 0) return null;
    const out = JSON.parse(res.stdout.toString()) as { cpu: number[] };
    return out.cpu;
  } catch {
    return null;
  }
}

export interface MarketDataBench {
  readonly bars: number;
  /** Our import of the file (parse, checks, 1-minute normalisation), bars per CPU second: median and range of repeats. */
  readonly csvBarsPerSec: number;
  readonly csvRange: readonly [number, number];
  /** pandas read_csv + to_datetime on the same file; null without pandas. */
  readonly pandasBarsPerSec: number | null;
  readonly pandasRange: readonly [number, number] | null;
  /** Loading the same bars back from the bar store. */
  readonly storeBarsPerSec: number;
  readonly storeRange: readonly [number, number];
  /** Peak resident memory of importing the big file, per bar, net of the process before it. */
  readonly bytesPerBarLoaded: number;
  readonly bigBars: number;
}

/**
 * CSV import vs pandas on one 1,000,000-bar file, store load of the same bars, and the peak
 * memory of importing a 10,000,000-bar file in a fresh process. Repeats alternate so a busy
 * machine slows both sides alike.
 */
export async function benchMarketData(opts: { bars?: number; bigBars?: number; runs?: number } = {}): Promise<MarketDataBench> {
  const n = opts.bars ?? 1_000_000;
  const big = opts.bigBars ?? 10_000_000;
  const runs = opts.runs ?? 5;
  const dir = mkdtempSync(join(tmpdir(), 'qs-bench-data-'));
  try {
    const file = join(dir, 'bars.csv');
    await writeBarsFile(file, n);
    const ours: number[] = [];
    const theirs: number[] = [];
    importFile(file, parseImportOptions({})); // warm-up: JIT, page cache
    for (let r = 0; r < runs; r++) {
      const c0 = process.cpuUsage();
      const got = importFile(file, parseImportOptions({}));
      ours.push(cpuSeconds(c0));
      if (got.series.length !== n) throw new Error(`bench import read ${got.series.length} bars, expected ${n}`);
      const p = pandasSeconds(file, 1);
      if (p) theirs.push(p[0]!);
    }
    const store = openStore(join(dir, 'bars.db'), { quickCheck: false });
    const loads: number[] = [];
    try {
      const repo = new BarsRepository(store);
      repo.ensureContract({ contract: 'MES', symbol: 'MES', lastTradeDay: null }, 0);
      repo.write('MES', importFile(file, parseImportOptions({})).series, 'bench');
      repo.load('MES');
      for (let r = 0; r < runs; r++) {
        const c0 = process.cpuUsage();
        const s = repo.load('MES');
        loads.push(cpuSeconds(c0));
        if (s.length !== n) throw new Error(`bench store load read ${s.length} bars, expected ${n}`);
      }
    } finally {
      store.close();
    }
    const bigFile = join(dir, 'big.csv');
    await writeBarsFile(bigFile, big);
    rmSync(file);
    const child = Bun.spawnSync(['bun', fileURLToPath(new URL('./market-data-peak.ts', import.meta.url)), bigFile], { stderr: 'pipe' });
    if (child.exitCode !== 0) throw new Error(`peak-memory child failed: ${child.stderr.toString().slice(0, 300)}`);
    const peak = JSON.parse(child.stdout.toString()) as { before: number; peak: number; bars: number };
    const rate = (s: readonly number[]) => [n / median(s), [n / Math.max(...s), n / Math.min(...s)] as const] as const;
    const [csv, csvRange] = rate(ours);
    const [stored, storeRange] = rate(loads);
    const pandas = theirs.length > 0 ? rate(theirs) : null;
    return {
      bars: n,
      csvBarsPerSec: csv,
      csvRange,
      pandasBarsPerSec: pandas?.[0] ?? null,
      pandasRange: pandas?.[1] ?? null,
      storeBarsPerSec: stored,
      storeRange,
      bytesPerBarLoaded: (peak.peak - peak.before) / peak.bars,
      bigBars: peak.bars,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bench table's rows for these figures; each ratio is of medians from this one run, with the range of its repeats. */
export function marketDataRows(m: MarketDataBench, fmt: (v: number | null, digits?: number) => string): string[][] {
  const rate = (v: number, r: readonly [number, number]) => `${fmt(v / 1e6, 2)} M bars/s (${fmt(r[0] / 1e6, 2)}–${fmt(r[1] / 1e6, 2)})`;
  const rows = [[`CSV import, ${fmt(m.bars, 0)} bars (CPU time)`, rate(m.csvBarsPerSec, m.csvRange), 'median (range) of repeats']];
  if (m.pandasBarsPerSec !== null && m.pandasRange !== null) {
    rows.push(['pandas read_csv + to_datetime, same file', rate(m.pandasBarsPerSec, m.pandasRange), `import ${fmt(m.csvBarsPerSec / m.pandasBarsPerSec, 1)}× faster (${fmt(m.csvRange[0] / m.pandasRange[1], 1)}–${fmt(m.csvRange[1] / m.pandasRange[0], 1)}×)`]);
  }
  rows.push([`Bar store load, ${fmt(m.bars, 0)} bars`, rate(m.storeBarsPerSec, m.storeRange), `${fmt(m.storeBarsPerSec / m.csvBarsPerSec, 1)}× the CSV import`]);
  rows.push([`Peak memory importing ${fmt(m.bigBars, 0)} bars`, `${fmt(m.bytesPerBarLoaded, 1)} bytes/bar`, 'the columns are 48']);
  return rows;
}
