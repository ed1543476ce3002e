import type { Bar } from '../../domain/bar.ts';
import type { JournalTrade, OpenPosition } from './dashboard.ts';

/** lightweight-charts wants UTC seconds. */
export interface ChartBar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

export interface BandPoint {
  readonly time: number;
  readonly mean: number;
  readonly upper: number;
  readonly lower: number;
}

export interface ChartMarker {
  readonly time: number;
  readonly position: 'aboveBar' | 'belowBar' | 'inBar';
  readonly shape: 'arrowUp' | 'arrowDown' | 'circle';
  readonly color: string;
  readonly text: string;
}

export interface ChartModel {
  readonly bars: ChartBar[];
  readonly band: BandPoint[];
  /** E.g. "mean ± 2σ (20 bars)"; null when the strategy has no band. */
  readonly bandLabel: string | null;
  readonly markers: ChartMarker[];
  /** Entry, stop and target of the open position. */
  readonly levels: ChartLevel[];
}

const sec = (ms: number) => Math.floor(ms / 1000);
const GREEN = '#26a269';
const RED = '#e5484d';

/** The entry band the strategy trades against: z-score's mean ± entry σ, or Bollinger's. */
export function bandParams(strategy: string, params: Readonly<Record<string, number>>): { lookback: number; width: number } | null {
  if (strategy === 'zscore') return { lookback: params.lookback ?? 20, width: params.entry ?? 2 };
  if (strategy === 'bollinger') return { lookback: params.period ?? 20, width: params.k ?? 2 };
  return null;
}

/**
 * Mean ± width·σ over the last `lookback` closes including the current one, σ the population
 * standard deviation — the same definition as the strategy's z-score (README "Indicator
 * definitions"), so a close outside the band is exactly a close with |z| ≥ entry.
 */
export function zscoreBand(bars: readonly Bar[], lookback: number, width: number): BandPoint[] {
  const n = Math.max(1, Math.floor(lookback));
  const out: BandPoint[] = [];
  for (let i = n - 1; i < bars.length; i++) {
    let sum = 0;
    for (let j = i - n + 1; j <= i; j++) sum += bars[j]!.close;
    const mean = sum / n;
    let sq = 0;
    for (let j = i - n + 1; j <= i; j++) sq += (bars[j]!.close - mean) ** 2;
    const sd = Math.sqrt(sq / n);
    out.push({ time: sec(bars[i]!.time), mean, upper: mean + width * sd, lower: mean - width * sd });
  }
  return out;
}

export interface ChartLevel {
  readonly price: number;
  readonly color: string;
  readonly title: string;
}

const BLUE = '#58a6ff';

/** Entry and exit markers for the trades inside the bars shown, plus the open position's entry. */
export function tradeMarkers(trades: readonly JournalTrade[], position: OpenPosition | null, from: number, to: number): ChartMarker[] {
  const inside = (t: number) => t >= from && t <= to;
  const markers: ChartMarker[] = [];
  const entry = (side: 'long' | 'short', time: number) =>
    markers.push(side === 'long'
      ? { time: sec(time), position: 'belowBar', shape: 'arrowUp', color: GREEN, text: 'L' }
      : { time: sec(time), position: 'aboveBar', shape: 'arrowDown', color: RED, text: 'S' });
  for (const t of trades) {
    if (inside(t.entryTime)) entry(t.side, t.entryTime);
    if (inside(t.exitTime)) {
      const pnl = t.pnlCents / 100;
      markers.push({ time: sec(t.exitTime), position: 'inBar', shape: 'circle', color: pnl >= 0 ? GREEN : RED, text: `${pnl >= 0 ? '+' : '−'}$${Math.abs(pnl).toFixed(2)}` });
    }
  }
  if (position && inside(position.entryTime)) entry(position.side, position.entryTime);
  // The chart library requires markers in time order.
  return declutter(markers.sort((a, b) => a.time - b.time), Math.max(1, Math.round((to - from) / 1000 / 60)));
}

/**
 * Labels that would overlap are dropped, shapes kept: a label is shown only if the last label on the
 * same side of the bars is at least `minGapSec` × 1 bar-width away (about 1/60 of the window).
 * Entry letters are short; P&L labels are wide, so they need the gap most.
 */
export function declutter(markers: ChartMarker[], minGapSec: number): ChartMarker[] {
  const lastLabel = new Map<ChartMarker['position'], number>();
  return markers.map((m) => {
    if (m.text === '') return m;
    const gap = m.position === 'inBar' ? minGapSec * 3 : minGapSec;
    const prev = lastLabel.get(m.position);
    if (prev !== undefined && m.time - prev < gap) return { ...m, text: '' };
    lastLabel.set(m.position, m.time);
    return m;
  });
}

/** The open position's entry, stop and target as horizontal lines, or none when flat. */
export function positionLevels(p: OpenPosition | null): ChartLevel[] {
  if (!p) return [];
  return [
    { price: p.entryPrice, color: BLUE, title: `entry ${p.side}` },
    { price: p.stop, color: RED, title: 'stop' },
    { price: p.target, color: GREEN, title: 'target' },
  ];
}

export function chartModel(input: {
  bars: readonly Bar[];
  strategy: string;
  params: Readonly<Record<string, number>>;
  trades: readonly JournalTrade[];
  position: OpenPosition | null;
}): ChartModel {
  const { bars } = input;
  const band = bandParams(input.strategy, input.params);
  const first = bars[0];
  const last = bars.at(-1);
  return {
    bars: bars.map((b) => ({ time: sec(b.time), open: b.open, high: b.high, low: b.low, close: b.close })),
    band: band ? zscoreBand(bars, band.lookback, band.width) : [],
    bandLabel: band ? `mean ± ${band.width}σ (${band.lookback} bars)` : null,
    markers: first && last ? tradeMarkers(input.trades, input.position, first.time, last.time) : [],
    levels: positionLevels(input.position),
  };
}

/** The end of a chart model, for a live push: the client appends what is newer than it has. */
export function chartTail(model: ChartModel, n: number): ChartModel {
  return { ...model, bars: model.bars.slice(-n), band: model.band.slice(-n) };
}
