import type { MachineId } from '../../app/machines.ts';
import { allNodes, type GraphEdge, type GraphNode, type MachineGraph } from './graph.ts';

/**
 * Collapsed nesting: a compound state drawn as one box (its children hidden, a count in their
 * place), every transition into or out of a hidden child drawn to or from that box, and those
 * between its own children dropped. Edge ids stay those of the full graph, so the replay's fired
 * edge is found the same way either side of a collapse.
 */

/** Machines dense enough to open with every compound state collapsed. */
const COLLAPSED_BY_DEFAULT: ReadonlySet<MachineId> = new Set(['connection', 'position']);

/** The compound states of a machine (what can be collapsed), parents first. */
export const compoundPaths = (graph: MachineGraph): string[] => allNodes(graph.root).filter((n) => n.path !== '' && n.children.length > 0).map((n) => n.path);

export function defaultCollapsed(id: MachineId, graph: MachineGraph): Set<string> {
  return new Set(COLLAPSED_BY_DEFAULT.has(id) ? compoundPaths(graph) : []);
}

/**
 * `?collapsed=a,b` as a set of this machine's compound states; absent: the machine's default;
 * empty: everything expanded. A name that is not a compound state of the machine is an error.
 */
export function parseCollapsed(id: MachineId, graph: MachineGraph, raw: string | undefined): Set<string> | string {
  if (raw === undefined) return defaultCollapsed(id, graph);
  const known = new Set(compoundPaths(graph));
  const wanted = raw.split(',').filter((p) => p !== '');
  const unknown = wanted.find((p) => !known.has(p));
  if (unknown !== undefined) return `collapsed: '${unknown.slice(0, 80)}' is not a compound state of ${id}; they are ${[...known].join(', ') || 'none'}`;
  return new Set(wanted);
}

/** The key of a collapse (sorted, comma-separated): the query value and the layout cache key. */
export const collapseKey = (collapsed: ReadonlySet<string>): string => [...collapsed].sort().join(',');

export function collapseGraph(graph: MachineGraph, collapsed: ReadonlySet<string>): MachineGraph {
  if (collapsed.size === 0) return graph;
  // A hidden state → the collapsed box drawn for it.
  const shown = new Map<string, string>();
  const prune = (n: GraphNode): GraphNode => {
    if (collapsed.has(n.path) && n.children.length > 0) {
      for (const c of allNodes(n).slice(1)) shown.set(c.path, n.path);
      return { ...n, children: [], initial: null, hidden: allNodes(n).length - 1 };
    }
    return { ...n, children: n.children.map(prune) };
  };
  const root = prune(graph.root);
  const edges: GraphEdge[] = [];
  for (const e of graph.edges) {
    const source = shown.get(e.source) ?? e.source;
    const target = shown.get(e.target) ?? e.target;
    // Between the children of one collapsed state: inside the box, not drawn.
    if (source === target && (source !== e.source || target !== e.target)) continue;
    edges.push({ ...e, source, target });
  }
  return { machine: graph.machine, root, edges };
}
