import { toNyWallMs } from '../../domain/session.ts';
import type { OrderStatus } from '../../domain/trading.ts';
import type { SimContract, WireOrder } from './responses.ts';

/** An order as the gateway keeps it: what TWS reports about it (mutable as it fills) plus the exchange's ref. */
export interface GwOrder extends Omit<WireOrder, 'status' | 'filled' | 'avgFillPrice' | 'lastFillPrice'> {
  /** The paper exchange's ref for it: `clientId:orderId` (orderRef is the client's, and may repeat). */
  readonly ref: string;
  status: string;
  filled: number;
  avgFillPrice: number;
  lastFillPrice: number;
}

/** TWS's status words for the exchange's states; a child waiting for its parent is PreSubmitted, as in TWS. */
export function statusText(status: OrderStatus): string {
  switch (status) {
    case 'pending':
      return 'PreSubmitted';
    case 'submitted':
    case 'partially_filled':
      return 'Submitted';
    case 'filled':
      return 'Filled';
    case 'cancelled':
      return 'Cancelled';
    case 'rejected':
      return 'Inactive';
  }
}

export function toWireOrder(o: GwOrder): WireOrder {
  return { ...o };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An execution time as TWS writes it: New York wall time with the zone name. */
export function execTime(utcMs: number): string {
  const d = new Date(toNyWallMs(utcMs));
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} US/Eastern`;
}
