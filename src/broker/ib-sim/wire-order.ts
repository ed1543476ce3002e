import type { OrderStatus } from '../../domain/trading.ts';
import type { WireOrder } from './order-messages.ts';

/** An order as the gateway keeps it: what TWS reports about it (mutable as it fills) plus the exchange's ref. */
export interface GwOrder extends Omit<WireOrder, 'status' | 'filled' | 'avgFillPrice' | 'lastFillPrice' | 'lmtPrice' | 'auxPrice' | 'qty'> {
  /** The order's size; an OCA sibling's fill reduces it (OCA types 2 and 3). */
  qty: number;
  /** The paper exchange's ref for it: `clientId:orderId`, plus `#n` after the n-th modification. */
  ref: string;
  lmtPrice: number | null;
  auxPrice: number | null;
  status: string;
  filled: number;
  avgFillPrice: number;
  lastFillPrice: number;
  /** Times the client modified it in place; each re-books it at the paper exchange under `ref#n`. */
  modifications: number;
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
