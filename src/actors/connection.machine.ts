import { assign, fromPromise, setup } from 'xstate';
import { backoffDelay, type BackoffPolicy } from './backoff.ts';

/**
 * The broker connection: disconnected → connecting → syncing → ready; degraded while the venue
 * reports impaired data or routing (IB 1100, data-farm warnings); lost → backoff → connecting.
 * - `connect` covers the socket and the handshake (it resolves once IB sent nextValidId) and the
 *   bar subscription; `sync` reconciles orders and positions with the broker, and renews the
 *   subscription when its input says so (IB 1101: data lost; 1102: data kept, resync only).
 * - A staleness watchdog catches a socket that died without a word: no `DataReceived` for
 *   `staleAfterMs` while the market is open counts as lost. While the market is closed silence is
 *   normal, so the watchdog just re-arms.
 * - Reconnects back off min(max, initial × 2^attempt) × (1 − jitter × random()); `attempt`
 *   restarts at 0 once a sync succeeds, so one blip after hours of uptime retries quickly.
 * - `Disconnect` (operator, shutdown) stops everything, retries included, until `Connect`.
 * The service provides `connect`, `sync` and the actions; it forwards broker events as events.
 * `connect` and `sync` should honour their abort `signal`: leaving the state (time-out,
 * Disconnect) stops the actor but cannot undo a socket the library is still opening.
 */

export type ConnectionMachineEvent =
  | { type: 'Connect' }
  | { type: 'Disconnect' }
  | { type: 'BrokerConnected' }
  | { type: 'BrokerDisconnected'; reason: string }
  | { type: 'BrokerDegraded'; reason: string }
  | { type: 'BrokerRestored'; dataLost: boolean }
  | { type: 'DataReceived' }
  | { type: 'ReconcileRequested' };

export interface ConnectionInput {
  readonly staleAfterMs: number;
  readonly backoff: BackoffPolicy & { readonly jitter: number };
  readonly random?: () => number;
  readonly isMarketOpen: (now: number) => boolean;
  readonly now: () => number;
  /** Longest a connect or a sync may take before it counts as failed. Default 60 s. */
  readonly stepTimeoutMs?: number;
}

export type SyncReason = 'connect' | 'restored' | 'reconcile';

export interface SyncInput {
  /** Renew the market-data subscription too (the venue dropped it). */
  readonly resubscribe: boolean;
  readonly reason: SyncReason;
}

export interface ConnectionContext {
  readonly config: Required<ConnectionInput>;
  /** Reconnect attempts since the last successful sync. */
  attempt: number;
  lastError: string | null;
  /** When the current state was entered (clock ms). */
  since: number;
  degradedReason: string | null;
  /** The wait chosen for the current backoff. */
  retryInMs: number | null;
  sync: SyncInput;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
const syncFor = (reason: SyncReason, resubscribe = false) => ({ type: 'setSync', params: { reason, resubscribe } }) as const;

export const connectionMachine = setup({
  types: { context: {} as ConnectionContext, events: {} as ConnectionMachineEvent, input: {} as ConnectionInput },
  actors: {
    connect: fromPromise<void>(async () => {}),
    sync: fromPromise<void, SyncInput>(async () => {}),
  },
  actions: {
    // Side effects provided by the service (log, alert, close the socket).
    onReady: (_, _p: { reason: SyncReason; attempts: number }) => {},
    onLost: (_, _p: { reason: string }) => {},
    onDegraded: (_, _p: { reason: string }) => {},
    dropConnection: (_, _p: { reason: string }) => {},
    setSync: assign((_, p: SyncInput) => ({ sync: p })),
    setError: assign((_, p: { error: string }) => ({ lastError: p.error })),
    markSince: assign({ since: ({ context }) => context.config.now() }),
    planRetry: assign(({ context }) => ({
      retryInMs: backoffDelay(context.attempt, context.config.backoff, context.config.random),
      attempt: context.attempt + 1,
    })),
  },
  guards: {
    marketOpen: ({ context }) => context.config.isMarketOpen(context.config.now()),
  },
  delays: {
    staleAfter: ({ context }) => context.config.staleAfterMs,
    retryDelay: ({ context }) => context.retryInMs ?? 0,
    stepTimeout: ({ context }) => context.config.stepTimeoutMs,
  },
}).createMachine({
  id: 'connection',
  context: ({ input }) => ({
    config: { ...input, random: input.random ?? Math.random, stepTimeoutMs: input.stepTimeoutMs ?? 60_000 },
    attempt: 0,
    lastError: null,
    since: input.now(),
    degradedReason: null,
    retryInMs: null,
    sync: { reason: 'connect', resubscribe: false },
  }),
  initial: 'disconnected',
  on: {
    Disconnect: { target: '.disconnected', actions: { type: 'dropConnection', params: { reason: 'disconnect requested' } } },
  },
  states: {
    disconnected: {
      entry: ['markSince', assign({ retryInMs: null, degradedReason: null })],
      on: { Connect: { target: 'connecting', actions: assign({ attempt: 0, lastError: null }) } },
    },
    connecting: {
      entry: 'markSince',
      invoke: {
        src: 'connect',
        onDone: { target: 'syncing', actions: syncFor('connect') },
        // Never connected, so nothing was lost: back off without another "lost" alert.
        onError: { target: 'backoff', actions: { type: 'setError', params: ({ event }) => ({ error: `connect failed: ${errorText(event.error)}` }) } },
      },
      after: {
        stepTimeout: {
          target: 'backoff',
          actions: [assign({ lastError: 'connect timed out' }), { type: 'dropConnection', params: { reason: 'connect timed out' } }],
        },
      },
      on: { BrokerDisconnected: { target: 'backoff', actions: { type: 'setError', params: ({ event }) => ({ error: `disconnected while connecting: ${event.reason}` }) } } },
    },
    syncing: {
      entry: 'markSince',
      invoke: {
        src: 'sync',
        input: ({ context }) => context.sync,
        onDone: [{ guard: ({ context }) => context.degradedReason !== null, target: 'degraded' }, { target: 'ready' }],
        onError: { target: 'lost', actions: { type: 'setError', params: ({ event }) => ({ error: `sync failed: ${errorText(event.error)}` }) } },
      },
      after: { stepTimeout: { target: 'lost', actions: assign({ lastError: 'sync timed out' }) } },
      on: {
        BrokerDisconnected: { target: 'lost', actions: { type: 'setError', params: ({ event }) => ({ error: event.reason }) } },
        // Noted, not acted on: the sync finishes, then the machine settles in degraded.
        BrokerDegraded: { actions: assign({ degradedReason: ({ event }) => event.reason }) },
        // What the running sync read may predate the outage: start it again.
        BrokerRestored: { target: 'syncing', reenter: true, actions: [assign({ degradedReason: null }), syncFor('restored', true)] },
      },
    },
    ready: {
      entry: [
        'markSince',
        { type: 'onReady', params: ({ context }) => ({ reason: context.sync.reason, attempts: context.attempt }) },
        assign({ attempt: 0, retryInMs: null }),
      ],
      initial: 'watching',
      states: {
        watching: {
          after: {
            staleAfter: [
              {
                guard: 'marketOpen',
                target: '#connection.lost',
                actions: assign({ lastError: ({ context }) => `no market data for ${context.config.staleAfterMs / 1000} s while the market is open` }),
              },
              { target: 'watching', reenter: true },
            ],
          },
          on: { DataReceived: { target: 'watching', reenter: true } },
        },
      },
      on: {
        BrokerDisconnected: { target: 'lost', actions: { type: 'setError', params: ({ event }) => ({ error: event.reason }) } },
        BrokerDegraded: { target: 'degraded', actions: assign({ degradedReason: ({ event }) => event.reason }) },
        BrokerRestored: { target: 'syncing', actions: { type: 'setSync', params: ({ event }) => ({ reason: 'restored' as const, resubscribe: event.dataLost }) } },
        ReconcileRequested: { target: 'syncing', actions: syncFor('reconcile') },
      },
    },
    degraded: {
      entry: ['markSince', assign({ attempt: 0, retryInMs: null }), { type: 'onDegraded', params: ({ context }) => ({ reason: context.degradedReason ?? 'unknown' }) }],
      on: {
        BrokerDegraded: { actions: assign({ degradedReason: ({ event }) => event.reason }) },
        BrokerRestored: {
          target: 'syncing',
          actions: [assign({ degradedReason: null }), { type: 'setSync', params: ({ event }) => ({ reason: 'restored' as const, resubscribe: event.dataLost }) }],
        },
        BrokerDisconnected: { target: 'lost', actions: [assign({ degradedReason: null }), { type: 'setError', params: ({ event }) => ({ error: event.reason }) }] },
        ReconcileRequested: { target: 'syncing', actions: syncFor('reconcile') },
      },
    },
    lost: {
      entry: [
        'markSince',
        { type: 'dropConnection', params: ({ context }) => ({ reason: context.lastError ?? 'connection lost' }) },
        { type: 'onLost', params: ({ context }) => ({ reason: context.lastError ?? 'connection lost' }) },
      ],
      always: 'backoff',
    },
    backoff: {
      entry: ['markSince', 'planRetry'],
      after: { retryDelay: 'connecting' },
      on: {
        Connect: 'connecting',
        // The adapter reconnected on its own: skip the wait, but renew what the outage dropped.
        BrokerConnected: { target: 'syncing', actions: syncFor('restored', true) },
      },
    },
  },
});
