import type { LiveModel, TransitionRow } from '../../src/web/statecharts/view-model.ts';
import { nyDateTime } from '../../src/web/view-models/trading-display.ts';

/** Where the visualizer's own assets are served (by its plugin, so it needs nothing else mounted). */
export const STATECHART_CSS = '/statecharts/assets/statecharts.css';
export const STATECHART_JS = '/statecharts/assets/statecharts.js';

/** "2026-03-02 14:05:09.120 UTC": transitions come in bursts, so milliseconds matter. */
export const utc = (ms: number) => (Number.isFinite(ms) ? `${new Date(ms).toISOString().replace('T', ' ').slice(0, 23)} UTC` : '—');

/** "2026-01-05 09:31 New York", the market's clock as the dashboard shows it; "—" when not recorded. */
export const market = (ms: number | null) => (ms === null ? '—' : `${nyDateTime(ms)} New York`);

export function StateName(props: { state: string | null }) {
  return props.state === null ? (
    <span class="sc-state-now muted" data-testid="sc-state">not reported</span>
  ) : (
    <span class="sc-state-now" data-testid="sc-state" safe>
      {props.state}
    </span>
  );
}

export function TransitionCells(props: { row: TransitionRow }) {
  const { row } = props;
  return (
    <>
      <td class="sc-time" data-testid="sc-wall-time" safe>{utc(row.time)}</td>
      <td class="sc-time" data-testid="sc-market-time" safe>{market(row.marketTime)}</td>
      <td>
        <span safe>{row.from}</span> → <span safe>{row.to}</span>
      </td>
      <td class="sc-event" safe>
        {row.event}
      </td>
    </>
  );
}

/** The live fragment: the current state and, on a machine's page, its recent transitions. */
export function LiveBody(props: { live: LiveModel }) {
  const { live } = props;
  return (
    <div class="sc-live-body" data-machine={live.machine} data-active={live.state ?? ''}>
      <p>
        Current state: <StateName state={live.state} />
      </p>
      {live.rows === null ? (
        ''
      ) : live.rows.length === 0 ? (
        <p class="muted">No transitions recorded since the service started.</p>
      ) : (
        <div class="table-wrap">
          <table class="sc-table" data-testid="sc-transitions">
            <thead>
              <tr>
                <th>wall time</th>
                <th>market time</th>
                <th>from → to</th>
                <th>event</th>
              </tr>
            </thead>
            <tbody>
              {live.rows.map((row) => (
                <tr>
                  <TransitionCells row={row} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** A live region: statecharts.js polls `src` and swaps the body in, moving the SVG highlight. */
export function LiveRegion(props: { src: string; pollMs: number; live: LiveModel }) {
  return (
    <div class="sc-live" data-live-src={props.src} data-poll-ms={String(props.pollMs)} aria-live="polite">
      <LiveBody live={props.live} />
    </div>
  );
}
