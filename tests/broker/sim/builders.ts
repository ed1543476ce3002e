import type { Bar } from '../../../src/domain/bar.ts';
import { MINUTE } from '../../../src/domain/session.ts';
import type { Fill, OrderAction, OrderRequest, OrderStatus } from '../../../src/domain/trading.ts';
import { SimExchange, type ExchangeEvent } from '../../../src/broker/sim/exchange.ts';
import { T0 } from '../../../src/testing/builders.ts';

/** The README defaults: 1 tick of slippage, $0.62 per contract per side. */
export const FILL_SETTINGS = { slippageTicks: 1, commissionPerContract: 0.62 } as const;

export const exchange = (): SimExchange => new SimExchange(FILL_SETTINGS);

/** Bar `minute` minutes after T0 from open, high, low, close. */
export function ohlc(minute: number, open: number, high: number, low: number, close: number): Bar {
  return { time: T0 + minute * MINUTE, open, high, low, close, volume: 100 };
}

type Extra = Partial<Pick<OrderRequest, 'ocaGroup' | 'parentRef' | 'reason'>>;
export const market = (ref: string, action: OrderAction, qty = 1, extra: Extra = {}): OrderRequest => ({ ref, action, type: 'market', qty, ...extra });
export const stop = (ref: string, action: OrderAction, price: number, extra: Extra = {}, qty = 1): OrderRequest => ({ ref, action, type: 'stop', qty, price, ...extra });
export const limit = (ref: string, action: OrderAction, price: number, extra: Extra = {}, qty = 1): OrderRequest => ({ ref, action, type: 'limit', qty, price, ...extra });

export const fills = (events: readonly ExchangeEvent[]): Fill[] => events.flatMap((e) => (e.type === 'fill' ? [e.payload] : []));
export const statuses = (events: readonly ExchangeEvent[]): Array<[string, OrderStatus]> =>
  events.flatMap((e) => (e.type === 'orderStatus' ? [[e.payload.ref, e.payload.status] as [string, OrderStatus]] : []));

/** All three phases of a bar; returns the events of the open and range phases in order. */
export function runBar(ex: SimExchange, bar: Bar): ExchangeEvent[] {
  const events = [...ex.openPhase(bar), ...ex.rangePhase(bar)];
  ex.closePhase(bar);
  return events;
}
