import type { Bar } from '../domain/bar.ts';
import type { Fill, Order, OrderRequest, OrderStatus } from '../domain/trading.ts';

/**
 * The Broker port: everything the trading actors need from a venue. Adapters (`broker/sim`,
 * `broker/ib`) implement it; nothing but the composition root and tests imports an adapter.
 * Events are delivered in the order the venue reports them; handlers must not throw.
 */

export interface OrderUpdate {
  readonly ref: string;
  readonly status: OrderStatus;
  readonly filledQty: number;
  readonly avgFillPrice: number | null;
  readonly brokerId?: number;
  readonly message?: string;
  readonly time: number;
}

/** A position as the broker reports it: signed quantity (+ long, − short). */
export interface BrokerPosition {
  readonly symbol: string;
  readonly qty: number;
  readonly avgPrice: number;
}

export interface AccountPnl {
  readonly realisedCents: number;
  readonly unrealisedCents: number;
}

export type ConnectionEvent =
  | { readonly type: 'connected' }
  | { readonly type: 'disconnected'; readonly reason: string }
  /** Market data or order routing impaired (IB 1100, data-farm warnings); still connected. */
  | { readonly type: 'degraded'; readonly reason: string }
  /** Restored after a loss; `dataLost` (IB 1101) means subscriptions must be renewed. */
  | { readonly type: 'restored'; readonly dataLost: boolean };

export interface BrokerError {
  readonly code: number;
  readonly message: string;
  readonly ref?: string;
  /** true when the caller can retry later; false when an operator must act. */
  readonly retryable: boolean;
}

export interface BrokerEvents {
  /** A closed bar of the subscribed size. */
  bar: Bar;
  orderStatus: OrderUpdate;
  fill: Fill;
  connection: ConnectionEvent;
  error: BrokerError;
}

export type Unsubscribe = () => void;

/** An entry with its protective stop and target, sent as one unit. */
export interface Bracket {
  readonly entry: OrderRequest;
  /** parentRef = entry.ref, ocaGroup set: rests inactive until the entry fills. */
  readonly stop: OrderRequest;
  readonly target: OrderRequest;
}

/** The listed contract a venue trades, as it reports it. */
export interface BrokerContract {
  readonly localSymbol: string;
  readonly conId: number;
  /** YYYYMMDD: the last trading day. */
  readonly lastTradeDate: string;
  readonly exchange: string;
}

export interface Broker {
  readonly name: string;
  /** The contract orders and bars are for now (IB: the front month in use); null before it is resolved or on a venue without listed contracts. */
  tradedContract(): BrokerContract | null;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Starts delivering closed bars of `barMinutes` through the `bar` event. */
  subscribeBars(barMinutes: number): Promise<void>;
  /** The most recent closed bars (oldest first), for indicator warm-up. */
  history(barMinutes: number, count: number): Promise<Bar[]>;
  /** Places an order; `ref` is idempotent: a ref the broker already has is not placed twice. */
  placeOrder(order: OrderRequest): Promise<void>;
  /**
   * Places an entry with its stop and target as one unit: the children rest inactive at the venue
   * and activate as the entry fills, so the venue never holds the position without its stop.
   * Refs are idempotent as in placeOrder.
   */
  placeBracket(bracket: Bracket): Promise<void>;
  /** Moves a working stop or limit order to `price` in place (a modification, never cancel + new). */
  modifyOrder(ref: string, price: number): Promise<void>;
  cancelOrder(ref: string): Promise<void>;
  /** Cancels every working order of this account. */
  cancelAll(): Promise<void>;
  openOrders(): Promise<Order[]>;
  positions(): Promise<BrokerPosition[]>;
  /** Executions at or after `time` (epoch ms), oldest first. */
  executionsSince(time: number): Promise<Fill[]>;
  accountPnl(): Promise<AccountPnl>;
  on<K extends keyof BrokerEvents>(event: K, handler: (payload: BrokerEvents[K]) => void): Unsubscribe;
}
