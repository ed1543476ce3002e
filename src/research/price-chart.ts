import type { BarSeries } from '../domain/bar.ts';
import type { Trade } from '../domain/trading.ts';
import type { EngineSettings } from '../engine/settings.ts';
import { bracketLevels } from '../risk/rules.ts';

/** The bars of a run as candles for the price chart, with every trade's entry, exit, stop and target. */
export interface PriceChart {
  /** Bars merged per candle (1 when the run is short enough to draw bar by bar). */
  readonly barsPerCandle: number;
  readonly candles: ReadonlyArray<{ readonly time: number; readonly open: number; readonly high: number; readonly low: number; readonly close: number }>;
  readonly trades: readonly ChartTrade[];
  /** Trades left out of the chart (it draws at most MAX_CHART_TRADES); the trade table has them all. */
  readonly omittedTrades: number;
}

export interface ChartTrade {
  readonly side: Trade['side'];
  readonly entryTime: number;
  readonly entryPrice: number;
  readonly exitTime: number;
  readonly exitPrice: number;
  readonly exitReason: Trade['exitReason'];
  /** The protective stop and the target the bracket rested at (risk.stopLossPerContract / takeProfitPerContract). */
  readonly stop: number;
  readonly target: number;
  readonly pnl: number;
}

export const MAX_CANDLES = 2500;
export const MAX_CHART_TRADES = 2000;

export function priceChart(series: BarSeries, from: number, to: number, trades: readonly Trade[], settings: Pick<EngineSettings, 'stopLossPerContract' | 'takeProfitPerContract'>): PriceChart {
  const n = to - from;
  const k = Math.max(1, Math.ceil(n / MAX_CANDLES));
  const candles: PriceChart['candles'][number][] = [];
  for (let a = from; a < to; a += k) {
    const b = Math.min(a + k, to);
    let high = series.high[a]!;
    let low = series.low[a]!;
    for (let i = a + 1; i < b; i++) {
      if (series.high[i]! > high) high = series.high[i]!;
      if (series.low[i]! < low) low = series.low[i]!;
    }
    candles.push({ time: series.time[a]!, open: series.open[a]!, high, low, close: series.close[b - 1]! });
  }
  const shown = trades.slice(0, MAX_CHART_TRADES).map((t) => {
    const { stop, target } = bracketLevels(t.side, t.entryPrice, settings.stopLossPerContract, settings.takeProfitPerContract);
    return { side: t.side, entryTime: t.entryTime, entryPrice: t.entryPrice, exitTime: t.exitTime, exitPrice: t.exitPrice, exitReason: t.exitReason, stop, target, pnl: t.pnlCents / 100 };
  });
  return { barsPerCandle: k, candles, trades: shown, omittedTrades: trades.length - shown.length };
}
