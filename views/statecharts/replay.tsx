import { Layout } from '../components/layout.tsx';
import { Diagram } from './nesting.tsx';
import type { ViewerModel } from '../../src/web/view-models/viewer.ts';
import type { ReplayView } from '../../src/web/statecharts/view-model.ts';
import { market, STATECHART_CSS, TransitionCells, utc } from './live.tsx';

/** Steps through an actor's recorded transitions: the diagram shows the state after step n. */
export function ReplayPage(props: { view: ReplayView; viewer: ViewerModel }) {
  const { view } = props;
  const href = (step: number) => `/statecharts/${encodeURIComponent(view.machine)}/replay?step=${step}${view.keep}`;
  const link = (step: number | null, label: string, rel: string) =>
    step === null ? <span class="sc-disabled">{label}</span> : <a href={href(step)} rel={rel} data-testid={`sc-${rel}`}>{label}</a>;
  const step = view.step;
  const last = view.count - 1;
  return (
    <Layout title={`${view.machine} replay`} viewer={props.viewer}>
      <link rel="stylesheet" href={STATECHART_CSS} />
      <p class="sc-nav">
        <a href="/statecharts">All machines</a>
        <a href={`/statecharts/${encodeURIComponent(view.machine)}`}>Live view</a>
      </p>
      <h1>
        Replay: <span safe>{view.machine}</span>
      </h1>
      {step === null || view.row === null ? (
        <p class="muted">No transitions of this actor are recorded yet.</p>
      ) : (
        <>
          <p class="sc-nav">
            {link(step > 0 ? 0 : null, '« first', 'first')}
            {link(step > 0 ? step - 1 : null, '‹ previous', 'prev')}
            <span data-testid="sc-step">
              step {step} of steps 0–{last}
            </span>
            {link(step < last ? step + 1 : null, 'next ›', 'next')}
            {link(step < last ? last : null, 'last »', 'last')}
          </p>
          <p data-testid="sc-step-info">
            wall <span data-testid="sc-step-wall" safe>{utc(view.row.time)}</span> · market <span data-testid="sc-step-market" safe>{market(view.row.marketTime)}</span>:{' '}
            <span class="sc-state-now" safe>{view.row.from}</span> →{' '}
            <span class="sc-state-now" data-testid="sc-state" safe>
              {view.row.to}
            </span>{' '}
            on <code safe>{view.row.event}</code>
          </p>
        </>
      )}
      {view.source === 'recent' ? <p class="hint">Only the transitions kept in memory since the service started are shown; the recorded history is not available here.</p> : ''}
      <Diagram toggles={view.nesting} svg={view.svg} />
      {view.nearby.length === 0 ? (
        ''
      ) : (
        <section class="panel">
          <h2>Recorded transitions</h2>
          <div class="table-wrap">
            <table class="sc-table" data-testid="sc-steps">
              <thead>
                <tr>
                  <th>step</th>
                  <th>wall time</th>
                  <th>market time</th>
                  <th>from → to</th>
                  <th>event</th>
                </tr>
              </thead>
              <tbody>
                {view.nearby.map(({ index, row }) => (
                  <tr class={index === step ? 'sc-row-current' : undefined}>
                    <td>
                      <a href={href(index)}>{String(index)}</a>
                    </td>
                    <TransitionCells row={row} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </Layout>
  );
}
