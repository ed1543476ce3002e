import { assign, fromPromise, setup } from 'xstate';
import type { Bar } from '../domain/bar.ts';

/**
 * The strategy's lifecycle: warmingUp (indicators filled from history) → ready ⇄ paused.
 * Each closed bar runs the shared engine (provided `runBar`): in `paused` bars still run, so exits,
 * stops and risk checks keep working, but the engine refuses new entries.
 */

export type StrategyEvent = { type: 'BarClosed'; bar: Bar } | { type: 'Pause'; source: string } | { type: 'Resume'; source: string };

export interface StrategyContext {
  /** Live bars that arrived while history was loading: fed after it, in order. */
  pending: Bar[];
  startPaused: boolean;
  bars: number;
  lastBarTime: number | null;
  warmupError: string | null;
}

export const strategyMachine = setup({
  types: { context: {} as StrategyContext, events: {} as StrategyEvent, input: {} as { startPaused: boolean } },
  actors: {
    /** Loads history and warms the indicators up with it; resolves with the number of bars. */
    loadHistory: fromPromise<number>(async () => 0),
  },
  actions: {
    runBar: (_, _p: { bar: Bar }) => {},
    warmBars: (_, _p: { bars: readonly Bar[] }) => {},
    setPaused: (_, _p: { paused: boolean; source: string }) => {},
  },
  delays: { warmupRetry: 5_000 },
}).createMachine({
  id: 'strategy',
  context: ({ input }) => ({ pending: [], startPaused: input.startPaused, bars: 0, lastBarTime: null, warmupError: null }),
  initial: 'warmingUp',
  states: {
    warmingUp: {
      initial: 'loading',
      states: {
        loading: {
          invoke: {
            src: 'loadHistory',
            onDone: { target: '#strategy.warmed', actions: assign({ warmupError: null }) },
            onError: { target: 'retrying', actions: assign({ warmupError: ({ event }) => String(event.error) }) },
          },
        },
        retrying: { after: { warmupRetry: 'loading' } },
      },
      on: {
        BarClosed: { actions: assign({ pending: ({ context, event }) => [...context.pending, event.bar] }) },
        Pause: { actions: [assign({ startPaused: true }), { type: 'setPaused', params: ({ event }) => ({ paused: true, source: event.source }) }] },
        Resume: { actions: [assign({ startPaused: false }), { type: 'setPaused', params: ({ event }) => ({ paused: false, source: event.source }) }] },
      },
    },
    warmed: {
      entry: [{ type: 'warmBars', params: ({ context }) => ({ bars: context.pending }) }, assign({ pending: [] })],
      always: [{ guard: ({ context }) => context.startPaused, target: 'paused' }, { target: 'ready' }],
    },
    ready: {
      on: {
        Pause: { target: 'paused', actions: { type: 'setPaused', params: ({ event }) => ({ paused: true, source: event.source }) } },
      },
    },
    paused: {
      on: {
        Resume: { target: 'ready', actions: { type: 'setPaused', params: ({ event }) => ({ paused: false, source: event.source }) } },
      },
    },
  },
  on: {
    // The decision first: the bookkeeping is not on the bar → order path.
    BarClosed: {
      actions: [{ type: 'runBar', params: ({ event }) => ({ bar: event.bar }) }, assign({ bars: ({ context }) => context.bars + 1, lastBarTime: ({ event }) => event.bar.time })],
    },
  },
});
