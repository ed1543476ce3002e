import { heapStats } from 'bun:jsc';
import { dlopen, FFIType, ptr } from 'bun:ffi';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock, waitFor } from 'xstate';
import { silentLogger } from '../domain/log.ts';
import { startService } from '../service/service.ts';
import { benchSetup } from './bench-service.ts';

const pct = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/** One memory sample after a full collection: resident set, live JS heap, and what the allocator holds. */
export interface MemorySample {
  readonly bars: number;
  /** Resident set size of the process. */
  readonly mb: number;
  /** Live JavaScript objects (bun:jsc heapStats().heapSize after Bun.gc(true)). */
  readonly heapMb: number;
  /** What the JS heap holds from the system, live objects and free cells (heapCapacity). */
  readonly heapCapacityMb: number;
  /** Memory outside the JS heap that its objects own and report (array buffers, strings' buffers). */
  readonly extraMb: number;
}

const MB = 2 ** 20;

/**
 * This thread's CPU time in µs, to the nanosecond (clock_gettime(CLOCK_THREAD_CPUTIME_ID)):
 * process.threadCpuUsage() only moves in scheduler ticks here. Null where libc cannot be loaded.
 */
function threadCpuClock(): (() => number) | null {
  try {
    const libc = dlopen('libc.so.6', { clock_gettime: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 } });
    const ts = new BigInt64Array(2);
    const p = ptr(ts);
    const CLOCK_THREAD_CPUTIME_ID = 3;
    return () => {
      libc.symbols.clock_gettime(CLOCK_THREAD_CPUTIME_ID, p);
      return Number(ts[0]) * 1e6 + Number(ts[1]) / 1e3;
    };
  } catch {
    return null;
  }
}

/**
 * The live path in one process: the paper exchange produces bars as fast as the actors take them,
 * through the whole service (journal on a real SQLite file, synchronous=FULL). Latency is measured
 * from the moment a bar is published to the moment the resulting order request reaches the order
 * desk, as wall time and as this thread's CPU time over the same span: where wall time far exceeds
 * CPU time the thread lost the core (another process, a GC thread). Each span also records whether
 * a durable (fsynced) journal commit ran inside it. Resident memory is sampled along the way, beside
 * the live JS heap and the allocator's bytes, to show whether it grows and where.
 */
export async function benchLive(opts: { bars?: number; rssBars?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'qs-bench-'));
  const { config, broker } = benchSetup(dir);
  const threadCpuUs = threadCpuClock() ?? (() => Number.NaN);
  let published = 0;
  let cpuAtPublish = 0;
  let durableAtPublish = 0;
  let sampling = true;
  const wall: number[] = [];
  const cpu: number[] = [];
  let behindFsync = 0;
  // Bars so far, and how many of the order requests came in the first 10 % (the JIT still compiling the path).
  let bar = 0;
  let warmupSamples = 0;
  const warmBars = Math.floor((opts.bars ?? 100_000) / 10);
  // Set at startService below; read only once bars flow.
  let commits = { durable: 0, durableMs: 0, relaxed: 0 };
  broker.on('bar', () => {
    bar++;
    durableAtPublish = commits.durable;
    cpuAtPublish = threadCpuUs();
    published = performance.now();
  });
  // The same decisions as they reach the venue: the desk journals each order (an fsynced commit) before it sends it.
  const toBroker: number[] = [];
  const sent = <A extends unknown[]>(call: (...args: A) => Promise<void>) => (...args: A) => {
    if (sampling && published > 0) toBroker.push((performance.now() - published) * 1000);
    return call(...args);
  };
  broker.placeBracket = sent(broker.placeBracket.bind(broker));
  broker.placeOrder = sent(broker.placeOrder.bind(broker));
  const service = await startService({
    config,
    secrets: {},
    log: silentLogger,
    clock: new SimulatedClock(),
    broker,
    web: false,
    onOrderRequest: () => {
      if (!sampling) return;
      wall.push((performance.now() - published) * 1000);
      if (bar < warmBars) warmupSamples++;
      cpu.push(threadCpuUs() - cpuAtPublish);
      if (commits.durable !== durableAtPublish) behindFsync++;
    },
  });
  commits = service.store.commits;
  await waitFor(service.system.get('strategy')!, (s) => s.matches('ready'));
  const latencyBars = opts.bars ?? 100_000;
  const before = { ...commits };
  const started = performance.now();
  for (let i = 0; i < latencyBars; i++) await broker.step();
  const seconds = (performance.now() - started) / 1000;
  const after = { ...commits };
  sampling = false;
  const sorted = Float64Array.from(wall).sort();
  const sortedCpu = Float64Array.from(cpu).sort();
  const sortedWarm = Float64Array.from(wall.slice(warmupSamples)).sort();
  const sortedBroker = Float64Array.from(toBroker).sort();

  const rssBars = opts.rssBars ?? 1_000_000;
  const rss: MemorySample[] = [];
  const sample = (bars: number) => {
    Bun.gc(true);
    const h = heapStats();
    rss.push({ bars, mb: process.memoryUsage().rss / MB, heapMb: h.heapSize / MB, heapCapacityMb: h.heapCapacity / MB, extraMb: h.extraMemorySize / MB });
  };
  sample(latencyBars);
  const every = Math.max(1, Math.floor((rssBars - latencyBars) / 10));
  for (let i = latencyBars; i < rssBars; i++) {
    await broker.step();
    if ((i + 1 - latencyBars) % every === 0) sample(i + 1);
  }
  const trades = service.repos.trades.count();
  await service.shutdown('bench');
  rmSync(dir, { recursive: true, force: true });
  const durable = after.durable - before.durable;
  return {
    barToOrderP50Us: pct(sorted, 0.5),
    barToOrderP90Us: pct(sorted, 0.9),
    barToOrderP99Us: pct(sorted, 0.99),
    barToOrderP999Us: pct(sorted, 0.999),
    barToOrderMaxUs: sorted[sorted.length - 1]!,
    /** The same, leaving out the first 10 % of the bars, while the JIT is still compiling the path. */
    barToOrderWarmP50Us: pct(sortedWarm, 0.5),
    barToOrderWarmP99Us: pct(sortedWarm, 0.99),
    barToOrderWarmP999Us: pct(sortedWarm, 0.999),
    /** The same spans in this thread's CPU time: what the service itself spent. */
    barToOrderCpuP50Us: pct(sortedCpu, 0.5),
    barToOrderCpuP99Us: pct(sortedCpu, 0.99),
    barToOrderCpuP999Us: pct(sortedCpu, 0.999),
    /** Bar → the order handed to the venue, after the desk journalled it (one fsynced commit). */
    barToBrokerP50Us: pct(sortedBroker, 0.5),
    barToBrokerP99Us: pct(sortedBroker, 0.99),
    /** Share of order requests with a durable journal commit (an fsync) between the bar and the request. */
    barToOrderBehindFsyncShare: wall.length === 0 ? 0 : behindFsync / wall.length,
    orderRequests: wall.length,
    latencyBars,
    barsPerSec: latencyBars / seconds,
    durableCommitsPerBar: durable / latencyBars,
    relaxedCommitsPerBar: (after.relaxed - before.relaxed) / latencyBars,
    durableCommitMeanMs: durable === 0 ? 0 : (after.durableMs - before.durableMs) / durable,
    rssMbAfter1MBars: rss[rss.length - 1]!.mb,
    rss,
    trades,
  };
}

export type LiveBench = Awaited<ReturnType<typeof benchLive>>;

/** Run alone (a fresh process) so resident memory is the service's, not earlier benchmarks'. */
export async function benchLiveInChild(opts: { bars?: number; rssBars?: number } = {}): Promise<LiveBench> {
  const args = [String(opts.bars ?? 100_000), String(opts.rssBars ?? 1_000_000)];
  const proc = Bun.spawn(['bun', new URL(import.meta.url).pathname, ...args], { stdout: 'pipe', stderr: 'inherit' });
  const out = await new Response(proc.stdout).text();
  if ((await proc.exited) !== 0) throw new Error('live benchmark process failed');
  return JSON.parse(out) as LiveBench;
}

if (import.meta.main) {
  const [bars, rssBars] = process.argv.slice(2).map(Number);
  process.stdout.write(JSON.stringify(await benchLive({ bars: bars ?? 100_000, rssBars: rssBars ?? 1_000_000 })));
}
