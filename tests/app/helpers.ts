import { waitFor } from 'xstate';
import { liveHarness } from '../../src/testing/live-harness.ts';
import type { CommandSource } from '../../src/app/types.ts';
import { memoryLogger } from '../actors/helpers.ts';

/**
 * A volatile simulated market with tight brackets and a quick strategy: positions open within a
 * few bars and trades close within tens, so a test sees full round trips without running long.
 */
export const ACTIVE_MARKET = {
  sim: { seed: 11, regime: 'volatile' },
  trading: { params: { lookback: 20, entry: 1.8, exit: 0.3 } },
  risk: { stopLossPerContract: 25, takeProfitPerContract: 40, maxDrawdown: 100_000 },
} as const;

export type Harness = Awaited<ReturnType<typeof liveHarness>>;

/** The whole service on the sim venue, with a logger whose lines the test can read. */
export async function activeService(config: Record<string, unknown> = ACTIVE_MARKET) {
  const log = memoryLogger();
  const h = await liveHarness({ config, log, warmup: 100 });
  return { h, log };
}

export const web: CommandSource = { channel: 'web', principal: 'token' };
export const telegram: CommandSource = { channel: 'telegram', principal: '4242' };

/** Runs bars until `done()` holds; fails loudly instead of looping when it never does. */
export async function barsUntil(h: Harness, done: () => boolean, max = 2_000): Promise<number> {
  for (let n = 0; n < max; n++) {
    if (done()) return n;
    await h.bars(1);
  }
  throw new Error(`condition not reached within ${max} bars`);
}

/**
 * Awaits a command that needs the market to move (a flatten waits for its exit fill): bars are
 * stepped one at a time until it settles.
 */
export async function whileBarsRun<T>(h: Harness, command: Promise<T>, max = 50): Promise<T> {
  let settled = false;
  const result = command.finally(() => void (settled = true));
  for (let n = 0; n < max && !settled; n++) await h.bars(1);
  return result;
}

/** Every alert queued for the operator, delivered or not, oldest first. */
export function alertTexts(h: Harness): string[] {
  return h.store.db.query<{ text: string }, []>('SELECT text FROM outbox ORDER BY id').all().map((r) => r.text);
}

/**
 * Makes the strategy fail on every bar (a bug in the strategy code) and runs bars until the
 * supervisor gives up on it. Returns the number of failures it took.
 */
export async function breakStrategyUntilEscalated(h: Harness, max = 20): Promise<number> {
  h.core.onBar = () => {
    throw new Error('strategy bug');
  };
  for (let failures = 0; failures < max; failures++) {
    const strategy = h.system.get('strategy');
    if (strategy === undefined) return failures;
    await waitFor(strategy, (s) => s.matches('ready') || s.matches('paused'), { timeout: 5_000 });
    await h.bars(1);
  }
  throw new Error(`the supervisor did not give up on the strategy within ${max} failures`);
}
