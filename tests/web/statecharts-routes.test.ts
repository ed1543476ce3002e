import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Elysia } from 'elysia';
import { collapseGraph } from '../../src/web/statecharts/collapse.ts';
import { fullGraph } from '../../src/web/statecharts/layout.ts';
import { DEFAULT_START } from '../../src/market/simulator.ts';
import { nyDateTime } from '../../src/web/view-models/trading-display.ts';
import { utc } from '../../views/statecharts/live.tsx';
import { statechartQueries } from '../../src/app/statecharts.ts';
import { liveHarness } from '../../src/testing/live-harness.ts';
import { statechartRoutes, type StatechartApp } from '../../src/web/statecharts/routes.ts';

/** A market where the first losing trade breaks a $1 daily loss limit. */
const LOSS_PRONE = { sim: { seed: 7, regime: 'volatile' }, risk: { dailyLossLimit: 1 } };
const PAGE = { accept: 'text/html' };

type Harness = Awaited<ReturnType<typeof liveHarness>>;
let h: Harness;
let web: { handle: (r: Request) => Promise<Response> };

const get = (path: string, headers: Record<string, string> = {}) => web.handle(new Request(`http://localhost${path}`, { headers }));
const text = async (path: string) => {
  const res = await get(path, PAGE);
  expect(res.status).toBe(200);
  return res.text();
};

/** Each SVG state group's classes, read with an HTML parser: state path → classes. */
async function stateClasses(html: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  await new HTMLRewriter()
    .on('g[data-state]', { element: (e) => void out.set(e.getAttribute('data-state')!, (e.getAttribute('class') ?? '').split(' ')) })
    .transform(new Response(html))
    .text();
  return out;
}
async function elementCount(html: string, selector: string): Promise<number> {
  let n = 0;
  await new HTMLRewriter().on(selector, { element: () => void n++ }).transform(new Response(html)).text();
  return n;
}
const current = async (html: string) => [...(await stateClasses(html))].filter(([, c]) => c.includes('sc-current')).map(([s]) => s);

const breakerState = () => h.app.actors().find((a) => a.id === 'circuitBreaker')?.state;

beforeAll(async () => {
  h = await liveHarness({ config: LOSS_PRONE, warmup: 100 });
  const app: StatechartApp = { ...h.app, ...statechartQueries(h) };
  web = new Elysia().use(statechartRoutes(app));
});
afterAll(() => h.close());

describe('statechart pages on the running service', () => {
  test('the overview draws all six machines, each with its current state highlighted', async () => {
    const html = await text('/statecharts');

    for (const id of ['supervisor', 'connection', 'strategy', 'position', 'circuitBreaker', 'notifier']) {
      expect(html).toContain(`data-testid="sc-card-${id}"`);
      expect(html).toContain(`<svg xmlns="http://www.w3.org/2000/svg" class="sc-svg" data-machine="${id}"`);
    }
    expect(html).toContain('data-live-src="/statecharts/circuitBreaker/fragment?view=summary"');
    expect(html).toContain('src="/statecharts/assets/statecharts.js"');
    expect(await current(html)).toEqual(expect.arrayContaining(['running', 'closed', 'ready']));
  });

  test("a machine's page highlights the state its actor reports", async () => {
    const state = h.app.actors().find((a) => a.id === 'connection')!.state;
    const html = await text('/statecharts/connection?collapsed=');

    expect(state).toBe('ready.watching');
    expect(await current(html)).toEqual(['ready.watching']);
    expect((await stateClasses(html)).get('ready')).toContain('sc-active');
  });

  test('the connection machine opens collapsed: ready is one box standing for its nested state, current while in it; a link expands it', async () => {
    const html = await text('/statecharts/connection');
    const classes = await stateClasses(html);
    expect(classes.has('ready.watching')).toBe(false);
    expect(classes.get('ready')).toEqual(expect.arrayContaining(['sc-collapsed', 'sc-current']));
    expect(html).toContain('▸ 1 nested state');
    expect(html).toContain('<a href="/statecharts/connection?collapsed=" class="sc-toggle" data-toggle="ready" data-collapsed="true"');
    const expanded = await stateClasses(await text('/statecharts/connection?collapsed='));
    expect(expanded.get('ready')).not.toContain('sc-collapsed');
    expect(expanded.has('ready.watching')).toBe(true);
  });

  test('collapsing moves the transitions of hidden states onto their box and drops those between them, keeping edge ids', async () => {
    const full = fullGraph('position');
    const open = collapseGraph(full, new Set(['open']));
    const ids = new Set(open.edges.map((e) => e.id));
    for (const e of full.edges) {
      const inside = (p: string) => p === 'open' || p.startsWith('open.');
      if (inside(e.source) && inside(e.target)) expect(ids.has(e.id)).toBe(false);
      else expect(open.edges.find((x) => x.id === e.id)).toEqual({ ...e, source: inside(e.source) ? 'open' : e.source, target: inside(e.target) ? 'open' : e.target });
    }
    expect(open.edges.some((e) => e.source === 'open')).toBe(true);
  });

  test('collapsed names only compound states of the machine', async () => {
    const res = await web.handle(new Request('http://localhost/statecharts/position?collapsed=flat'));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toBe("collapsed: 'flat' is not a compound state of position; they are entering, open");
  });

  test('after a daily loss the breaker page shows halted and the transition that led there', async () => {
    for (let i = 0; i < 200 && breakerState() !== 'halted'; i++) await h.bars(5);
    expect(breakerState()).toBe('halted');

    const html = await text('/statecharts/circuitBreaker');
    expect(await current(html)).toEqual(['halted']);
    expect(html).toMatch(/<span>closed<\/span> → <span>halted<\/span><\/td><td class="sc-event">Halted<\/td>/);

    const fragment = await text('/statecharts/circuitBreaker/fragment');
    expect(fragment).toContain('data-active="halted"');
    expect(fragment).toContain('data-testid="sc-transitions"');
    const summary = await text('/statecharts/circuitBreaker/fragment?view=summary');
    expect(summary).toContain('data-active="halted"');
    expect(summary).not.toContain('<table');
  });

  test('replay steps through the recorded transitions with the state of each step highlighted', async () => {
    const recorded = statechartQueries(h).recordedTransitions('circuitBreaker', 100);
    expect(recorded.map((r) => [r.from, r.to, r.event])).toContainEqual(['closed', 'halted', 'Halted']);

    for (let step = 0; step < recorded.length; step++) {
      const html = await text(`/statecharts/circuitBreaker/replay?step=${step}`);
      expect(await current(html)).toEqual([recorded[step]!.to]);
      expect(html).toContain(`step ${step} of steps 0–${recorded.length - 1}`);
      expect(html.includes('data-testid="sc-prev"')).toBe(step > 0);
      expect(html.includes('data-testid="sc-next"')).toBe(step < recorded.length - 1);
      if (step > 0) expect(html).toContain(`href="/statecharts/circuitBreaker/replay?step=${step - 1}"`);
    }
    const trip = recorded.findIndex((r) => r.to === 'halted');
    const html = await text(`/statecharts/circuitBreaker/replay?step=${trip}`);
    // The trip was recorded with the market's clock (the close of the bar that tripped it) beside the wall clock.
    const tripped = recorded[trip]!;
    expect(tripped.marketTime).toBeGreaterThan(DEFAULT_START);
    expect(tripped.marketTime).toBeLessThanOrEqual(h.core.lastBar!.time + 60_000);
    expect(tripped.marketTime! % 60_000).toBe(0);
    expect(html).toContain(`wall <span data-testid="sc-step-wall">${utc(tripped.time)}</span> · market <span data-testid="sc-step-market">${nyDateTime(tripped.marketTime)} New York</span>`);
    expect(html).toMatch(/<g class="sc-edge sc-edge-event sc-fired" data-edge="e\d+" data-source="" data-target="halted" data-event="Halted">/);
    // Without a step the replay opens on the latest one.
    expect(await current(await text('/statecharts/circuitBreaker/replay'))).toEqual([recorded.at(-1)!.to]);
  });

  test('the JSON graph has the nodes, the edges and the current state', async () => {
    const res = await get('/api/statecharts/circuitBreaker');
    const body = (await res.json()) as { machine: string; state: string; nodes: { path: string; box: { width: number } }[]; edges: { source: string; target: string; label: string }[] };

    expect(res.headers.get('content-type')).toContain('application/json');
    expect(body.machine).toBe('circuitBreaker');
    expect(body.state).toBe('halted');
    expect(body.nodes.map((n) => n.path)).toEqual(['', 'boot', 'closed', 'cooldown', 'halted']);
    expect(body.nodes.every((n) => n.box.width > 0)).toBe(true);
    expect(body.edges).toContainEqual(expect.objectContaining({ source: 'cooldown', target: 'closed', label: 'CooldownEnded' }));
    const all = (await (await get('/api/statecharts')).json()) as { machines: { id: string; state: string | null }[] };
    expect(all.machines).toContainEqual({ id: 'supervisor', state: 'running' });
  });

  test('the page assets are served by the plugin itself', async () => {
    const css = await get('/statecharts/assets/statecharts.css');
    const js = await get('/statecharts/assets/statecharts.js');

    expect([css.status, js.status]).toEqual([200, 200]);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await get('/statecharts/assets/..%2Fapp.css')).status).toBe(404);
  });
});

describe('bad requests', () => {
  test('an unknown machine is a 404 that lists the machines there are', async () => {
    const res = await get('/statecharts/nope');
    const body = (await res.json()) as { message: string };

    expect(res.status).toBe(404);
    expect(body.message).toBe("no state machine 'nope': the statecharts are supervisor, connection, strategy, position, circuitBreaker, notifier");
    for (const path of ['/statecharts/nope/fragment', '/statecharts/nope/replay', '/api/statecharts/nope']) expect((await get(path)).status).toBe(404);
  });

  test('a machine name from the URL is escaped on the error page', async () => {
    const res = await get('/statecharts/%3Cscript%3Ealert(1)%3C%2Fscript%3E', PAGE);
    const html = await res.text();

    expect(res.status).toBe(404);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
  });

  test('a step that is not a whole number, or past the last one, is a 422 that says why', async () => {
    for (const step of ['abc', '-1', '1.5', '']) {
      const res = await get(`/statecharts/circuitBreaker/replay?step=${step}`);
      expect(res.status).toBe(422);
      expect(((await res.json()) as { message: string }).message).toContain('step must be a whole number ≥ 0');
    }
    const past = await get('/statecharts/circuitBreaker/replay?step=99999');
    expect(past.status).toBe(422);
    expect(((await past.json()) as { message: string }).message).toMatch(/^step 99999 is out of range: steps go from 0 to \d+$/);
    expect((await get('/statecharts/circuitBreaker/fragment?view=bogus')).status).toBe(422);
  });
});

describe('outside values', () => {
  const evil = '<img src=x onerror=alert(1)>';
  const fake: StatechartApp = {
    actors: () => [{ id: 'position', state: `open.${evil}`, failed: false, restarts: 0, lastError: null, context: {} }],
    transitions: () => [{ time: 0, marketTime: null, actor: 'position', from: 'flat', to: `open.${evil}`, event: evil }],
  };
  const fakeWeb = new Elysia().use(statechartRoutes(fake));
  const fetchText = (path: string) => fakeWeb.handle(new Request(`http://localhost${path}`)).then((r) => r.text());

  test('states and events that reach a page are escaped', async () => {
    for (const path of ['/statecharts/position', '/statecharts/position/fragment', '/statecharts/position/replay?step=0', '/statecharts']) {
      const html = await fetchText(path);
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
      // Inside a quoted attribute the text is inert; what must never happen is a new element.
      expect(await elementCount(html, 'img')).toBe(0);
    }
  });

  test('without the recorded history, replay uses the in-memory transitions and says so', async () => {
    const html = await fetchText('/statecharts/position/replay');
    expect(html).toContain('Only the transitions kept in memory since the service started are shown');
    expect(html).toContain('step 0 of steps 0–0');
  });
});
