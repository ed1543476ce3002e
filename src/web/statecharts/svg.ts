import { escapeHtml } from '@kitajs/html';
import { activePaths, currentPaths } from './active.ts';
import { infoLines, LINE, NAME_CHAR, type Box, type LaidEdge, type LaidNode, type MachineLayout, type Point } from './layout.ts';

/**
 * Renders a laid-out machine as one SVG string. Every state is a `<g data-state="open.long">`, so
 * the live script can move the highlight by toggling classes without fetching the picture again.
 * No inline styles (the dashboard's CSP forbids them): the look lives in statecharts.css.
 * Every text comes from machine definitions, but is escaped all the same.
 */

export interface SvgOptions {
  /** The machine's current state string ('open.long'); null when unknown. */
  readonly active?: string | null;
  /** Edge ids to emphasise (the transition being replayed). */
  readonly fired?: ReadonlySet<string>;
}

const MARGIN = 6;
const r = (v: number) => String(Math.round(v * 10) / 10);
const esc = (s: string) => escapeHtml(s);
const path = (points: readonly Point[]) => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(p.x)} ${r(p.y)}`).join(' ');
const rect = (b: Box, cls: string, rx = 8) => `<rect class="${cls}" x="${r(b.x)}" y="${r(b.y)}" width="${r(b.width)}" height="${r(b.height)}" rx="${rx}"/>`;

export function renderSvg(layout: MachineLayout, opts: SvgOptions = {}): string {
  const machine = layout.graph.machine;
  const active = activePaths(opts.active ?? null);
  const current = currentPaths(opts.active ?? null);
  const arrow = `sc-arrow-${machine}`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="sc-svg" data-machine="${esc(machine)}" data-active="${esc(opts.active ?? '')}"` +
      ` viewBox="${-MARGIN} ${-MARGIN} ${layout.width + 2 * MARGIN} ${layout.height + 2 * MARGIN}" width="${layout.width + 2 * MARGIN}" height="${layout.height + 2 * MARGIN}" role="img" aria-label="${esc(`${machine} statechart`)}">`,
    `<defs><marker id="${esc(arrow)}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path class="sc-arrowhead" d="M0 0 L10 5 L0 10 z"/></marker></defs>`,
  ];
  for (const n of layout.nodes) parts.push(stateNode(n, machine, active, current));
  for (const i of layout.initials) {
    const c = { x: i.dot.x + i.dot.width / 2, y: i.dot.y + i.dot.height / 2 };
    parts.push(`<g class="sc-initial" data-initial-of="${esc(i.parent)}"><circle cx="${r(c.x)}" cy="${r(c.y)}" r="${r(i.dot.width / 2)}"/><path d="${path(i.points)}" marker-end="url(#${esc(arrow)})"/></g>`);
  }
  for (const e of layout.edges) parts.push(edge(e, arrow, opts.fired?.has(e.edge.id) ?? false));
  parts.push('</svg>');
  return parts.join('\n');
}

function stateNode({ node, box }: LaidNode, machine: string, active: Set<string>, current: Set<string>): string {
  const isRoot = node.path === '';
  const compound = node.children.length > 0;
  const classes = ['sc-state', isRoot ? 'sc-root' : compound ? 'sc-compound' : 'sc-atomic'];
  if (node.type === 'final') classes.push('sc-final');
  if (!isRoot && active.has(node.path)) classes.push('sc-active');
  // A collapsed box stands for the states inside it: it is current when one of them is.
  const collapsed = node.hidden !== undefined;
  if (collapsed) classes.push('sc-collapsed');
  if (!isRoot && (current.has(node.path) || (collapsed && [...current].some((c) => c.startsWith(`${node.path}.`))))) classes.push('sc-current');
  const name = isRoot ? machine : node.key;
  const out = [`<g class="${classes.join(' ')}" data-state="${esc(node.path)}">`, `<title>${esc(isRoot ? `${machine} (machine)` : node.path)}</title>`, rect(box, 'sc-box', isRoot ? 12 : 8)];
  if (node.type === 'final') out.push(rect({ x: box.x + 3, y: box.y + 3, width: box.width - 6, height: box.height - 6 }, 'sc-final-inner', 6));
  // Atomic names are centred in their box; compound names head the box, above their children.
  const nameX = compound ? box.x + 14 : box.x + box.width / 2 - (name.length * NAME_CHAR) / 2;
  out.push(`<text class="sc-name" x="${r(nameX)}" y="${r(box.y + 19)}">${esc(name)}</text>`);
  const lines = infoLines(node);
  lines.forEach((line, i) => out.push(`<text class="sc-line" x="${r(box.x + 14)}" y="${r(box.y + 28 + 12 + i * LINE)}">${esc(line)}</text>`));
  out.push('</g>');
  return out.join('');
}

function edge({ edge: e, points, labelBox }: LaidEdge, arrow: string, fired: boolean): string {
  const cls = `sc-edge sc-edge-${e.kind}${fired ? ' sc-fired' : ''}`;
  const attrs = `data-edge="${esc(e.id)}" data-source="${esc(e.source)}" data-target="${esc(e.target)}" data-event="${esc(e.event)}"`;
  const label = labelBox
    ? `${rect(labelBox, 'sc-label-bg', 3)}<text class="sc-label" x="${r(labelBox.x + 4)}" y="${r(labelBox.y + 12)}">${esc(e.label)}</text>`
    : '';
  return `<g class="${cls}" ${attrs}><title>${esc(`${e.source || '(machine)'} → ${e.target}: ${e.event}`)}</title><path d="${path(points)}" marker-end="url(#${esc(arrow)})"/>${label}</g>`;
}
