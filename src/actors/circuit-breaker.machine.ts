import { assign, setup } from 'xstate';

/**
 * The circuit breaker: closed → cooldown (consecutive losses, until a market time) → closed;
 * halted (daily loss, drawdown, supervisor escalation, manual) with its reason.
 * Daily-loss and drawdown halts clear at the next CME session; supervisor and manual halts only
 * by an explicit reset, because an operator should look at what went wrong first.
 * Time is market time carried by the events (a Tick per closed bar), so a cooldown in the
 * accelerated simulator lasts 30 market minutes, exactly as in the backtester.
 * Its state is rebuilt from persisted facts on boot (`input.restore`).
 */

export type HaltReason = 'daily_loss' | 'drawdown' | 'supervisor' | 'manual';

export type BreakerEvent =
  | { type: 'BreakerTripped'; reason: HaltReason; time: number; sessionStart: number; detail?: string }
  | { type: 'CooldownStarted'; until: number; time: number }
  | { type: 'Tick'; time: number; sessionStart: number }
  | { type: 'Reset'; time: number; source: string };

export interface BreakerContext {
  reason: HaltReason | null;
  detail: string | null;
  /** Cooldown end, market time (epoch ms). */
  until: number | null;
  /** Session in which the halt happened. */
  session: number | null;
  since: number | null;
}

export interface BreakerInput {
  readonly restore?: BreakerContext;
}

export const CLEAR_BREAKER: BreakerContext = { reason: null, detail: null, until: null, session: null, since: null };

const needsReset = (reason: HaltReason | null) => reason === 'supervisor' || reason === 'manual';

type Cleared = { time: number; cause: 'session' | 'cooldown_end' | 'reset'; source?: string };

export const circuitBreakerMachine = setup({
  types: {
    context: {} as BreakerContext,
    events: {} as BreakerEvent,
    input: {} as BreakerInput,
  },
  actions: {
    /** Side effects (persist the event, tell the engine, alert): provided by the service. */
    onTripped: (_, _params: { reason: HaltReason; time: number; detail?: string }) => {},
    onCooldown: (_, _params: { until: number; time: number }) => {},
    onCleared: (_, _params: Cleared) => {},
    assignTrip: assign((_, p: { reason: HaltReason; time: number; sessionStart: number; detail?: string }) => ({
      reason: p.reason,
      detail: p.detail ?? null,
      since: p.time,
      session: p.sessionStart,
      until: null,
    })),
    assignCooldown: assign((_, p: { until: number; time: number }) => ({ until: p.until, since: p.time })),
    clear: assign(() => ({ ...CLEAR_BREAKER })),
  },
  guards: {
    cooldownOver: ({ context }, p: { time: number }) => context.until !== null && p.time >= context.until,
    newSessionClearsHalt: ({ context }, p: { sessionStart: number }) =>
      (context.reason === 'daily_loss' || context.reason === 'drawdown') && context.session !== null && p.sessionStart > context.session,
  },
}).createMachine({
  id: 'circuitBreaker',
  context: ({ input }) => ({ ...(input.restore ?? CLEAR_BREAKER) }),
  initial: 'boot',
  states: {
    boot: {
      always: [{ guard: ({ context }) => context.reason !== null, target: 'halted' }, { guard: ({ context }) => context.until !== null, target: 'cooldown' }, { target: 'closed' }],
    },
    closed: {
      on: {
        BreakerTripped: { target: 'halted', actions: [{ type: 'assignTrip', params: ({ event }) => event }, { type: 'onTripped', params: ({ event }) => event }] },
        CooldownStarted: { target: 'cooldown', actions: [{ type: 'assignCooldown', params: ({ event }) => event }, { type: 'onCooldown', params: ({ event }) => event }] },
      },
    },
    cooldown: {
      on: {
        Tick: {
          guard: { type: 'cooldownOver', params: ({ event }) => event },
          target: 'closed',
          actions: [{ type: 'onCleared', params: ({ event }) => ({ time: event.time, cause: 'cooldown_end' as const }) }, 'clear'],
        },
        CooldownStarted: { actions: [{ type: 'assignCooldown', params: ({ event }) => event }, { type: 'onCooldown', params: ({ event }) => event }] },
        BreakerTripped: { target: 'halted', actions: [{ type: 'assignTrip', params: ({ event }) => event }, { type: 'onTripped', params: ({ event }) => event }] },
        Reset: { target: 'closed', actions: [{ type: 'onCleared', params: ({ event }) => ({ time: event.time, cause: 'reset' as const, source: event.source }) }, 'clear'] },
      },
    },
    halted: {
      on: {
        Tick: {
          guard: { type: 'newSessionClearsHalt', params: ({ event }) => event },
          target: 'closed',
          actions: [{ type: 'onCleared', params: ({ event }) => ({ time: event.time, cause: 'session' as const }) }, 'clear'],
        },
        // Another trip while halted (e.g. drawdown after daily loss) updates the reason; still halted.
        // A halt that needs an operator is kept: a later daily-loss or drawdown trip must not turn it
        // into one that clears by itself at the next session.
        BreakerTripped: [
          { guard: ({ context, event }) => needsReset(context.reason) && !needsReset(event.reason) },
          { actions: [{ type: 'assignTrip', params: ({ event }) => event }, { type: 'onTripped', params: ({ event }) => event }] },
        ],
        Reset: { target: 'closed', actions: [{ type: 'onCleared', params: ({ event }) => ({ time: event.time, cause: 'reset' as const, source: event.source }) }, 'clear'] },
      },
    },
  },
});
