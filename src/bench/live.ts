import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { SimBroker } from '../broker/sim/broker.ts';
import { parseConfig } from '../config/schema.ts';
import { silentLogger } from '../domain/log.ts';
import { startService } from '../service/service.ts';

const pct = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/**
 * The live path in one process: the paper exchange produces bars as fast as the actors take them,
 * through the whole service (journal on a real SQLite file, synchronous=FULL). Latency is measured
 * from the moment a bar is published to the moment the resulting order request reaches the order
 * desk; resident memory is sampled along the way to show whether it grows.
 */
export async function benchLive(opts: { bars?: number; rssBars?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'qs-bench-'));
  const config = parseConfig(
    { store: { path: join(dir, 'qs.db') }, sim: { seed: 5, regime: 'volatile' }, trading: { params: { entry: 1.5, exit: 0.2 } }, risk: { maxDrawdown: 1e9, dailyLossLimit: 1e9, consecutiveLossLimit: 1e6 } },
    'bench',
  );
  const broker = new SimBroker({ seed: 5, regime: 'volatile', barIntervalMs: 0, slippageTicks: 1, commissionPerContract: 0.62, warmup: 500, settleTurns: 1 });
  let published = 0;
  let sampling = true;
  const samples: number[] = [];
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
    onOrderRequest: () => {
      if (sampling) samples.push((performance.now() - published) * 1000);
    },
  });
  const { waitFor } = await import('xstate');
  await waitFor(service.system.get('strategy')!, (s) => s.matches('ready'));
  const latencyBars = opts.bars ?? 100_000;
  for (let i = 0; i < latencyBars; i++) await broker.step();
  sampling = false;
  const sorted = Float64Array.from(samples).sort();

  const rssBars = opts.rssBars ?? 1_000_000;
  const rss: Array<{ bars: number; mb: number }> = [];
  Bun.gc(true);
  rss.push({ bars: latencyBars, mb: process.memoryUsage().rss / 2 ** 20 });
  const every = Math.max(1, Math.floor((rssBars - latencyBars) / 10));
  for (let i = latencyBars; i < rssBars; i++) {
    await broker.step();
    if ((i + 1 - latencyBars) % every === 0) {
      Bun.gc(true);
      rss.push({ bars: i + 1, mb: process.memoryUsage().rss / 2 ** 20 });
    }
  }
  const trades = service.repos.trades.count();
  await service.shutdown('bench');
  rmSync(dir, { recursive: true, force: true });
  return {
    barToOrderP50Us: pct(sorted, 0.5),
    barToOrderP99Us: pct(sorted, 0.99),
    orderRequests: samples.length,
    rssMbAfter1MBars: rss[rss.length - 1]!.mb,
    rss,
    trades,
  };
}

/** Run alone (a fresh process) so resident memory is the service's, not earlier benchmarks'. */
export async function benchLiveInChild(opts: { bars?: number; rssBars?: number } = {}): Promise<Awaited<ReturnType<typeof benchLive>>> {
  const args = [String(opts.bars ?? 100_000), String(opts.rssBars ?? 1_000_000)];
  const proc = Bun.spawn(['bun', new URL(import.meta.url).pathname, ...args], { stdout: 'pipe', stderr: 'inherit' });
  const out = await new Response(proc.stdout).text();
  if ((await proc.exited) !== 0) throw new Error('live benchmark process failed');
  return JSON.parse(out) as Awaited<ReturnType<typeof benchLive>>;
}

if (import.meta.main) {
  const [bars, rssBars] = process.argv.slice(2).map(Number);
  process.stdout.write(JSON.stringify(await benchLive({ bars: bars ?? 100_000, rssBars: rssBars ?? 1_000_000 })));
}
