import { Layout } from '../components/layout.tsx';
import { Diagram } from './nesting.tsx';
import type { ViewerModel } from '../../src/web/view-models/viewer.ts';
import type { MachineView } from '../../src/web/statecharts/view-model.ts';
import { LiveRegion, STATECHART_CSS, STATECHART_JS } from './live.tsx';

const base = (machine: string) => `/statecharts/${encodeURIComponent(machine)}`;

/** All machines side by side, each following its running actor. */
export function OverviewPage(props: { machines: readonly MachineView[]; viewer: ViewerModel }) {
  return (
    <Layout title="Statecharts" viewer={props.viewer} scripts={[STATECHART_JS]}>
      <link rel="stylesheet" href={STATECHART_CSS} />
      <h1>Statecharts</h1>
      <p class="muted">
        Every actor drawn from its machine definition; the highlighted state is the one the running service is in.
      </p>
      <div class="sc-grid">
        {props.machines.map((m) => (
          <section class="panel sc-card" data-testid={`sc-card-${m.machine}`}>
            <div class="panel-head">
              <h2>
                <a href={base(m.machine)} safe>
                  {m.machine}
                </a>
              </h2>
              <a href={`${base(m.machine)}/replay`}>replay</a>
            </div>
            <LiveRegion src={`${base(m.machine)}/fragment?view=summary`} pollMs={m.pollMs} live={m.live} />
            <div class="sc-figure">{m.svg}</div>
          </section>
        ))}
      </div>
    </Layout>
  );
}

/** One machine, full size, with its recent transitions. */
export function MachinePage(props: { view: MachineView; viewer: ViewerModel }) {
  const { view } = props;
  return (
    <Layout title={`${view.machine} statechart`} viewer={props.viewer} scripts={[STATECHART_JS]}>
      <link rel="stylesheet" href={STATECHART_CSS} />
      <p class="sc-nav">
        <a href="/statecharts">All machines</a>
        <a href={`${base(view.machine)}/replay`}>Replay recorded transitions</a>
        <a href={`/api/statecharts/${encodeURIComponent(view.machine)}`}>JSON</a>
      </p>
      <h1 safe>{view.machine}</h1>
      <Diagram toggles={view.nesting} svg={view.svg} />
      <section class="panel">
        <h2>Recent transitions</h2>
        <LiveRegion src={view.fragmentUrl} pollMs={view.pollMs} live={view.live} />
      </section>
    </Layout>
  );
}
