/** One OHLCV bar. `time` is the bar's open time in epoch milliseconds (UTC). */
export interface Bar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * Bars stored column-wise: the backtester and the indicator kernels walk these arrays without
 * allocating an object per bar. Times are epoch milliseconds of each bar's open.
 */
export interface BarSeries {
  readonly length: number;
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export function seriesFromBars(bars: readonly Bar[], shared = false): BarSeries {
  const n = bars.length;
  const make = () => (shared ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n));
  const s = { length: n, time: make(), open: make(), high: make(), low: make(), close: make(), volume: make() };
  for (let i = 0; i < n; i++) {
    const b = bars[i]!;
    s.time[i] = b.time;
    s.open[i] = b.open;
    s.high[i] = b.high;
    s.low[i] = b.low;
    s.close[i] = b.close;
    s.volume[i] = b.volume;
  }
  return s;
}

export function barAt(s: BarSeries, i: number): Bar {
  return { time: s.time[i]!, open: s.open[i]!, high: s.high[i]!, low: s.low[i]!, close: s.close[i]!, volume: s.volume[i]! };
}

/** A view of bars [from, to) sharing the same memory. */
export function sliceSeries(s: BarSeries, from: number, to: number): BarSeries {
  return {
    length: to - from,
    time: s.time.subarray(from, to),
    open: s.open.subarray(from, to),
    high: s.high.subarray(from, to),
    low: s.low.subarray(from, to),
    close: s.close.subarray(from, to),
    volume: s.volume.subarray(from, to),
  };
}

/** Copies a series into SharedArrayBuffers so Workers can read it without a copy each. */
export function shareSeries(s: BarSeries): BarSeries {
  const copy = (a: Float64Array) => {
    const out = new Float64Array(new SharedArrayBuffer(a.length * 8));
    out.set(a);
    return out;
  };
  return { length: s.length, time: copy(s.time), open: copy(s.open), high: copy(s.high), low: copy(s.low), close: copy(s.close), volume: copy(s.volume) };
}
