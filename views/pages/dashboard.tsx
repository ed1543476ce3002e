import type { Breakers, ActorView, OpenPosition, Pnl, Status, TradesPage, Venue } from '../../src/web/view-models/dashboard.ts';
import type { ViewerModel } from '../../src/web/view-models/viewer.ts';
import { Layout } from '../components/layout.tsx';
import { ActorsPanel, BreakersPanel } from '../fragments/breakers.tsx';
import { ControlsPanel } from '../fragments/controls.tsx';
import { PositionPanel } from '../fragments/position.tsx';
import { StatusBar } from '../fragments/status.tsx';
import { TradesPanel } from '../fragments/trades.tsx';

export interface DashboardModel {
  readonly viewer: ViewerModel;
  readonly status: Status;
  readonly venue: Venue;
  readonly position: OpenPosition | null;
  readonly pnl: Pnl;
  readonly trades: TradesPage;
  readonly breakers: Breakers;
  readonly actors: readonly ActorView[];
  readonly bandLabel: string | null;
}

/**
 * One page, every panel a fragment of it (htmx "template fragments"): the live stream swaps in
 * re-rendered fragments by name, and each panel also polls every 30 s in case the stream is down.
 */
export function DashboardPage(props: { model: DashboardModel }) {
  const m = props.model;
  const live = (id: string) => ({ id, 'hx-get': `/fragments/${id}`, 'hx-trigger': 'every 30s, qs:refresh from:body', 'sse-swap': id });
  return (
    <Layout title="Dashboard" viewer={m.viewer} active="dashboard" scripts={['/assets/vendor/lightweight-charts.js', '/assets/live-chart.js']}>
      <div id="live" sse-connect="/events" class="dashboard">
        <section class="panel status-panel" {...live('status')}>
          <StatusBar status={m.status} venue={m.venue} />
        </section>
        <div class="grid">
          <section class="panel">
            <h2>Position &amp; P&amp;L</h2>
            <div {...live('position')}>
              <PositionPanel position={m.position} pnl={m.pnl} />
            </div>
          </section>
          <section class="panel">
            <h2>Controls</h2>
            <ControlsPanel viewer={m.viewer} />
          </section>
          <section class="panel wide">
            <header class="panel-head">
              <h2>Live chart</h2>
              <span class="muted legend" safe>{m.bandLabel ? `candles · band ${m.bandLabel} · trade markers` : 'candles · trade markers'}</span>
            </header>
            <div id="live-chart" class="chart" data-src="/api/market" data-testid="live-chart"></div>
            <div id="chart-feed" sse-swap="chart" hx-swap="none" hidden></div>
          </section>
          <TradesPanel page={m.trades} />
          <section class="panel">
            <h2>Circuit breaker</h2>
            <div {...live('breakers')}>
              <BreakersPanel breakers={m.breakers} />
            </div>
          </section>
          <section class="panel">
            <h2>Actors</h2>
            <div {...live('actors')}>
              <ActorsPanel actors={m.actors} />
            </div>
          </section>
        </div>
      </div>
    </Layout>
  );
}
