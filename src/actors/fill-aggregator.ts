import type { Fill } from '../domain/trading.ts';

/**
 * Turns an order's executions into one fill for the position actor: IB reports each execution of
 * an order separately, while a position opens or closes once. Fills are passed on when the order's
 * quantity is complete, or — partly filled — when the order ends (cancelled or rejected), so the
 * position reflects what was actually traded. Price is the quantity-weighted average.
 */
export class FillAggregator {
  private readonly open = new Map<string, { qty: number; cost: number; commissionCents: number; last: Fill }>();

  /** The combined fill once `orderQty` is reached (or unknown), else null while more is expected. */
  add(fill: Fill, orderQty: number | null): Fill | null {
    const acc = this.open.get(fill.orderRef) ?? { qty: 0, cost: 0, commissionCents: 0, last: fill };
    acc.qty += fill.qty;
    acc.cost += fill.price * fill.qty;
    acc.commissionCents += fill.commissionCents;
    acc.last = fill;
    if (orderQty !== null && acc.qty < orderQty) {
      this.open.set(fill.orderRef, acc);
      return null;
    }
    this.open.delete(fill.orderRef);
    return acc.qty === fill.qty ? fill : combine(acc);
  }

  /** The order ended: what did fill of it, if anything, as one fill. */
  ended(ref: string): Fill | null {
    const acc = this.open.get(ref);
    if (!acc) return null;
    this.open.delete(ref);
    return combine(acc);
  }
}

function combine(acc: { qty: number; cost: number; commissionCents: number; last: Fill }): Fill {
  return { ...acc.last, qty: acc.qty, price: acc.cost / acc.qty, commissionCents: acc.commissionCents };
}
