import type { FakeGateway } from '../../src/broker/ib-sim/gateway.ts';
import type { VenueView } from '../../src/testing/invariants.ts';

/** A gateway order, as the fake keeps it in memory and in its state file, as the invariants read it. */
export function venueOrder(o: { orderRef: string; action: 'BUY' | 'SELL'; orderType: 'MKT' | 'LMT' | 'STP'; qty: number; filled: number; status: string }): VenueView['orders'][number] {
  const kind = { MKT: 'market', LMT: 'limit', STP: 'stop' } as const;
  return {
    ref: o.orderRef,
    action: o.action === 'BUY' ? 'buy' : 'sell',
    type: kind[o.orderType],
    qty: o.qty,
    filledQty: o.filled,
    avgFillPrice: null,
    status: o.status === 'Submitted' ? 'submitted' : 'pending',
  };
}

/** The fake gateway's account as the crash-safety invariants read a venue. */
export function gatewayVenue(g: FakeGateway): VenueView {
  const orders = g.book.workingOrders(null).map(venueOrder);
  return { positionQty: g.book.exchange.positions().reduce((a, p) => a + p.qty, 0), orders, realisedCents: g.book.exchange.accountPnl().realisedCents, duplicateRefs: 0 };
}
