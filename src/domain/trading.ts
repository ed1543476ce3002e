/** Side of a position. */
export type Side = 'long' | 'short';
/** Side of an order. */
export type OrderAction = 'buy' | 'sell';

export type Direction = 1 | -1;
export const directionOf = (side: Side): Direction => (side === 'long' ? 1 : -1);
export const entryAction = (side: Side): OrderAction => (side === 'long' ? 'buy' : 'sell');
export const exitAction = (side: Side): OrderAction => (side === 'long' ? 'sell' : 'buy');

export type ExitReason = 'signal' | 'stop' | 'target' | 'max_hold' | 'daily_loss' | 'drawdown' | 'end_of_data' | 'flatten' | 'shutdown';

export type OrderType = 'market' | 'stop' | 'limit';

/** An order the engine wants placed. `ref` is our client reference and survives restarts. */
export interface OrderRequest {
  readonly ref: string;
  readonly action: OrderAction;
  readonly type: OrderType;
  readonly qty: number;
  /** Stop trigger or limit price; absent for market orders. */
  readonly price?: number;
  readonly ocaGroup?: string;
  readonly parentRef?: string;
  readonly reason?: ExitReason | 'entry';
}

export type OrderStatus = 'pending' | 'submitted' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected';

export interface Order extends OrderRequest {
  readonly status: OrderStatus;
  readonly filledQty: number;
  readonly avgFillPrice: number | null;
  readonly brokerId?: number;
}

export interface Fill {
  readonly orderRef: string;
  readonly execId: string;
  readonly action: OrderAction;
  readonly qty: number;
  readonly price: number;
  readonly time: number;
  readonly commissionCents: number;
}

export interface Position {
  readonly side: Side;
  readonly qty: number;
  readonly entryPrice: number;
  readonly entryTime: number;
}

/** A closed round trip. Money in integer cents; times epoch ms of the bars they happened in. */
export interface Trade {
  readonly side: Side;
  readonly qty: number;
  readonly entryTime: number;
  readonly entryPrice: number;
  readonly exitTime: number;
  readonly exitPrice: number;
  readonly exitReason: ExitReason;
  readonly commissionCents: number;
  readonly pnlCents: number;
}
