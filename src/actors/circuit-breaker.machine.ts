import { assign, setup } from 'xstate';
import type { Halt, HaltReason, RiskChange } from '../engine/risk-state.ts';

/**
 * The circuit breaker: closed → cooldown (consecutive losses, until a market time) → closed;
 * halted (daily loss, drawdown, supervisor escalation, manual, reconciliation, store) with its
 * reason. It decides nothing: the engine owns the risk state and its rules (when a halt clears —
 * `engine/risk-state.ts`), and this machine projects the engine's changes, so the dashboard,
 * Telegram and the statechart view show exactly what the engine enforces, in backtest and live.
 * Operator commands (Reset) are forwarded to the engine, whose answer moves the machine.
 * Its boot state is the engine's restored state (`input.restore`).
 */

export type { HaltReason };

export type BreakerEvent = RiskChange | { type: 'Reset'; time: number; source: string };

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
  /** The engine's halt and loss-streak pause at boot. */
  readonly restore?: { readonly halt: Halt | null; readonly pauseUntil: number };
}

export const CLEAR_BREAKER: BreakerContext = { reason: null, detail: null, until: null, session: null, since: null };

type Halted = Extract<RiskChange, { type: 'Halted' }>;
type Cleared = Extract<RiskChange, { type: 'HaltCleared' }>;
type Cooling = Extract<RiskChange, { type: 'CooldownStarted' }>;

const fromHalt = (h: Halt): Partial<BreakerContext> => ({ reason: h.reason, detail: h.detail, since: h.since, session: h.session });

export const circuitBreakerMachine = setup({
  types: { context: {} as BreakerContext, events: {} as BreakerEvent, input: {} as BreakerInput },
  actions: {
    /** Side effects (journal the event, alert): provided by the service. */
    onTripped: (_, _p: Halted) => {},
    onCooldown: (_, _p: Cooling) => {},
    onCleared: (_, _p: { time: number; cause: Cleared['cause'] | 'cooldown_end'; reason: HaltReason | null }) => {},
    /** An operator's reset: the engine clears its blocks and announces it. */
    requestReset: (_, _p: { time: number; source: string }) => {},
    assignHalt: assign((_, e: Halted) => fromHalt(e.halt)),
    assignCooldown: assign((_, e: Cooling) => ({ until: e.until })),
    clearHalt: assign(() => ({ reason: null, detail: null, session: null, since: null })),
    clearCooldown: assign(() => ({ until: null })),
  },
  guards: {
    cooling: ({ context }) => context.until !== null,
  },
}).createMachine({
  id: 'circuitBreaker',
  context: ({ input }) => ({
    ...CLEAR_BREAKER,
    ...(input.restore?.halt ? fromHalt(input.restore.halt) : {}),
    ...(input.restore && input.restore.pauseUntil > 0 ? { until: input.restore.pauseUntil } : {}),
  }),
  initial: 'boot',
  on: {
    Halted: { target: '.halted', actions: [{ type: 'assignHalt', params: ({ event }) => event }, { type: 'onTripped', params: ({ event }) => event }] },
    CooldownStarted: { actions: [{ type: 'assignCooldown', params: ({ event }) => event }, { type: 'onCooldown', params: ({ event }) => event }] },
    Reset: { actions: { type: 'requestReset', params: ({ event }) => event } },
  },
  states: {
    boot: {
      always: [{ guard: ({ context }) => context.reason !== null, target: 'halted' }, { guard: 'cooling', target: 'cooldown' }, { target: 'closed' }],
    },
    closed: {
      on: { CooldownStarted: { target: 'cooldown', actions: [{ type: 'assignCooldown', params: ({ event }) => event }, { type: 'onCooldown', params: ({ event }) => event }] } },
    },
    cooldown: {
      on: {
        CooldownEnded: { target: 'closed', actions: ['clearCooldown', { type: 'onCleared', params: ({ event }) => ({ time: event.time, cause: 'cooldown_end' as const, reason: null }) }] },
      },
    },
    halted: {
      on: {
        CooldownEnded: { actions: 'clearCooldown' },
        HaltCleared: [
          { guard: 'cooling', target: 'cooldown', actions: [{ type: 'onCleared', params: ({ event }) => ({ time: event.time, cause: event.cause, reason: event.reason }) }, 'clearHalt'] },
          { target: 'closed', actions: [{ type: 'onCleared', params: ({ event }) => ({ time: event.time, cause: event.cause, reason: event.reason }) }, 'clearHalt'] },
        ],
      },
    },
  },
});
