import { stateString, type TransitionRecord } from '../actors/transition-log.ts';
import type { QueryDeps } from './queries.ts';

/**
 * What the statechart visualizer needs beyond the facade's in-memory `transitions()`: the
 * transitions recorded in SQLite (they outlive the 500-entry buffer and restarts, so a replay of
 * last night's breaker trip still works) and the root supervisor's state (`actors()` lists only
 * its children).
 */
export function statechartQueries(d: Pick<QueryDeps, 'system' | 'repos'>) {
  return {
    /** The newest `limit` recorded transitions of one actor, oldest first. */
    recordedTransitions: (actor: string, limit: number): TransitionRecord[] =>
      d.repos.transitions
        .recent({ actor, limit })
        .reverse()
        .map((t) => ({ time: t.time, marketTime: t.marketTime, actor: t.actor, from: t.fromState ?? '(start)', to: t.toState, event: t.eventType })),
    supervisorState: (): string => stateString(d.system.root.getSnapshot().value),
  };
}

export type StatechartQueries = ReturnType<typeof statechartQueries>;
