import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

/**
 * A machine definition as a plain graph: the state tree and the transitions between states,
 * read from XState's StateNode tree (`machine.root`), so the picture can never drift from the code.
 * Paths are dotted, as the transition log writes state values ('open.long'); the root is ''.
 */

export type EdgeKind = 'event' | 'always' | 'after' | 'done' | 'error';

export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** The raw XState event type, as the transition log records it (e.g. `xstate.after.ackTimeout.position.entering.awaitingAck`). */
  readonly event: string;
  readonly kind: EdgeKind;
  readonly guard: string | null;
  /** What the diagram shows: `Tick [cooldownOver]`, `after ackTimeout`, `onDone cancelAll`. */
  readonly label: string;
}

export interface GraphNode {
  readonly path: string;
  readonly key: string;
  readonly type: AnyStateNode['type'];
  /** Path of the child entered first (compound states). */
  readonly initial: string | null;
  readonly children: readonly GraphNode[];
  /**
   * Transitions that do not leave the state (no target, or re-entering itself): listed inside
   * the box; as self-loops they would only clutter the picture.
   */
  readonly internal: readonly string[];
  /** Actors invoked while in this state. */
  readonly invokes: readonly string[];
  /** Collapsed (collapse.ts): how many nested states are hidden inside. */
  readonly hidden?: number;
}

export interface MachineGraph {
  readonly machine: string;
  readonly root: GraphNode;
  readonly edges: readonly GraphEdge[];
}

const AFTER = 'xstate.after.';
const DONE = 'xstate.done.actor.';
const ERROR = 'xstate.error.actor.';

export const pathOf = (node: AnyStateNode): string => node.path.join('.');

export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const edges: GraphEdge[] = [];
  const root = walk(machine.root as AnyStateNode, edges);
  return { machine: machine.id, root, edges };
}

function walk(node: AnyStateNode, edges: GraphEdge[]): GraphNode {
  const internal: string[] = [];
  const path = pathOf(node);
  const add = (t: AnyTransitionDefinition, event: string) => {
    const { kind, label } = describe(node, t, event);
    const targets = t.target ?? [];
    if (targets.length === 0) internal.push(label);
    for (const target of targets) {
      const to = pathOf(target);
      if (to === path) internal.push(`↻ ${label}`);
      else edges.push({ id: `e${edges.length}`, source: path, target: to, event, kind, guard: guardName(t.guard), label });
    }
  };
  for (const [event, ts] of node.transitions) for (const t of ts) add(t, event);
  for (const t of node.always ?? []) add(t, '');
  const children = Object.values(node.states as Record<string, AnyStateNode>).map((c) => walk(c, edges));
  const initialTarget = node.type === 'compound' ? node.initial?.target?.[0] : undefined;
  return {
    path,
    key: node.key,
    type: node.type,
    initial: initialTarget ? pathOf(initialTarget) : null,
    children,
    internal,
    invokes: node.invoke.map((i) => (typeof i.src === 'string' ? i.src : i.id)),
  };
}

function describe(node: AnyStateNode, t: AnyTransitionDefinition, event: string): { kind: EdgeKind; label: string } {
  const guard = guardName(t.guard);
  const suffix = guard === null ? '' : ` [${guard}]`;
  if (event === '') return { kind: 'always', label: `always${suffix}` };
  if (event.startsWith(AFTER)) {
    const delay = (t as AnyTransitionDefinition & { delay?: unknown }).delay;
    return { kind: 'after', label: `after ${formatDelay(delay)}${suffix}` };
  }
  for (const [prefix, kind] of [[DONE, 'done'], [ERROR, 'error']] as const) {
    if (!event.startsWith(prefix)) continue;
    const id = event.slice(prefix.length);
    const inv = node.invoke.find((i) => i.id === id);
    const src = inv === undefined ? id : typeof inv.src === 'string' ? inv.src : inv.id;
    return { kind, label: `${kind === 'done' ? 'onDone' : 'onError'} ${src}${suffix}` };
  }
  return { kind: 'event', label: `${event}${suffix}` };
}

/**
 * A named guard shows its name; an inline arrow function is named after the `guard` property it
 * was written in, which says nothing, so it shows only that the transition is `guarded`.
 * Combinators (`and`, `or`, `not`) show their parts.
 */
export function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  const g = guard as { type?: unknown; name?: unknown; guards?: unknown };
  // and() / or() / not() return a function named after themselves, carrying their parts.
  if (typeof guard === 'function' && g.guards !== undefined) {
    const parts: unknown[] = Array.isArray(g.guards) ? g.guards : [g.guards];
    return `${String(g.name)}(${parts.map((x) => guardName(x) ?? '?').join(', ')})`;
  }
  if (typeof guard === 'object' && typeof g.type === 'string') return g.type;
  if (typeof guard === 'function' && typeof g.name === 'string' && g.name !== '' && g.name !== 'guard') return g.name;
  return 'guarded';
}

function formatDelay(delay: unknown): string {
  if (typeof delay === 'string') return delay;
  if (typeof delay !== 'number') return 'delay';
  if (delay % 60_000 === 0 && delay > 0) return `${delay / 60_000}min`;
  if (delay % 1000 === 0 && delay > 0) return `${delay / 1000}s`;
  return `${delay}ms`;
}

/** Every node of the tree, parents before children. */
export function allNodes(root: GraphNode): GraphNode[] {
  return [root, ...root.children.flatMap(allNodes)];
}
