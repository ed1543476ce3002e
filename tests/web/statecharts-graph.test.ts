import { describe, expect, test } from 'bun:test';
import { and, not, setup } from 'xstate';
import { circuitBreakerMachine } from '../../src/actors/circuit-breaker.machine.ts';
import { positionMachine } from '../../src/actors/position.machine.ts';
import { firedEdges } from '../../src/web/statecharts/active.ts';
import { allNodes, guardName, machineGraph, type MachineGraph } from '../../src/web/statecharts/graph.ts';
import { machineLayout, type Box } from '../../src/web/statecharts/layout.ts';
import { MACHINE_IDS } from '../../src/app/machines.ts';
import { renderSvg } from '../../src/web/statecharts/svg.ts';

const edge = (g: MachineGraph, source: string, target: string, label: string) => g.edges.find((e) => e.source === source && e.target === target && e.label === label);
const paths = (g: MachineGraph) => allNodes(g.root).map((n) => n.path);

describe('machine → graph, from the real definitions', () => {
  test('the circuit breaker has its four states and every transition labelled with event and guard', () => {
    const g = machineGraph(circuitBreakerMachine);

    expect(paths(g)).toEqual(['', 'boot', 'closed', 'cooldown', 'halted']);
    expect(g.root.initial).toBe('boot');
    // A halt from any state: declared on the machine itself, it leaves the outer box.
    expect(edge(g, '', 'halted', 'Halted')).toBeDefined();
    expect(edge(g, 'closed', 'cooldown', 'CooldownStarted')).toBeDefined();
    expect(edge(g, 'cooldown', 'closed', 'CooldownEnded')).toBeDefined();
    expect(edge(g, 'halted', 'cooldown', 'HaltCleared [cooling]')).toBeDefined();
    expect(edge(g, 'halted', 'closed', 'HaltCleared')).toBeDefined();
    expect(g.edges.filter((e) => e.source === 'boot').map((e) => [e.kind, e.target])).toEqual([['always', 'halted'], ['always', 'cooldown'], ['always', 'closed']]);
  });

  test('transitions that stay in their state are listed inside it, not drawn as edges', () => {
    const g = machineGraph(circuitBreakerMachine);
    const halted = g.root.children.find((n) => n.path === 'halted')!;

    expect(halted.internal).toEqual(['CooldownEnded']);
    expect(g.root.internal).toEqual(['CooldownStarted', 'Reset']);
    expect(g.edges.some((e) => e.source === e.target)).toBe(false);
  });

  test('the position machine nests its states and shows the ack time-out and the invoked actors', () => {
    const g = machineGraph(positionMachine);

    for (const p of ['entering.awaitingAck', 'entering.working', 'open.long', 'open.short', 'exiting', 'flattening']) {
      expect(paths(g)).toContain(p);
    }
    const entering = g.root.children.find((n) => n.path === 'entering')!;
    expect(entering.initial).toBe('entering.awaitingAck');
    const after = g.edges.find((e) => e.kind === 'after');
    expect(after).toMatchObject({ source: 'entering.awaitingAck', target: 'reconciling', label: 'after ackTimeout' });
    expect(after!.event).toStartWith('xstate.after.ackTimeout.');
    expect(edge(g, 'flattening', 'reconciling', 'onDone flatten')?.kind).toBe('done');
    expect(edge(g, 'flattening', 'reconciling', 'onError flatten')?.kind).toBe('error');
    expect(edge(g, 'open', 'flat', 'OrderFilled [closedAll]')).toBeDefined();
    expect(edge(g, 'exiting', 'open', 'OrderRefused [inline]')).toBeDefined();
    // A transition declared on the machine itself leaves the outer box.
    expect(edge(g, '', 'flattening', 'Flatten')).toBeDefined();
    expect(allNodes(g.root).find((n) => n.path === 'flattening')!.invokes).toEqual(['flatten']);
  });

  test('guards are named by their type; inline ones say so; combinators show their parts', () => {
    const m = setup({ guards: { a: () => true, b: () => true } }).createMachine({
      initial: 'x',
      states: { x: { on: { Go: [{ guard: and(['a', not('b')]), target: 'y' }, { guard: 'a', target: 'y' }, { guard: () => false, target: 'y' }] } }, y: {} },
    });
    expect(machineGraph(m).edges.map((e) => e.label)).toEqual(['Go [and(a, not(b))]', 'Go [a]', 'Go [inline]']);
    expect(guardName(undefined)).toBeNull();
    expect(guardName({ type: 'cooldownOver', params: {} })).toBe('cooldownOver');
  });

  test('a recorded step points at the edge its event took, even when it left through a parent state', () => {
    const g = machineGraph(positionMachine);
    const fired = [...firedEdges(g, { from: 'entering.working', to: 'open.short', event: 'OrderFilled' })].map((id) => g.edges.find((e) => e.id === id)!);

    expect(fired.map((e) => [e.source, e.target])).toEqual([['entering', 'open']]);
    expect(firedEdges(g, { from: 'flat', to: 'open.long', event: 'Nothing' }).size).toBe(0);
  });
});

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;

describe('layout', () => {
  for (const id of MACHINE_IDS) {
    test(`${id}: sibling boxes never overlap and children stay inside their parent`, async () => {
      const layout = await machineLayout(id);
      const byPath = new Map(layout.nodes.map((n) => [n.node.path, n]));

      for (const parent of layout.nodes.filter((n) => n.node.children.length > 0)) {
        const dot = layout.initials.find((i) => i.parent === parent.node.path)?.dot;
        const boxes = [...parent.node.children.map((c) => byPath.get(c.path)!.box), ...(dot ? [dot] : [])];
        for (const b of boxes) expect(inside(b, parent.box)).toBe(true);
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!)).toBe(false);
      }
      for (const n of layout.nodes) expect(n.box.width * n.box.height).toBeGreaterThan(0);
      for (const e of layout.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
      expect(layout.width).toBeGreaterThan(0);
    });
  }

  test('a machine is laid out once: the definition does not change while the service runs', () => {
    expect(machineLayout('position')).toBe(machineLayout('position'));
  });
});

/** A small XML reader: enough to prove the SVG is well formed and to read its elements back. */
function parseXml(xml: string) {
  type El = { name: string; attrs: Record<string, string>; children: El[]; text: string };
  const root: El = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  const token = /<\/([\w:-]+)\s*>|<([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  let m: RegExpExecArray | null;
  while (token.lastIndex < xml.length && (m = token.exec(xml))) {
    const top = stack.at(-1)!;
    if (m[1]) {
      if (top.name !== m[1]) throw new Error(`</${m[1]}> closes <${top.name}>`);
      stack.pop();
    } else if (m[2]) {
      const el: El = { name: m[2], attrs: Object.fromEntries([...m[3]!.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])), children: [], text: '' };
      top.children.push(el);
      if (!m[4]) stack.push(el);
    } else {
      if (/&(?!(amp|lt|gt|quot|#39|#x27|apos);)/.test(m[5]!)) throw new Error(`bare & in text: ${m[5]}`);
      top.text += m[5];
    }
  }
  if (token.lastIndex !== xml.length || stack.length !== 1) throw new Error(`not well formed near ${token.lastIndex}: ${xml.slice(token.lastIndex, token.lastIndex + 60)}`);
  const all: El[] = [];
  const walk = (e: El) => (all.push(e), e.children.forEach(walk));
  walk(root);
  return { root: root.children, all };
}

describe('SVG', () => {
  for (const id of MACHINE_IDS) {
    test(`${id}: renders well-formed SVG with one group per state and per transition`, async () => {
      const layout = await machineLayout(id);
      const doc = parseXml(renderSvg(layout));
      const groups = (cls: string) => doc.all.filter((e) => e.name === 'g' && e.attrs.class?.split(' ').includes(cls));

      expect(doc.root.map((e) => e.name)).toEqual(['svg']);
      expect(doc.root[0]!.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
      expect(groups('sc-state').map((g) => g.attrs['data-state'])).toEqual(layout.nodes.map((n) => n.node.path));
      expect(groups('sc-edge')).toHaveLength(layout.graph.edges.length);
      expect(doc.all.filter((e) => e.name === 'text' && e.attrs.class === 'sc-label').map((t) => t.text)).toEqual(layout.graph.edges.map((e) => e.label));
    });
  }

  test('the active state and its parents are highlighted, nothing else', async () => {
    const doc = parseXml(renderSvg(await machineLayout('position'), { active: 'open.long' }));
    const classes = new Map(doc.all.filter((e) => e.attrs['data-state'] !== undefined).map((e) => [e.attrs['data-state']!, e.attrs.class!.split(' ')]));

    expect(classes.get('open.long')).toEqual(expect.arrayContaining(['sc-active', 'sc-current']));
    expect(classes.get('open')).toContain('sc-active');
    expect(classes.get('open')).not.toContain('sc-current');
    const lit = [...classes].filter(([, c]) => c.includes('sc-active')).map(([p]) => p);
    expect(lit.sort()).toEqual(['open', 'open.long']);
  });
});
