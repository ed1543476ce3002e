import type { Field } from './codec.ts';
import { IN, type Message } from './responses.ts';
import { V } from './versions.ts';

/** Market data messages: real-time bars, history, and the ticks of reqMktData. */

export interface WireBar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** One 5-second bar; `time` is epoch seconds of its start. Unchanged across the versions served. */
export function realTimeBar(reqId: number, b: WireBar): Message {
  const wap = (b.open + b.high + b.low + b.close) / 4;
  return () => [IN.REAL_TIME_BARS, 3, reqId, b.time, b.open, b.high, b.low, b.close, b.volume, wap, Math.max(1, Math.round(b.volume / 3))];
}

/** A history bar with its date already written in the requested format (formatDate 1 or 2). */
export interface DatedBar extends Omit<WireBar, 'time'> {
  readonly date: string;
}

/**
 * A history answer. Before 124 (SYNT_REALTIME_BARS) the message has a version and each bar a
 * hasGaps flag; from 124 neither. Start and end are in the request's formatDate style.
 */
export function historicalData(reqId: number, start: string, end: string, bars: readonly DatedBar[]): Message {
  return (v) => {
    const old = v < V.SYNT_REALTIME_BARS;
    const out: Field[] = [IN.HISTORICAL_DATA, ...(old ? [3] : []), reqId, start, end, bars.length];
    for (const b of bars) {
      out.push(b.date, b.open, b.high, b.low, b.close, b.volume, (b.high + b.low + b.close) / 3);
      if (old) out.push(0);
      out.push(Math.max(1, Math.round(b.volume / 3)));
    }
    return out;
  };
}

/** IB tick types (TickType in IB's clients). */
export const TICK = { BID_SIZE: 0, BID: 1, ASK: 2, ASK_SIZE: 3, LAST: 4, LAST_SIZE: 5, VOLUME: 8, CLOSE: 9 } as const;

/** tickPrice, message version 6: price, size and the attribute mask (bit 0: can auto-execute). */
export const tickPrice = (reqId: number, tickType: number, price: number, size: number): Message => () => [IN.TICK_PRICE, 6, reqId, tickType, price, size, 1];
export const tickSize = (reqId: number, tickType: number, size: number): Message => () => [IN.TICK_SIZE, 6, reqId, tickType, size];
/** 1 real-time, 2 frozen, 3 delayed, 4 delayed frozen: sent before the first tick of a subscription. */
export const marketDataType = (reqId: number, type: number): Message => () => [IN.MARKET_DATA_TYPE, 1, reqId, type];
