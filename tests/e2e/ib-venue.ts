import type { FakeGateway } from '../../src/broker/ib-sim/gateway.ts';
import type { VenueView } from '../../src/testing/invariants.ts';

/** The fake gateway's account as the crash-safety invariants read a venue. */
export function gatewayVenue(g: FakeGateway): VenueView {
  const kind = { MKT: 'market', LMT: 'limit', STP: 'stop' } as const;
  const orders = g.book.workingOrders(null).map((o) => ({
    ref: o.orderRef,
    action: o.action === 'BUY' ? ('buy' as const) : ('sell' as const),
    type: kind[o.orderType],
    qty: o.qty,
    filledQty: o.filled,
    avgFillPrice: null,
    status: o.status === 'Submitted' ? ('submitted' as const) : ('pending' as const),
  }));
  return { positionQty: g.book.exchange.positions().reduce((a, p) => a + p.qty, 0), orders, realisedCents: g.book.exchange.accountPnl().realisedCents, duplicateRefs: 0 };
}
