import type { Bar } from '../domain/bar.ts';

/**
 * What the market view needs from the trading core (TradingCore satisfies it): each bar the engine
 * decides on, and the strategy it runs with.
 */
export interface BarSource {
  onDecided(listener: (bar: Bar) => void): () => void;
  readonly lastBar: Bar | null;
  readonly params: Readonly<Record<string, number>>;
  readonly strategyDef: { readonly name: string };
  /** History the strategy warmed up on, so the chart is not empty after a restart. */
  onWarmUp?(listener: (bars: readonly Bar[]) => void): () => void;
}

/** The last bars the strategy saw, for the dashboard's live chart. Bounded: the service runs for weeks. */
export interface MarketView {
  readonly strategy: string;
  readonly params: Readonly<Record<string, number>>;
  /** Oldest first, at most `capacity`. */
  bars(): readonly Bar[];
  /** Adds a closed bar; a bar with the last one's time replaces it, an older one is ignored. */
  record(bar: Bar): void;
  onBar(listener: (bar: Bar) => void): () => void;
  /** Stops listening to the source. */
  close(): void;
}

export const MARKET_VIEW_CAPACITY = 500;

export interface MarketViewOptions {
  readonly strategy: string;
  readonly params: Readonly<Record<string, number>>;
  readonly capacity?: number;
}

export function createMarketView(opts: MarketViewOptions, source?: BarSource): MarketView {
  const capacity = Math.max(1, opts.capacity ?? MARKET_VIEW_CAPACITY);
  const buffer: Bar[] = [];
  const listeners = new Set<(bar: Bar) => void>();
  const record = (bar: Bar) => {
    const last = buffer.at(-1);
    if (last && bar.time < last.time) return;
    if (last && bar.time === last.time) buffer[buffer.length - 1] = bar;
    else buffer.push(bar);
    // shift() on a 500-element array costs less than a ring buffer's bookkeeping.
    if (buffer.length > capacity) buffer.shift();
    for (const l of listeners) l(bar);
  };
  if (source?.lastBar) record(source.lastBar);
  const offTick = source?.onDecided(record);
  const offWarm = source?.onWarmUp?.((bars) => {
    for (const b of bars.slice(-capacity)) record(b);
  });
  const off = () => {
    offTick?.();
    offWarm?.();
  };
  return {
    strategy: opts.strategy,
    params: opts.params,
    bars: () => buffer.slice(),
    record,
    onBar(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      off?.();
      listeners.clear();
    },
  };
}

/** A market view fed by the core: every bar the engine decides on (the core's `tick`) is recorded. */
export function marketViewOf(source: BarSource, capacity = MARKET_VIEW_CAPACITY): MarketView {
  return createMarketView({ strategy: source.strategyDef.name, params: source.params, capacity }, source);
}
