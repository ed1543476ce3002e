import ELKApi, { type ELK, type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk-api.js';
import { machineGraph, type GraphEdge, type GraphNode, type MachineGraph } from './graph.ts';
import { MACHINES, type MachineId } from '../../app/machines.ts';
import { collapseGraph, collapseKey } from './collapse.ts';

/**
 * Lays a machine graph out with ELK's layered algorithm, compound states as nested boxes
 * (hierarchy handled across levels so an edge may leave a nested state). ELK needs every box's
 * size up front: text is drawn in a monospace font (statecharts.css), so widths follow from the
 * character count. Coordinates come back absolute.
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}
export interface Box extends Point {
  readonly width: number;
  readonly height: number;
}
export interface LaidNode {
  readonly node: GraphNode;
  readonly box: Box;
  readonly parent: string | null;
}
export interface LaidEdge {
  readonly edge: GraphEdge;
  readonly points: readonly Point[];
  readonly labelBox: Box | null;
}
/** The black dot and arrow into a compound state's initial child. */
export interface LaidInitial {
  readonly parent: string;
  readonly target: string;
  readonly dot: Box;
  readonly points: readonly Point[];
}
export interface MachineLayout {
  readonly graph: MachineGraph;
  readonly width: number;
  readonly height: number;
  /** Parents before children. */
  readonly nodes: readonly LaidNode[];
  readonly edges: readonly LaidEdge[];
  readonly initials: readonly LaidInitial[];
}

// Keep in step with the font sizes in statecharts.css (monospace: about 0.6 em per character).
export const NAME_CHAR = 8;
export const TEXT_CHAR = 6.8;
export const LINE = 15;
const NAME_H = 28;
const PAD = 14;
const DOT = 10;
const LAYOUT_TIMEOUT_MS = 30_000;
const WORKER = Bun.resolveSync('elkjs/lib/elk-worker.min.js', import.meta.dir);

const nodeId = (path: string) => `n:${path}`;
const initId = (path: string) => `i:${path}`;
const textWidth = (lines: readonly string[]) => Math.max(0, ...lines.map((l) => l.length * TEXT_CHAR));
export const infoLines = (n: GraphNode) => [...(n.hidden ? [`▸ ${n.hidden} nested state${n.hidden === 1 ? '' : 's'}`] : []), ...n.invokes.map((s) => `invoke ${s}`), ...n.internal];

const LAYERED = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': '36',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.edgeEdge': '14',
  'elk.layered.spacing.nodeNodeBetweenLayers': '44',
  'elk.layered.spacing.edgeNodeBetweenLayers': '18',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.edgeLabels.placement': 'CENTER',
};

function elkNode(n: GraphNode, rootName: string): ElkNode {
  const name = n.path === '' ? rootName : n.key;
  const lines = infoLines(n);
  const width = Math.ceil(Math.max(70, name.length * NAME_CHAR + (n.type === 'final' ? 8 : 0), textWidth(lines)) + 2 * PAD);
  const height = NAME_H + lines.length * LINE + (lines.length > 0 ? 6 : 0);
  if (n.children.length === 0) return { id: nodeId(n.path), width, height };
  const children = n.children.map((c) => elkNode(c, rootName));
  if (n.initial !== null) children.unshift({ id: initId(n.path), width: DOT, height: DOT });
  return {
    id: nodeId(n.path),
    children,
    layoutOptions: {
      'elk.padding': `[top=${height + 4},left=${PAD},bottom=${PAD},right=${PAD}]`,
      // The header (name, internal transitions) is drawn by us, not by ELK: reserve its width.
      'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      'elk.nodeSize.minimum': `(${width}, ${height + 20})`,
    },
  };
}

function elkEdges(graph: MachineGraph, nodes: readonly GraphNode[]): ElkExtendedEdge[] {
  const edges: ElkExtendedEdge[] = graph.edges.map((e) => ({
    id: e.id,
    sources: [nodeId(e.source)],
    targets: [nodeId(e.target)],
    labels: [{ id: `${e.id}:label`, text: e.label, width: Math.ceil(e.label.length * TEXT_CHAR + 8), height: 16 }],
  }));
  for (const n of nodes) if (n.initial !== null) edges.push({ id: `init:${n.path}`, sources: [initId(n.path)], targets: [nodeId(n.initial)] });
  return edges;
}

let elk: ELK | null = null;
/**
 * ELK runs in a Worker: laying out a big machine takes a few hundred ms of CPU, which on the main
 * thread would stall the actors trading in the same process. The worker is unref'd so it never
 * keeps the process alive, and replaced if a layout does not come back.
 */
function engine(): ELK {
  elk ??= new ELKApi({
    workerUrl: WORKER,
    workerFactory: (url) => {
      const w = new Worker(url ?? WORKER);
      w.unref();
      return w as never;
    },
  });
  return elk;
}

async function runLayout(graph: ElkNode): Promise<ElkNode> {
  const e = engine();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`statechart layout took longer than ${LAYOUT_TIMEOUT_MS} ms`)), LAYOUT_TIMEOUT_MS);
  });
  try {
    return await Promise.race([e.layout(graph), timeout]);
  } catch (error) {
    // A worker that failed or hangs is not trusted with the next layout.
    if (elk === e) {
      elk = null;
      e.terminateWorker();
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

export async function layoutGraph(graph: MachineGraph): Promise<MachineLayout> {
  const flat: GraphNode[] = [];
  const collect = (n: GraphNode) => (flat.push(n), n.children.forEach(collect));
  collect(graph.root);
  const input: ElkNode = { id: 'graph', layoutOptions: LAYERED, children: [elkNode(graph.root, graph.machine)], edges: elkEdges(graph, flat) };
  const out = await runLayout(input);

  const abs = new Map<string, Box>([['graph', { x: 0, y: 0, width: out.width ?? 0, height: out.height ?? 0 }]]);
  const parents = new Map<string, string>();
  const place = (n: ElkNode, origin: Point) => {
    const box = { x: origin.x + (n.x ?? 0), y: origin.y + (n.y ?? 0), width: n.width ?? 0, height: n.height ?? 0 };
    abs.set(n.id, box);
    for (const c of n.children ?? []) (parents.set(c.id, n.id), place(c, box));
  };
  for (const c of out.children ?? []) place(c, { x: 0, y: 0 });

  const boxOf = (id: string): Box => abs.get(id) ?? { x: 0, y: 0, width: 0, height: 0 };
  const routed = new Map<string, { points: Point[]; labelBox: Box | null }>();
  for (const e of (out.edges ?? []) as ElkExtendedEdge[]) {
    const o = boxOf(e.container ?? 'graph');
    const shift = (p: Point): Point => ({ x: o.x + p.x, y: o.y + p.y });
    const points = (e.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map(shift));
    const l = e.labels?.[0];
    routed.set(e.id, { points, labelBox: l ? { ...shift({ x: l.x ?? 0, y: l.y ?? 0 }), width: l.width ?? 0, height: l.height ?? 0 } : null });
  }
  const parentPath = (id: string) => {
    const p = parents.get(id);
    return p === undefined ? null : p.slice(2);
  };
  return {
    graph,
    width: Math.ceil(out.width ?? 0),
    height: Math.ceil(out.height ?? 0),
    nodes: flat.map((node) => ({ node, box: boxOf(nodeId(node.path)), parent: parentPath(nodeId(node.path)) })),
    edges: graph.edges.map((edge) => ({ edge, points: routed.get(edge.id)?.points ?? [], labelBox: routed.get(edge.id)?.labelBox ?? null })),
    initials: flat
      .filter((n) => n.initial !== null)
      .map((n) => ({ parent: n.path, target: n.initial!, dot: boxOf(initId(n.path)), points: routed.get(`init:${n.path}`)?.points ?? [] })),
  };
}

// Definitions do not change while the service runs: each machine and collapse is laid out once.
// The collapses a machine has are few (2^compound states, at most 4 today); the bound keeps it so.
const CACHE_LIMIT = 64;
const cache = new Map<string, Promise<MachineLayout>>();

const graphs = new Map<MachineId, MachineGraph>();

/** The whole machine graph (no collapse), for names and the JSON; built once per machine (read it, never change it). */
export function fullGraph(id: MachineId): MachineGraph {
  let graph = graphs.get(id);
  if (!graph) {
    graph = machineGraph(MACHINES[id]);
    graphs.set(id, graph);
  }
  return graph;
}

export function machineLayout(id: MachineId, collapsed: ReadonlySet<string> = new Set()): Promise<MachineLayout> {
  const key = `${id}:${collapseKey(collapsed)}`;
  let layout = cache.get(key);
  if (!layout) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    layout = layoutGraph(collapseGraph(fullGraph(id), collapsed));
    // A failed layout is not kept: the next request tries again.
    layout.catch(() => cache.delete(key));
    cache.set(key, layout);
  }
  return layout;
}
