import type { GraphEdge, MachineGraph } from './graph.ts';

/** What moved a machine from one state to another, as the transition log recorded it. */
export interface StepLike {
  readonly from: string;
  readonly to: string;
  readonly event: string;
}

/**
 * The states a state string puts the machine in: 'open.long' → open and open.long (a parallel
 * value is written 'a.x,b.y'). Parents count as active, so nested boxes light up around the leaf.
 */
export function activePaths(state: string | null): Set<string> {
  const paths = new Set<string>();
  if (state === null) return paths;
  for (const leaf of state.split(',')) {
    const parts = leaf.split('.');
    for (let i = 1; i <= parts.length; i++) paths.add(parts.slice(0, i).join('.'));
  }
  return paths;
}

/** The leaves of a state string: the states the machine is "in" at the deepest level. */
export const currentPaths = (state: string | null): Set<string> => new Set(state === null ? [] : state.split(','));

const within = (state: string, ancestor: string) => ancestor === '' || state === ancestor || state.startsWith(`${ancestor}.`);

/**
 * The edges that can have caused a recorded step. A step is a whole macrostep (an event and the
 * eventless transitions after it), so the edge is the one taken by the event: it leaves a state
 * that contains `from` and enters one that contains `to`.
 */
export function firedEdges(graph: MachineGraph, step: StepLike | null): Set<string> {
  if (step === null) return new Set();
  const hit = (e: GraphEdge) => e.event === step.event && within(step.from, e.source) && step.to.split(',').some((to) => within(to, e.target));
  return new Set(graph.edges.filter(hit).map((e) => e.id));
}
