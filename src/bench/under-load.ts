import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock, waitFor } from 'xstate';
import { silentLogger } from '../domain/log.ts';
import { startService } from '../service/service.ts';
import { benchSetup } from './bench-service.ts';
import type { AdmissionOptions } from '../web/security/admission.ts';
import { startWebWorker } from '../web/worker/host.ts';
import type { LoadResult } from './load-client.ts';
import { marketViewOf } from '../app/market-view.ts';
import { createResearch } from '../app/research.ts';

const pct = (xs: number[], p: number) => {
  const s = Float64Array.from(xs).sort();
  return s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};

export interface UnderLoadOptions {
  readonly requests?: number;
  readonly concurrency?: number;
  readonly sse?: number;
  /** How long the idle phase runs. */
  readonly idleMs?: number;
  /** The load phase ends when the load does, or at this deadline. */
  readonly deadlineMs?: number;
  /** false: lift the HTTP budget and stream caps, to show what they buy (default true). */
  readonly limits?: boolean;
  /** Other limits than the service's defaults, to try them. */
  readonly admission?: AdmissionOptions;
}

const NO_LIMITS = { share: 1, burstMs: 1e9, maxRunning: 1e9, maxPerClient: 1e9, streamsPerClient: 1e9, streamsTotal: 1e9 };

/**
 * Does the dashboard slow trading down? The whole service (journal on a real SQLite file, web on
 * loopback on its own thread, as the service runs it) takes bars as fast as it can: idle, then while another process sends `requests`
 * dashboard GETs at `concurrency` in flight and holds `sse` live streams open, then idle again. Each bar comes from
 * its own macrotask, as one from the venue's socket would, so the dashboard's calls into the trading thread get their
 * turn between bars exactly as in production. Figures: the median bar rate of 250 ms windows under load ÷ that of the idle windows before and after (same run), and
 * the bar → order request latency in each phase.
 */
export async function benchUnderLoad(o: UnderLoadOptions = {}) {
  const requests = o.requests ?? 20_000;
  const concurrency = o.concurrency ?? 50;
  const sse = o.sse ?? 500;
  const dir = mkdtempSync(join(tmpdir(), 'qs-bench-load-'));
  const { config, broker } = benchSetup(dir);
  let published = 0;
  let samples: number[] = [];
  broker.on('bar', () => {
    published = performance.now();
  });
  const service = await startService({
    config,
    secrets: {},
    log: silentLogger,
    clock: new SimulatedClock(),
    broker,
    web: false,
    onOrderRequest: () => void samples.push((performance.now() - published) * 1000),
  });
  await waitFor(service.system.get('strategy')!, (s) => s.matches('ready'));
  // The dashboard as the service starts it (on its own thread), or with every limit lifted (the comparison run).
  const web = await startWebWorker(service.app, { host: '127.0.0.1', port: 0, market: marketViewOf(service.core), research: createResearch(service.repos), log: silentLogger, ...(o.limits === false ? { admission: NO_LIMITS } : o.admission ? { admission: o.admission } : {}) });
  const base = `http://127.0.0.1:${web.port}`;

  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** Bar rate per 250 ms window: the median of windows shrugs off a neighbour's burst on a shared machine. */
  const WINDOW_MS = 250;
  const runBars = async (until: () => boolean) => {
    samples = [];
    const t0 = performance.now();
    const windows: number[] = [];
    let windowStart = t0;
    let inWindow = 0;
    let bars = 0;
    while (!until()) {
      await broker.step();
      bars++;
      inWindow++;
      await turn();
      const t = performance.now();
      if (t - windowStart >= WINDOW_MS) {
        windows.push((inWindow * 1000) / (t - windowStart));
        windowStart = t;
        inWindow = 0;
      }
    }
    const ms = performance.now() - t0;
    return { bars, barsPerSec: (bars * 1000) / ms, windows, p50Us: pct(samples, 0.5), p99Us: pct(samples, 0.99), orders: samples.length };
  };

  // JIT and the first trades' allocations would otherwise make the idle phase the slow one.
  const warmEnd = performance.now() + (o.idleMs ?? 5000);
  await runBars(() => performance.now() >= warmEnd);
  const idleEnd = performance.now() + (o.idleMs ?? 5000);
  const idle = await runBars(() => performance.now() >= idleEnd);

  const deadlineMs = o.deadlineMs ?? 60_000;
  const child = Bun.spawn(['bun', join(import.meta.dir, 'load-client.ts'), base, String(requests), String(concurrency), String(sse), String(deadlineMs)], {
    stdout: 'pipe',
    stderr: 'inherit',
    // Bun's fetch holds at most 256 connections at once unless told otherwise; 500 streams need more.
    env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: String(Math.max(1024, sse + concurrency + 16)) },
  });
  let finished = false;
  const output = new Response(child.stdout).text().finally(() => {
    finished = true;
  });
  const hardStop = performance.now() + deadlineMs + 5000;
  const loaded = await runBars(() => finished || performance.now() >= hardStop);
  child.kill();
  const text = await output;
  const load = JSON.parse(text.trim().split('\n').at(-1) || '{}') as Partial<LoadResult>;
  // Idle again after the load: the shared machine's own noise shows as a difference between the two.
  const afterEnd = performance.now() + (o.idleMs ?? 5000);
  const after = await runBars(() => performance.now() >= afterEnd);
  const idleMedian = pct([...idle.windows, ...after.windows], 0.5);
  const loadedMedian = pct(loaded.windows, 0.5);

  await web.stop();
  await service.shutdown('bench');
  rmSync(dir, { recursive: true, force: true });
  return {
    barRateUnderLoadRatio: loadedMedian / idleMedian,
    idleBarsPerSec: idleMedian,
    loadedBarsPerSec: loadedMedian,
    barToOrderP99UnderLoadUs: loaded.p99Us,
    idle: { ...idle, windows: undefined },
    after: { ...after, windows: undefined },
    loaded: { ...loaded, windows: undefined },
    load,
  };
}

export type UnderLoad = Awaited<ReturnType<typeof benchUnderLoad>>;

/** In a fresh process, so earlier benchmarks' garbage and JIT state do not colour the figures. */
export async function benchUnderLoadInChild(o: UnderLoadOptions = {}): Promise<UnderLoad> {
  const proc = Bun.spawn(['bun', new URL(import.meta.url).pathname, JSON.stringify(o)], { stdout: 'pipe', stderr: 'inherit' });
  const out = await new Response(proc.stdout).text();
  if ((await proc.exited) !== 0) throw new Error('under-load benchmark process failed');
  return JSON.parse(out) as UnderLoad;
}

if (import.meta.main) {
  process.stdout.write(JSON.stringify(await benchUnderLoad(JSON.parse(process.argv[2] ?? '{}') as UnderLoadOptions)));
  process.exit(0);
}
