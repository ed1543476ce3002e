import { assign, fromPromise, setup } from 'xstate';
import type { OrderUpdate } from '../broker/port.ts';
import type { ExitReason, Side } from '../domain/trading.ts';
import type { AppliedFill } from './order-desk.ts';

/**
 * One position's lifecycle: flat → entering → long | short → exiting → flat, plus reconciling
 * (boot and after a surprise: wait for the broker's truth) and flattening (operator emergency).
 * The numbers live in the trading core: a fill reaches this machine already journalled and applied
 * to the engine, with its effect, so the machine only tracks which orders are working and never
 * keeps a position the engine does not. The stop is attached to the entry at the venue and is only
 * ever ended by the venue (OCA) when the order that closes the position fills.
 */

export type PositionCommand =
  | { type: 'Enter'; side: Side; qty: number; ref: string; reference: number }
  | { type: 'Exit'; reason: ExitReason; ref: string }
  | { type: 'Flatten'; ref: string }
  | { type: 'Reconciled'; position: OpenRefs | null }
  /** The broker reported an order filled whose execution never came (IB 9208): only a reconcile can tell. */
  | { type: 'FillMissing'; ref: string; message: string };

export type PositionEvent =
  | PositionCommand
  | ({ type: 'OrderFilled' } & AppliedFill)
  | { type: 'OrderUpdated'; update: OrderUpdate }
  | { type: 'OrderRefused'; ref: string; message: string };

/** What a restart or a reconcile knows of an open position. */
export interface OpenRefs {
  readonly side: Side;
  readonly qty: number;
  /** The entry's ref: also the OCA group of everything that closes the position. */
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
  /** The stop or the target has part-filled: the bracket is already closing the position. */
  bracketFilling: boolean;
  ackTimeoutMs: number;
}

export interface PositionInput {
  readonly ackTimeoutMs: number;
}

type Refs = Omit<PositionContext, 'ackTimeoutMs'>;
const EMPTY: Refs = { side: null, qty: 0, entryRef: null, stopRef: null, targetRef: null, exitRef: null, exitReason: null, bracketFilling: false };

type Filled = Extract<PositionEvent, { type: 'OrderFilled' }>;
const ended = (u: OrderUpdate) => u.status === 'rejected' || u.status === 'cancelled';
/** The position is gone: the fill closed all of it. */
const closedAll = ({ event }: { event: Filled }) => event.effect.kind === 'closed' && event.effect.rest === null;
const closedPart = ({ event }: { event: Filled }) => event.effect.kind === 'closed' && event.effect.rest !== null;
const restQty = (e: Filled) => (e.effect.kind === 'closed' ? (e.effect.rest?.qty ?? 0) : 0);

export const positionMachine = setup({
  types: { context: {} as PositionContext, events: {} as PositionEvent, input: {} as PositionInput },
  actions: {
    // Side effects, provided by the service (order desk + trading core); no-ops here so tests can observe them.
    placeEntry: (_, _p: { ref: string; side: Side; qty: number; reference: number }) => {},
    /** Entry filled: move the stop and target to the levels measured from the fill. */
    openedPosition: (_, _p: { fill: AppliedFill['fill']; stopRef: string; targetRef: string }) => {},
    placeExit: (_, _p: { ref: string; side: Side; qty: number; reason: ExitReason; ocaGroup: string | null }) => {},
    cancelOrders: (_, _p: { refs: ReadonlyArray<string | null> }) => {},
    closedPosition: (_, _p: AppliedFill) => {},
    alert: (_, _p: { message: string }) => {},
    requestReconcile: () => {},
  },
  actors: {
    /** The flatten procedure (cancel entries, close at market from the broker's position, confirm flat). */
    flatten: fromPromise<string, { ref: string }>(async () => 'flat'),
  },
  guards: {
    closedAll: ({ event }) => event.type === 'OrderFilled' && closedAll({ event }),
    closedPart: ({ event }) => event.type === 'OrderFilled' && closedPart({ event }),
    unmatched: ({ event }) => event.type === 'OrderFilled' && event.effect.kind === 'unmatched',
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
    // The broker's truth after a (re)connect or a reconciliation, whatever this actor thought.
    Reconciled: [
      { guard: ({ event }) => event.position === null, target: '.flat' },
      { guard: ({ event }) => !!event.position?.exitRef, target: '.exiting', actions: assign(({ event }) => ({ ...EMPTY, ...event.position! })) },
      { target: '.open', actions: assign(({ event }) => ({ ...EMPTY, ...event.position! })) },
    ],
    // A fill the engine could not explain (an order placed outside the bot): the broker decides.
    OrderFilled: {
      guard: 'unmatched',
      actions: [{ type: 'alert', params: ({ event }) => ({ message: `unexpected fill of ${event.fill.orderRef}: ${event.effect.kind === 'unmatched' ? event.effect.why : ''}; reconciling` }) }, 'requestReconcile'],
    },
  },
  states: {
    reconciling: {},
    flat: {
      entry: assign(() => ({ ...EMPTY })),
      on: {
        // An entry this actor had given up on (timed out, reconciled away) filled after all: the engine holds it, so do we.
        OrderFilled: {
          guard: ({ event }) => event.effect.kind === 'opened',
          target: 'open',
          actions: [
            assign(({ event }) => {
              const p = event.effect.kind === 'opened' ? event.effect.position : null;
              return { side: p?.side ?? null, qty: p?.qty ?? 0, entryRef: event.fill.orderRef, stopRef: `${event.fill.orderRef}-S`, targetRef: `${event.fill.orderRef}-T` };
            }),
            { type: 'alert', params: ({ event }) => ({ message: `entry ${event.fill.orderRef} filled after it was given up on; the position is tracked with its bracket` }) },
          ],
        },
        Enter: {
          target: 'entering',
          // The order first: events it causes (a refusal, the venue's ack) queue behind this transition, which records its refs.
          actions: [
            { type: 'placeEntry', params: ({ event }) => ({ ref: event.ref, side: event.side, qty: event.qty, reference: event.reference }) },
            assign(({ event }) => ({ side: event.side, qty: event.qty, entryRef: event.ref, stopRef: `${event.ref}-S`, targetRef: `${event.ref}-T` })),
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
          guard: ({ context, event }) => event.fill.orderRef === context.entryRef && event.effect.kind === 'opened',
          target: 'open',
          actions: [
            assign(({ event }) => ({ qty: event.effect.kind === 'opened' ? event.effect.position.qty : 0 })),
            { type: 'openedPosition', params: ({ context, event }) => ({ fill: event.fill, stopRef: context.stopRef!, targetRef: context.targetRef! }) },
          ],
        },
        OrderUpdated: {
          guard: ({ context, event }) => event.update.ref === context.entryRef && ended(event.update),
          target: 'flat',
          actions: { type: 'alert', params: ({ event }) => ({ message: `entry ${event.update.status}: ${event.update.message ?? ''}` }) },
        },
        OrderRefused: { guard: ({ context, event }) => event.ref === context.entryRef, target: 'flat', actions: { type: 'alert', params: ({ event }) => ({ message: `entry refused: ${event.message}` }) } },
        FillMissing: {
          guard: ({ context, event }) => event.ref === context.entryRef,
          target: 'reconciling',
          actions: [{ type: 'alert', params: ({ event }) => ({ message: `${event.message}; reconciling (the stop is attached at the broker)` }) }, 'requestReconcile'],
        },
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
        // A part-filled stop or target will close the rest, and its fill arrives once it is
        // complete. An exit now would race it; the engine decides again on the next bar.
        OrderUpdated: {
          guard: ({ context, event }) => event.update.status === 'partially_filled' && (event.update.ref === context.stopRef || event.update.ref === context.targetRef),
          actions: assign({ bracketFilling: true }),
        },
        Exit: {
          guard: ({ context }) => !context.bracketFilling,
          target: 'exiting',
          actions: [
            { type: 'placeExit', params: ({ context, event }) => ({ ref: event.ref, side: context.side!, qty: context.qty, reason: event.reason, ocaGroup: context.entryRef }) },
            assign(({ event }) => ({ exitRef: event.ref, exitReason: event.reason })),
          ],
        },
        OrderFilled: [
          { guard: 'closedAll', target: 'flat', actions: { type: 'closedPosition', params: ({ event }) => event } },
          {
            guard: 'closedPart',
            actions: [
              { type: 'closedPosition', params: ({ event }) => event },
              assign(({ event }) => ({ qty: restQty(event), bracketFilling: false })),
              { type: 'alert', params: ({ event }) => ({ message: `part of the position closed by ${event.fill.orderRef}; ${restQty(event)} contract(s) remain open` }) },
            ],
          },
        ],
      },
    },
    exiting: {
      on: {
        OrderFilled: [
          { guard: 'closedAll', target: 'flat', actions: { type: 'closedPosition', params: ({ event }) => event } },
          { guard: 'closedPart', actions: [{ type: 'closedPosition', params: ({ event }) => event }, assign(({ event }) => ({ qty: restQty(event) }))] },
        ],
        // The exit ended unfilled (rejected, or cancelled from outside): the stop is still working.
        OrderUpdated: {
          guard: ({ context, event }) => event.update.ref === context.exitRef && ended(event.update),
          target: 'open',
          actions: [{ type: 'alert', params: ({ context }) => ({ message: `exit ${context.exitRef} did not fill; the position keeps its stop` }) }, assign({ exitRef: null, exitReason: null }), 'requestReconcile'],
        },
        OrderRefused: {
          guard: ({ context, event }) => event.ref === context.exitRef,
          target: 'open',
          actions: [assign({ exitRef: null, exitReason: null }), { type: 'alert', params: ({ event }) => ({ message: `exit refused: ${event.message}; the position keeps its stop` }) }],
        },
      },
    },
    flattening: {
      on: {
        // Already flattening: a second close would sell twice.
        Flatten: {},
        // The flatten confirms with the broker itself; a reconcile result must not abandon it.
        Reconciled: {},
        OrderFilled: { actions: { type: 'closedPosition', params: ({ event }) => event } },
      },
      invoke: {
        src: 'flatten',
        input: ({ context }) => ({ ref: context.exitRef! }),
        onDone: { target: 'reconciling', actions: [{ type: 'alert', params: ({ event }) => ({ message: `flatten: ${event.output}` }) }, 'requestReconcile'] },
        onError: { target: 'reconciling', actions: [{ type: 'alert', params: ({ event }) => ({ message: `flatten failed: ${String(event.error)}` }) }, 'requestReconcile'] },
      },
    },
  },
});
