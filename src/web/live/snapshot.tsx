import { render } from '../../../views/render.ts';
import { ActorsPanel, BreakersPanel } from '../../../views/fragments/breakers.tsx';
import { PositionPanel } from '../../../views/fragments/position.tsx';
import { StatusBar } from '../../../views/fragments/status.tsx';
import type { WebDeps } from '../deps.ts';
import { chartModel, chartTail } from '../view-models/chart.ts';

/** Markers come from the latest trades; older ones have scrolled off a 500-bar chart anyway. */
const MARKER_TRADES = 200;
/** Bars per live push: the client appends what it lacks, and refetches the whole chart after a gap. */
const CHART_TAIL = 10;

export function marketChart(deps: WebDeps, status = deps.app.status()) {
  // Without a core-fed market view this samples the last bar; with one, record() ignores the repeat.
  if (status.lastBar) deps.market.record(status.lastBar);
  return chartModel({
    bars: deps.market.bars(),
    strategy: deps.market.strategy,
    params: deps.market.params,
    trades: deps.app.trades({ limit: MARKER_TRADES }),
    position: status.position,
  });
}

/** Every live event by name, rendered once for all subscribers. */
export function liveSnapshot(deps: WebDeps): Record<string, string> {
  const status = deps.app.status();
  return {
    status: render(<StatusBar status={status} venue={deps.app.venue()} />),
    position: render(<PositionPanel position={status.position} pnl={status.pnl} />),
    breakers: render(<BreakersPanel breakers={deps.app.breakers()} />),
    actors: render(<ActorsPanel actors={deps.app.actors()} />),
    // The trades panel re-fetches its own page when this changes.
    trades: String(deps.app.tradeCount()),
    chart: JSON.stringify(chartTail(marketChart(deps, status), CHART_TAIL)),
  };
}
