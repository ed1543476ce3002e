import { Elysia } from 'elysia';
import { join } from 'node:path';
import * as v from 'valibot';
import type { TransitionRecord } from '../../app/ports.ts';
import type { App } from '../../app/app.ts';
import type { StatechartQueries } from '../../app/statecharts.ts';
import { render } from '../../../views/render.ts';
import { LiveBody } from '../../../views/statecharts/live.tsx';
import { MachinePage, OverviewPage } from '../../../views/statecharts/pages.tsx';
import { ReplayPage } from '../../../views/statecharts/replay.tsx';
import { errorResponse } from '../errors.tsx';
import { html, json } from '../http.ts';
import { ANONYMOUS, type ViewerModel } from '../view-models/viewer.ts';
import { firedEdges } from './active.ts';
import { collapseKey, compoundPaths, defaultCollapsed, parseCollapsed } from './collapse.ts';
import { fullGraph, machineLayout, type MachineLayout } from './layout.ts';
import { MACHINE_IDS, isMachineId, type MachineId } from '../../app/machines.ts';
import { renderSvg } from './svg.ts';
import type { LiveModel, MachineView, NestingToggle, ReplayView, TransitionRow } from './view-model.ts';

/**
 * What the visualizer reads. `recordedTransitions` and `supervisorState` (src/app/statecharts.ts)
 * are optional until the facade has them: without the first, replay falls back to the in-memory
 * buffer; without the second, the supervisor's state shows as not reported.
 */
export type StatechartApp = Pick<App, 'actors' | 'transitions'> & Partial<StatechartQueries>;

export interface StatechartOptions {
  /** Who is looking (for the layout's navigation); anonymous by default. */
  readonly viewer?: (request: Request) => ViewerModel;
  /** How often the pages poll their live fragment (default 1000 ms). */
  readonly pollMs?: number;
}

const PUBLIC = join(import.meta.dir, '../../../views/public');
/** A Map: `__proto__` or `constructor` must miss, never reach the prototype and then the file system. */
const ASSETS = new Map([
  ['statecharts.css', 'text/css; charset=utf-8'],
  ['statecharts.js', 'text/javascript; charset=utf-8'],
]);
const RECENT_ROWS = 30;
/** As many as the transition log keeps per actor. */
const REPLAY_LIMIT = 5000;
const NEARBY = 8;

const Collapsed = v.optional(v.pipe(v.string(), v.maxLength(500, 'collapsed must list at most a few state names')));
const StepQuery = v.object({
  step: v.optional(v.pipe(v.string(), v.regex(/^\d{1,9}$/, 'step must be a whole number ≥ 0, like ?step=3'), v.transform(Number))),
  collapsed: Collapsed,
});
const PageQuery = v.object({ collapsed: Collapsed });
const FragmentQuery = v.object({ view: v.optional(v.picklist(['full', 'summary'], "view must be 'full' or 'summary'")) });

/** `xstate.init` is XState's name for an actor starting; the tables say `start`. (Other events stay raw: replay matches them to edges.) */
export const eventLabel = (event: string): string => (event === 'xstate.init' ? 'start' : event);

const row = (r: TransitionRecord): TransitionRow => ({ time: r.time, marketTime: r.marketTime ?? null, from: r.from, to: r.to, event: eventLabel(r.event) });

/**
 * A layout's picture with `active` highlighted, rendered once per layout and state: a page view
 * would otherwise redraw every machine (~1 ms) per request.
 */
const pictures = new WeakMap<MachineLayout, Map<string | null, string>>();
function pictureOf(layout: MachineLayout, active: string | null): string {
  let byState = pictures.get(layout);
  if (!byState) {
    byState = new Map();
    pictures.set(layout, byState);
  }
  let svg = byState.get(active);
  if (svg === undefined) {
    svg = renderSvg(layout, { active });
    byState.set(active, svg);
  }
  return svg;
}

/** The statechart pages, their live fragment and the JSON graph, as one Elysia instance. */
export function statechartRoutes(app: StatechartApp, opts: StatechartOptions = {}) {
  const viewer = opts.viewer ?? (() => ANONYMOUS);
  const pollMs = opts.pollMs ?? 1000;

  const stateOf = (id: MachineId): string | null =>
    id === 'supervisor' ? (app.supervisorState?.() ?? null) : (app.actors().find((a) => a.id === id)?.state ?? null);
  const live = (id: MachineId, withRows: boolean): LiveModel => ({
    machine: id,
    state: stateOf(id),
    rows: withRows ? app.transitions(id).slice(-RECENT_ROWS).reverse().map(row) : null,
  });
  const view = async (id: MachineId, withRows: boolean, collapsed = defaultCollapsed(id, fullGraph(id))): Promise<MachineView> => {
    const l = live(id, withRows);
    const svg = pictureOf(await machineLayout(id, collapsed), l.state);
    return { machine: id, svg, live: l, fragmentUrl: `/statecharts/${id}/fragment`, pollMs, nesting: nesting(id, collapsed, `/statecharts/${id}`) };
  };
  const unknown = (request: Request, name: string) =>
    errorResponse(request, 404, 'not_found', `no state machine '${name}': the statecharts are ${MACHINE_IDS.join(', ')}`);
  const invalid = (request: Request, issues: readonly { message: string }[]) => errorResponse(request, 422, 'invalid', issues.map((i) => i.message).join('; '));

  return new Elysia({ name: 'statecharts' })
    .get(
      '/statecharts/assets/:file',
      ({ params, request }) => {
        const type = ASSETS.get(params.file);
        if (!type) return errorResponse(request, 404, 'not_found', `no statechart asset '${params.file.slice(0, 80)}'`);
        return new Response(Bun.file(join(PUBLIC, params.file)), { headers: { 'content-type': type, 'cache-control': 'no-cache' } });
      },
      { detail: { hide: true } },
    )
    .get('/statecharts', async ({ request }) => html(render(OverviewPage({ machines: await Promise.all(MACHINE_IDS.map((id) => view(id, false))), viewer: viewer(request) }))), {
      detail: { hide: true },
    })
    .get(
      '/statecharts/:machine',
      async ({ params, query, request }) => {
        if (!isMachineId(params.machine)) return unknown(request, params.machine);
        const q = v.safeParse(PageQuery, query);
        if (!q.success) return invalid(request, q.issues);
        const collapsed = parseCollapsed(params.machine, fullGraph(params.machine), q.output.collapsed);
        if (typeof collapsed === 'string') return invalid(request, [{ message: collapsed }]);
        return html(render(MachinePage({ view: await view(params.machine, true, collapsed), viewer: viewer(request) })));
      },
      { detail: { hide: true } },
    )
    .get(
      '/statecharts/:machine/fragment',
      ({ params, query, request }) => {
        if (!isMachineId(params.machine)) return unknown(request, params.machine);
        const q = v.safeParse(FragmentQuery, query);
        if (!q.success) return invalid(request, q.issues);
        return html(render(LiveBody({ live: live(params.machine, q.output.view !== 'summary') })));
      },
      { detail: { hide: true } },
    )
    .get(
      '/statecharts/:machine/replay',
      async ({ params, query, request }) => {
        if (!isMachineId(params.machine)) return unknown(request, params.machine);
        const q = v.safeParse(StepQuery, query);
        if (!q.success) return invalid(request, q.issues);
        const collapsed = parseCollapsed(params.machine, fullGraph(params.machine), q.output.collapsed);
        if (typeof collapsed === 'string') return invalid(request, [{ message: collapsed }]);
        const recorded = app.recordedTransitions?.(params.machine, REPLAY_LIMIT);
        const steps = (recorded ?? app.transitions(params.machine)).map(row);
        const step = q.output.step ?? steps.length - 1;
        const current = steps[step] ?? null;
        if (q.output.step !== undefined && step >= steps.length) {
          const range = steps.length === 0 ? 'none are recorded yet' : `steps go from 0 to ${steps.length - 1}`;
          return errorResponse(request, 422, 'invalid', `step ${step} is out of range: ${range}`);
        }
        const layout = await machineLayout(params.machine, collapsed);
        const base = replayView(params.machine, layout, steps, step, recorded ? 'recorded' : 'recent');
        const stepQuery = current === null ? '' : `step=${step}`;
        const keep = compoundPaths(fullGraph(params.machine)).length === 0 ? '' : `&collapsed=${encodeURIComponent(collapseKey(collapsed))}`;
        const view = { ...base, keep, nesting: nesting(params.machine, collapsed, `/statecharts/${params.machine}/replay`, stepQuery) };
        return html(render(ReplayPage({ view, viewer: viewer(request) })));
      },
      { detail: { hide: true } },
    )
    .get('/api/statecharts', () => ({ machines: MACHINE_IDS.map((id) => ({ id, state: stateOf(id) })) }), {
      detail: { tags: ['read'], summary: 'Every state machine the visualizer draws, with its current state' },
    })
    .get(
      '/api/statecharts/:machine',
      async ({ params, request }) => (isMachineId(params.machine) ? json(graphJson(await machineLayout(params.machine), stateOf(params.machine))) : unknown(request, params.machine)),
      { detail: { tags: ['read'], summary: "One state machine as a graph: states (nested, with their laid-out boxes), transitions and the current state" } },
    );
}

/** One toggle per compound state: the same page with that state's collapse flipped. */
function nesting(id: MachineId, collapsed: ReadonlySet<string>, path: string, extra = ''): NestingToggle[] {
  return compoundPaths(fullGraph(id)).map((p) => {
    const next = new Set(collapsed);
    if (!next.delete(p)) next.add(p);
    const query = [extra, `collapsed=${encodeURIComponent(collapseKey(next))}`].filter((x) => x !== '').join('&');
    return { path: p, collapsed: collapsed.has(p), href: `${path}?${query}` };
  });
}

function replayView(machine: MachineId, layout: MachineLayout, steps: readonly TransitionRow[], step: number, source: ReplayView['source']): Omit<ReplayView, 'nesting' | 'keep'> {
  const current = steps[step] ?? null;
  const from = Math.max(0, step - NEARBY);
  return {
    machine,
    svg: renderSvg(layout, { active: current?.to ?? null, fired: firedEdges(layout.graph, current) }),
    step: current === null ? null : step,
    count: steps.length,
    row: current,
    nearby: steps.slice(from, step + NEARBY + 1).map((r, i) => ({ index: from + i, row: r })),
    source,
  };
}

function graphJson(layout: MachineLayout, state: string | null) {
  return {
    machine: layout.graph.machine,
    state,
    width: layout.width,
    height: layout.height,
    nodes: layout.nodes.map(({ node, box, parent }) => ({
      path: node.path,
      key: node.key,
      type: node.type,
      parent,
      initial: node.initial,
      internal: node.internal,
      invokes: node.invokes,
      box,
    })),
    edges: layout.edges.map(({ edge }) => edge),
  };
}
