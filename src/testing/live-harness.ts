import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { SimBroker } from '../broker/sim/broker.ts';
import { memoryVenueStore } from '../broker/sim/venue-state.ts';
import { parseConfig, type Config } from '../config/schema.ts';
import { silentLogger, type Logger } from '../domain/log.ts';
import { startService, type ServiceOptions } from '../service/service.ts';

/**
 * The whole live service on the paper exchange, driven bar by bar (`step`) on a simulated clock,
 * with a real SQLite file in a temp directory. Used by the parity test, the app tests and benches.
 */
export async function liveHarness(opts: { config?: Record<string, unknown>; log?: Logger; warmup?: number; onOrderRequest?: ServiceOptions['onOrderRequest'] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'qs-live-'));
  const config: Config = parseConfig({ ...opts.config, store: { path: join(dir, 'qs.db') } }, 'test');
  const warmup = opts.warmup ?? 500;
  const broker = new SimBroker({
    seed: config.sim.seed,
    regime: config.sim.regime,
    startPrice: config.sim.startPrice,
    barMinutes: config.trading.barMinutes,
    barIntervalMs: 0,
    slippageTicks: config.backtest.slippageTicks,
    commissionPerContract: config.backtest.commissionPerContract,
    venueState: memoryVenueStore(),
    warmup,
  });
  const clock = new SimulatedClock();
  const service = await startService({ config, secrets: {}, log: opts.log ?? silentLogger, clock, broker, web: false, warmupBars: warmup, ...(opts.onOrderRequest ? { onOrderRequest: opts.onOrderRequest } : {}) });
  const { waitFor } = await import('xstate');
  await waitFor(service.system.get('strategy')!, (s) => s.matches('ready') || s.matches('paused'), { timeout: 5_000 });
  return {
    ...service,
    config,
    clock,
    sim: broker,
    dir,
    /** Runs `n` bars through the venue and the actors. */
    async bars(n: number): Promise<void> {
      for (let i = 0; i < n; i++) await broker.step();
    },
    async close(): Promise<void> {
      await service.shutdown('test');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
