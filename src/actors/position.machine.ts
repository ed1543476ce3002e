import { assign, fromPromise, setup } from 'xstate';
import type { OrderUpdate } from '../broker/port.ts';
import type { ExitReason, Fill, Side } from '../domain/trading.ts';

/**
 * One position's lifecycle: flat → entering → long | short → exiting → flat, plus reconciling
 * (boot and after a lost order: wait for the broker's truth) and flattening (operator emergency).
 * It owns the bracket (stop + target as one OCA group) and reacts to fills; the numbers (P&L,
 * risk) live in the trading core, reached through the provided actions.
 */

export type PositionCommand =
  | { type: 'Enter'; side: Side; qty: number; ref: string }
  | { type: 'Exit'; reason: ExitReason; ref: string }
  | { type: 'Flatten'; ref: string }
  | { type: 'Reconciled'; position: OpenRefs | null };

export type PositionEvent =
  | PositionCommand
  | { type: 'OrderFilled'; fill: Fill }
  | { type: 'OrderUpdated'; update: OrderUpdate }
  | { type: 'OrderRefused'; ref: string; message: string };

/** What a restart or a reconcile knows of an open position. */
export interface OpenRefs {
  readonly side: Side;
  readonly qty: number;
  readonly entryRef: string | null;
  readonly stopRef: string | null;
  readonly targetRef: string | null;
  /** A market exit still working at the broker: the position is on its way out. */
  readonly exitRef?: string | null;
  readonly exitReason?: ExitReason | null;
}

export interface PositionContext {
  side: Side | null;
  qty: number;
  entryRef: string | null;
  stopRef: string | null;
  targetRef: string | null;
  exitRef: string | null;
  exitReason: ExitReason | null;
  /** True once the entry filled (or a reconcile found a position): there is something to close. */
  holding: boolean;
  /** The stop or the target has part-filled: the bracket is already closing the position. */
  bracketFilling: boolean;
  ackTimeoutMs: number;
}

export interface PositionInput {
  readonly ackTimeoutMs: number;
}

type Refs = Omit<PositionContext, 'ackTimeoutMs'>;
const EMPTY: Refs = { side: null, qty: 0, entryRef: null, stopRef: null, targetRef: null, exitRef: null, exitReason: null, holding: false, bracketFilling: false };

const fillOf = (e: PositionEvent, ref: string | null) => e.type === 'OrderFilled' && ref !== null && e.fill.orderRef === ref;
const endedUpdate = (e: PositionEvent, ref: string | null) => e.type === 'OrderUpdated' && e.update.ref === ref && (e.update.status === 'rejected' || e.update.status === 'cancelled');

export const positionMachine = setup({
  types: { context: {} as PositionContext, events: {} as PositionEvent, input: {} as PositionInput },
  actions: {
    // Side effects, provided by the service (order desk + trading core); no-ops here so tests can observe them.
    placeEntry: (_, _p: { ref: string; side: Side; qty: number }) => {},
    /** Entry filled: tell the core, then place the stop and target; returns nothing. */
    openedPosition: (_, _p: { fill: Fill; side: Side; entryRef: string; stopRef: string; targetRef: string }) => {},
    placeExit: (_, _p: { ref: string; side: Side; qty: number; reason: ExitReason }) => {},
    cancelOrders: (_, _p: { refs: ReadonlyArray<string | null> }) => {},
    /** An entry fill adopted during a flatten: the core records it; no bracket is placed. */
    adoptEntry: (_, _p: { fill: Fill; side: Side }) => {},
    closedPosition: (_, _p: { fill: Fill; reason: ExitReason; entryRef: string | null }) => {},
    alert: (_, _p: { message: string }) => {},
    requestReconcile: () => {},
  },
  actors: {
    cancelAll: fromPromise(async () => {}),
    confirmFlat: fromPromise<boolean>(async () => true),
  },
  delays: {
    ackTimeout: ({ context }) => context.ackTimeoutMs,
  },
}).createMachine({
  id: 'position',
  context: ({ input }) => ({ ...EMPTY, ackTimeoutMs: input.ackTimeoutMs }),
  initial: 'reconciling',
  on: {
    Flatten: { target: '.flattening', actions: assign({ exitRef: ({ event }) => event.ref, exitReason: 'flatten' }) },
    // The broker's truth after a (re)connect, whatever this actor thought: fills made while away
    // may have opened or closed the position.
    Reconciled: [
      { guard: ({ event }) => event.position === null, target: '.flat', actions: assign(() => ({ ...EMPTY })) },
      {
        guard: ({ event }) => !!event.position?.exitRef,
        target: '.exiting',
        actions: assign(({ event }) => ({ ...EMPTY, ...event.position!, holding: true })),
      },
      {
        target: '.open',
        actions: assign(({ event }) => ({ ...EMPTY, ...event.position!, holding: true })),
      },
    ],
  },
  states: {
    reconciling: {
      on: {
        // While reconciling, fills are the broker catching us up; the reconcile result covers them.
        Flatten: { target: 'flattening', actions: assign({ exitRef: ({ event }) => event.ref, exitReason: 'flatten' }) },
      },
    },
    flat: {
      entry: assign(() => ({ ...EMPTY })),
      on: {
        Enter: {
          target: 'entering',
          actions: [
            assign(({ event }) => ({ side: event.side, qty: event.qty, entryRef: event.ref })),
            { type: 'placeEntry', params: ({ event }) => ({ ref: event.ref, side: event.side, qty: event.qty }) },
          ],
        },
      },
    },
    entering: {
      initial: 'awaitingAck',
      states: {
        awaitingAck: {
          after: {
            ackTimeout: {
              target: '#position.reconciling',
              actions: [
                { type: 'cancelOrders', params: ({ context }) => ({ refs: [context.entryRef] }) },
                { type: 'alert', params: ({ context }) => ({ message: `entry ${context.entryRef} not acknowledged in time: cancelled, reconciling` }) },
                'requestReconcile',
              ],
            },
          },
          on: { OrderUpdated: { guard: ({ context, event }) => event.update.ref === context.entryRef && event.update.status === 'submitted', target: 'working' } },
        },
        working: {},
      },
      on: {
        OrderFilled: {
          guard: ({ context, event }) => fillOf(event, context.entryRef),
          target: 'open',
          actions: [
            assign(({ context }) => ({ stopRef: `${context.entryRef}-S`, targetRef: `${context.entryRef}-T`, holding: true })),
            {
              type: 'openedPosition',
              params: ({ context, event }) => ({ fill: (event as { fill: Fill }).fill, side: context.side!, entryRef: context.entryRef!, stopRef: context.stopRef!, targetRef: context.targetRef! }),
            },
          ],
        },
        OrderUpdated: { guard: ({ context, event }) => endedUpdate(event, context.entryRef), target: 'flat', actions: { type: 'alert', params: ({ event }) => ({ message: `entry ${(event as { update: OrderUpdate }).update.status}: ${(event as { update: OrderUpdate }).update.message ?? ''}` }) } },
        OrderRefused: { guard: ({ context, event }) => event.ref === context.entryRef, target: 'flat', actions: { type: 'alert', params: ({ event }) => ({ message: `entry refused: ${event.message}` }) } },
      },
    },
    open: {
      initial: 'route',
      states: {
        route: { always: [{ guard: ({ context }) => context.side === 'long', target: 'long' }, { target: 'short' }] },
        long: {},
        short: {},
      },
      on: {
        // A part-filled stop or target will close the rest (OCA type 2 keeps the other leg for what
        // remains), and its fill arrives once it is complete. An exit now would race it: a market
        // order for the whole position sells the closed part again, and if the cancel won, the
        // part-fill would end the position here with contracts still open and the exit withdrawn.
        // The engine decides the exit again on the next bar if the position is still there.
        OrderUpdated: {
          guard: ({ context, event }) => event.update.status === 'partially_filled' && (event.update.ref === context.stopRef || event.update.ref === context.targetRef),
          actions: assign({ bracketFilling: true }),
        },
        Exit: {
          guard: ({ context }) => !context.bracketFilling,
          target: 'exiting',
          actions: [
            assign(({ event }) => ({ exitRef: event.ref, exitReason: event.reason })),
            { type: 'cancelOrders', params: ({ context }) => ({ refs: [context.stopRef, context.targetRef] }) },
            { type: 'placeExit', params: ({ context, event }) => ({ ref: event.ref, side: context.side!, qty: context.qty, reason: event.reason }) },
          ],
        },
        OrderFilled: [
          // A stop or target that ended part-filled (cancelled outside the bot) closed only part.
          {
            guard: ({ context, event }) => (fillOf(event, context.stopRef) || fillOf(event, context.targetRef)) && (event as { fill: Fill }).fill.qty < context.qty,
            actions: [
              { type: 'closedPosition', params: ({ context, event }) => { const f = (event as { fill: Fill }).fill; return { fill: f, reason: f.orderRef === context.stopRef ? ('stop' as const) : ('target' as const), entryRef: context.entryRef }; } },
              assign(({ context, event }) => ({ qty: context.qty - (event as { fill: Fill }).fill.qty, bracketFilling: false })),
              { type: 'alert', params: ({ context }) => ({ message: `part of the position closed by its bracket; ${context.qty} contract(s) remain open` }) },
            ],
          },
          { guard: ({ context, event }) => fillOf(event, context.stopRef), target: 'flat', actions: { type: 'closedPosition', params: ({ context, event }) => ({ fill: (event as { fill: Fill }).fill, reason: 'stop' as const, entryRef: context.entryRef }) } },
          { guard: ({ context, event }) => fillOf(event, context.targetRef), target: 'flat', actions: { type: 'closedPosition', params: ({ context, event }) => ({ fill: (event as { fill: Fill }).fill, reason: 'target' as const, entryRef: context.entryRef }) } },
        ],
      },
    },
    exiting: {
      on: {
        OrderFilled: [
          { guard: ({ context, event }) => fillOf(event, context.exitRef), target: 'flat', actions: { type: 'closedPosition', params: ({ context, event }) => ({ fill: (event as { fill: Fill }).fill, reason: context.exitReason!, entryRef: context.entryRef }) } },
          // The bracket beat our cancel: that fill closed the position; withdraw the market exit.
          {
            guard: ({ context, event }) => fillOf(event, context.stopRef) || fillOf(event, context.targetRef),
            target: 'flat',
            actions: [
              { type: 'cancelOrders', params: ({ context }) => ({ refs: [context.exitRef] }) },
              { type: 'closedPosition', params: ({ context, event }) => { const f = (event as { fill: Fill }).fill; return { fill: f, reason: f.orderRef === context.stopRef ? ('stop' as const) : ('target' as const), entryRef: context.entryRef }; } },
            ],
          },
        ],
        OrderUpdated: { guard: ({ context, event }) => endedUpdate(event, context.exitRef), target: 'reconciling', actions: [{ type: 'alert', params: ({ context }) => ({ message: `exit ${context.exitRef} did not fill: reconciling` }) }, 'requestReconcile'] },
        OrderRefused: { guard: ({ context, event }) => event.ref === context.exitRef, target: 'reconciling', actions: [{ type: 'alert', params: ({ event }) => ({ message: `exit refused: ${event.message}; reconciling` }) }, 'requestReconcile'] },
      },
    },
    flattening: {
      initial: 'cancelling',
      on: {
        // Already flattening: restarting would swap the ref of the order already sent and sell twice.
        Flatten: {},
        // The flatten confirms with the broker itself; a reconcile result must not abandon it.
        Reconciled: {},
        OrderFilled: [
          // The entry filled before the cancel reached it: the position is real and must be closed too.
          {
            guard: ({ context, event }) => !context.holding && fillOf(event, context.entryRef),
            actions: [assign({ holding: true }), { type: 'adoptEntry', params: ({ context, event }) => ({ fill: (event as { fill: Fill }).fill, side: context.side! }) }],
          },
          // A bracket order filled before the cancel reached it: what it filled is closed; only the
          // rest (if the cancel stopped it part-way) is left for the flatten's own order.
          {
            guard: ({ context, event }) => context.holding && (fillOf(event, context.stopRef) || fillOf(event, context.targetRef)),
            actions: [
              assign(({ context, event }) => {
                const rest = context.qty - (event as { fill: Fill }).fill.qty;
                return rest > 0 ? { qty: rest } : { holding: false };
              }),
              { type: 'closedPosition', params: ({ context, event }) => { const f = (event as { fill: Fill }).fill; return { fill: f, reason: f.orderRef === context.stopRef ? ('stop' as const) : ('target' as const), entryRef: context.entryRef }; } },
            ],
          },
        ],
      },
      states: {
        cancelling: {
          invoke: {
            src: 'cancelAll',
            onDone: [
              { guard: ({ context }) => context.holding, target: 'closing', actions: { type: 'placeExit', params: ({ context }) => ({ ref: context.exitRef!, side: context.side!, qty: context.qty, reason: 'flatten' as const }) } },
              { target: 'confirming' },
            ],
            onError: { target: 'confirming', actions: { type: 'alert', params: ({ event }) => ({ message: `flatten: cancelling orders failed: ${String(event.error)}` }) } },
          },
        },
        closing: {
          on: {
            OrderFilled: {
              guard: ({ context, event }) => fillOf(event, context.exitRef) || fillOf(event, context.stopRef) || fillOf(event, context.targetRef),
              target: 'confirming',
              actions: { type: 'closedPosition', params: ({ context, event }) => { const f = (event as { fill: Fill }).fill; return { fill: f, reason: f.orderRef === context.stopRef ? ('stop' as const) : f.orderRef === context.targetRef ? ('target' as const) : ('flatten' as const), entryRef: context.entryRef }; } },
            },
            OrderRefused: { target: 'confirming', actions: { type: 'alert', params: ({ event }) => ({ message: `flatten order refused: ${event.message}` }) } },
          },
        },
        confirming: {
          invoke: {
            src: 'confirmFlat',
            onDone: [
              { guard: ({ event }) => event.output, target: '#position.flat', actions: { type: 'alert', params: () => ({ message: 'flatten complete: the broker shows no position' }) } },
              { target: '#position.reconciling', actions: [{ type: 'alert', params: () => ({ message: 'flatten: the broker still shows a position; reconciling' }) }, 'requestReconcile'] },
            ],
            onError: { target: '#position.reconciling', actions: [{ type: 'alert', params: ({ event }) => ({ message: `flatten: could not read positions: ${String(event.error)}` }) }, 'requestReconcile'] },
          },
        },
      },
    },
  },
});
