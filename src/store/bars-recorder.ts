import type { Bar } from '../domain/bar.ts';
import type { Logger } from '../domain/log.ts';
import { frontContractAt } from '../data/contracts.ts';
import { BarsRepository } from './bars.ts';
import type { Store } from './db.ts';

/** What the recorder needs of a broker: its closed bars. */
export interface BarSource {
  on(event: 'bar', handler: (bar: Bar) => void): () => void;
}

export interface RecorderOptions {
  readonly rollDays: number;
  readonly barMinutes: number;
  readonly log: Logger;
  readonly now: () => number;
}

/**
 * Records every closed bar the service trades on into the bar store, under the contract the live
 * roll rule names for its time, so a past session can be backtested on exactly those bars
 * (`bun run backtest --symbol MES --from …`). The store keeps 1-minute bars, so only a 1-minute
 * service records. A failed write is logged and never reaches the trading path.
 */
export function recordBars(source: BarSource, store: Store, opts: RecorderOptions): () => void {
  if (opts.barMinutes !== 1) {
    opts.log.warn('bars.not_recorded', { reason: `trading.barMinutes is ${opts.barMinutes}; the bar store keeps 1-minute bars` });
    return () => {};
  }
  const repo = new BarsRepository(store);
  const known = new Set<string>();
  return source.on('bar', (bar) => {
    try {
      const c = frontContractAt(bar.time, opts.rollDays);
      if (!known.has(c.name)) {
        repo.ensureContract({ contract: c.name, symbol: c.symbol, lastTradeDay: c.lastTradeDay }, opts.now());
        known.add(c.name);
      }
      repo.append(c.name, bar, 'live');
    } catch (e) {
      opts.log.error('bars.record_failed', { time: new Date(bar.time).toISOString(), error: e instanceof Error ? e.message : String(e) });
    }
  });
}
