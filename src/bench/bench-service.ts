import { join } from 'node:path';
import { SimBroker } from '../broker/sim/broker.ts';
import { parseConfig, type Config } from '../config/schema.ts';

/**
 * The service the live benchmarks run: a volatile paper market that trades often, with risk limits
 * out of reach (nothing halts), the journal on a real SQLite file in `dir`, and its paper exchange
 * producing bars as fast as they are taken.
 */
export function benchSetup(dir: string): { config: Config; broker: SimBroker } {
  const config = parseConfig(
    {
      store: { path: join(dir, 'qs.db') },
      web: { host: '127.0.0.1', port: 0 },
      sim: { seed: 5, regime: 'volatile' },
      trading: { params: { entry: 1.5, exit: 0.2 } },
      risk: { maxDrawdown: 1e9, dailyLossLimit: 1e9, consecutiveLossLimit: 1e6 },
    },
    'bench',
  );
  const broker = new SimBroker({ seed: 5, regime: 'volatile', barIntervalMs: 0, slippageTicks: 1, commissionPerContract: 0.62, warmup: 500, settleTurns: 1 });
  return { config, broker };
}
