import { assign, enqueueActions, setup, type AnyActorLogic } from 'xstate';

/**
 * The root: spawns every child with its systemId and keeps them running. A child that fails is
 * restarted one-for-one (it rebuilds from persisted facts), unless it already failed `maxRestarts`
 * times within `windowMs`: then the supervisor escalates (the service trips the breaker, tries to
 * flatten and alerts) and leaves that child stopped rather than loop on a fault.
 */

/** A child: its logic and, evaluated at every (re)start, its input (rebuilt from persisted facts). */
export interface ChildSpec {
  readonly logic: AnyActorLogic;
  readonly input?: () => unknown;
}

export interface SupervisorInput {
  /** Children by id; each is spawned with `systemId` = id, in this order. */
  readonly children: Readonly<Record<string, ChildSpec>>;
  readonly maxRestarts: number;
  readonly windowMs: number;
  readonly now: () => number;
}

export interface ChildHealth {
  /** Times of recent restarts (within the window). */
  restarts: number[];
  failed: boolean;
  lastError: string | null;
}

export interface SupervisorContext extends SupervisorInput {
  health: Record<string, ChildHealth>;
}

/** Shutdown, plus the `xstate.error.actor.<id>` events XState sends when a child fails. */
export type SupervisorEvent = { type: 'Shutdown'; error?: undefined } | { type: `xstate.error.actor.${string}`; error: unknown };

const ERROR_PREFIX = 'xstate.error.actor.';
const childOf = (type: string) => (type.startsWith(ERROR_PREFIX) ? type.slice(ERROR_PREFIX.length) : null);
// Child ids come from the input, not from setup types: hence the cast.
const spawnOptions = (id: string, spec: ChildSpec) => ({ id: id as never, systemId: id, ...(spec.input ? { input: spec.input() } : {}) });
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const supervisorMachine = setup({
  types: { context: {} as SupervisorContext, events: {} as SupervisorEvent, input: {} as SupervisorInput },
  actions: {
    onRestart: (_, _p: { id: string; error: string; restarts: number }) => {},
    escalate: (_, _p: { id: string; error: string }) => {},
  },
}).createMachine({
  id: 'supervisor',
  context: ({ input }) => ({
    ...input,
    health: Object.fromEntries(Object.keys(input.children).map((id) => [id, { restarts: [], failed: false, lastError: null }])),
  }),
  initial: 'running',
  states: {
    running: {
      entry: enqueueActions(({ context, enqueue }) => {
        for (const [id, spec] of Object.entries(context.children)) enqueue.spawnChild(spec.logic, spawnOptions(id, spec));
      }),
      on: {
        Shutdown: 'stopped',
        '*': {
          guard: ({ context, event }) => {
            const id = childOf(event.type);
            return id !== null && id in context.children;
          },
          actions: enqueueActions(({ context, event, enqueue }) => {
            const id = childOf(event.type)!;
            const now = context.now();
            const error = message(event.error);
            const recent = context.health[id]!.restarts.filter((t) => now - t < context.windowMs);
            if (recent.length >= context.maxRestarts) {
              enqueue(assign({ health: { ...context.health, [id]: { restarts: recent, failed: true, lastError: error } } }));
              enqueue({ type: 'escalate', params: { id, error } });
              return;
            }
            const restarts = [...recent, now];
            enqueue(assign({ health: { ...context.health, [id]: { restarts, failed: false, lastError: error } } }));
            enqueue({ type: 'onRestart', params: { id, error, restarts: restarts.length } });
            enqueue.stopChild(id);
            enqueue.spawnChild(context.children[id]!.logic, spawnOptions(id, context.children[id]!));
          }),
        },
      },
    },
    stopped: { type: 'final' },
  },
});
