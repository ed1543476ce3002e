import type { Bar } from '../../domain/bar.ts';
import { MES } from '../../domain/instrument.ts';
import { isOnGrid, moveCents, toCents } from '../../domain/money.ts';
import type { Fill, Order, OrderRequest, OrderStatus } from '../../domain/trading.ts';
import type { AccountPnl, BrokerEvents, BrokerPosition, OrderUpdate } from '../port.ts';
import { limitFillPrice, marketFillPrice, stopFillPrice } from './fill-model.ts';
import type { SimLot, SimVenueState, VenueDelta } from './venue-state.ts';

/**
 * The paper exchange: one MES account, pure and synchronous (no timers, no I/O), so the sim
 * broker, the fake IB gateway and tests drive it the same way. A bar is processed in explicit
 * phases so the caller can let the live system react between them, exactly in the backtester's
 * order of events (README "Backtest assumptions"):
 *   openPhase(bar)  working market orders fill at the open, with slippage;
 *   rangePhase(bar) working stops and limits are checked against open/high/low; a stop or limit
 *                   placed before this phase (e.g. a bracket placed after the entry filled in
 *                   openPhase) is live in this same bar — "from the fill bar on";
 *   closePhase(bar) records the last price and the bar time.
 * Every mutating call returns the events it caused, in order, instead of calling listeners: a
 * listener could place orders while the book is being walked, and a returned list cannot.
 * Times of fills and order updates are the open time of the current bar: the bar stream is the
 * venue's clock. Rejections are events (`orderStatus` rejected with a message), never throws.
 */

export interface SimExchangeSettings {
  readonly slippageTicks: number;
  /** Dollars per contract per side. */
  readonly commissionPerContract: number;
}

type EventType = 'orderStatus' | 'fill' | 'error';
export type ExchangeEvent = { [K in EventType]: { readonly type: K; readonly payload: BrokerEvents[K] } }[EventType];

/** TWS's codes, so the IB adapter and the sim read alike: 10147 the order to cancel is not found; 10148 it is already finished; 10149 an invalid modification. */
export const SIM_ERROR = { cancelUnknown: 10147, cancelFinished: 10148, badModify: 10149 } as const;

/** Executions kept for executionsSince() and snapshots. */
export const MAX_EXECUTIONS = 10_000;
/** Finished orders kept so a repeated ref is still recognised; working orders are always kept. */
export const MAX_FINISHED_ORDERS = 10_000;
/** Trimming in batches keeps the per-fill cost constant. */
const TRIM_SLACK = 1_000;

type BarClock = { barsClosed: number; lastBarTime: number | null; lastPrice: number | null };

type SimOrder = { -readonly [K in keyof Order]: Order[K] } & { brokerId: number };

const isWorking = (s: OrderStatus): boolean => s === 'pending' || s === 'submitted' || s === 'partially_filled';

export class SimExchange {
  private readonly orders = new Map<string, SimOrder>();
  /** Insertion-ordered, so phases fill orders in the order they were placed. */
  private readonly working = new Set<SimOrder>();
  private lots: SimLot[] = [];
  private executions: Fill[] = [];
  private realisedCents = 0;
  private clk: BarClock = { barsClosed: 0, lastBarTime: null, lastPrice: null };
  private nextExecId = 1;
  private nextBrokerId = 1;
  private now = 0;
  private duplicateRefs = 0;
  private readonly commissionCents: number;
  /** What changed since the last delta(): the venue persists only that. */
  private readonly dirty = new Set<SimOrder>();
  private removed: string[] = [];
  private added: Fill[] = [];

  constructor(private readonly settings: SimExchangeSettings) {
    if (!(Number.isInteger(settings.slippageTicks) && settings.slippageTicks >= 0)) throw new RangeError(`slippageTicks must be a whole number ≥ 0, got ${settings.slippageTicks}`);
    if (!(settings.commissionPerContract >= 0)) throw new RangeError(`commissionPerContract must be ≥ 0 dollars, got ${settings.commissionPerContract}`);
    this.commissionCents = toCents(settings.commissionPerContract);
  }

  /** Rebuilds an exchange from a snapshot; fill settings come from the current config. */
  static restore(state: SimVenueState, settings: SimExchangeSettings): SimExchange {
    const ex = new SimExchange(settings);
    for (const o of state.orders) {
      const order: SimOrder = { ...o, brokerId: o.brokerId ?? ex.nextBrokerId++ };
      ex.orders.set(order.ref, order);
      if (isWorking(order.status)) ex.working.add(order);
    }
    ex.lots = state.lots.map((l) => ({ ...l }));
    ex.executions = state.executions.map((f) => ({ ...f }));
    ex.realisedCents = state.realisedCents;
    ex.clk = { barsClosed: state.barsClosed, lastBarTime: state.lastBarTime, lastPrice: state.lastPrice };
    ex.nextExecId = state.nextExecId;
    ex.nextBrokerId = Math.max(ex.nextBrokerId, state.nextBrokerId);
    ex.now = state.lastBarTime ?? 0;
    ex.duplicateRefs = state.duplicateRefs ?? 0;
    return ex;
  }

  snapshot(): SimVenueState {
    return {
      version: 1,
      orders: [...this.orders.values()].map((o) => ({ ...o })),
      lots: this.lots.map((l) => ({ ...l })),
      executions: this.executions.slice(-MAX_EXECUTIONS).map((f) => ({ ...f })),
      realisedCents: this.realisedCents,
      ...this.clk,
      nextExecId: this.nextExecId,
      nextBrokerId: this.nextBrokerId,
      duplicateRefs: this.duplicateRefs,
    };
  }

  /** The changes since the last call: orders changed or dropped, new executions, and the small account part. */
  delta(): VenueDelta {
    const d: VenueDelta = {
      orders: [...this.dirty].filter((o) => this.orders.get(o.ref) === o).map((o) => ({ ...o })),
      removedOrders: this.removed,
      executions: this.added,
      keepExecutions: MAX_EXECUTIONS,
      account: { lots: this.lots.map((l) => ({ ...l })), realisedCents: this.realisedCents, ...this.clk, nextExecId: this.nextExecId, nextBrokerId: this.nextBrokerId, duplicateRefs: this.duplicateRefs },
    };
    this.dirty.clear();
    this.removed = [];
    this.added = [];
    return d;
  }

  /** Forgets what changed since the last delta(): for a venue nobody persists, which would otherwise keep every order and execution. */
  discardChanges(): void {
    this.dirty.clear();
    this.removed = [];
    this.added = [];
  }

  /** Refs placed again after the venue already had them (ignored, as IB refuses a duplicate order id). */
  get duplicatesRefused(): number {
    return this.duplicateRefs;
  }

  /** Where the venue's bar clock stands: bars closed so far, the last bar's time and close. */
  get clock(): Readonly<BarClock> {
    return { ...this.clk };
  }

  /**
   * Puts an order in the book. A ref the exchange already has is ignored (no events) and the
   * existing order returned. `rejectReason` forces a rejection (fault injection).
   */
  place(req: OrderRequest, rejectReason?: string): { readonly order: Order; readonly events: ExchangeEvent[] } {
    const existing = this.orders.get(req.ref);
    if (existing !== undefined) {
      this.duplicateRefs++;
      return { order: { ...existing }, events: [] };
    }
    const o: SimOrder = { ...req, status: 'submitted', filledQty: 0, avgFillPrice: null, brokerId: this.nextBrokerId++ };
    this.orders.set(o.ref, o);
    this.touch(o);
    const events: ExchangeEvent[] = [];
    const problem = rejectReason ?? this.validate(req);
    if (problem !== null) {
      o.status = 'rejected';
      events.push(this.statusEvent(o, problem));
    } else {
      const parent = req.parentRef === undefined ? undefined : this.orders.get(req.parentRef);
      // A child waits (IB shows it as inactive) until its parent fills; after that it is a normal order.
      if (parent !== undefined && parent.status !== 'filled') o.status = 'pending';
      this.working.add(o);
      events.push(this.statusEvent(o));
    }
    this.trimFinished();
    return { order: { ...o }, events };
  }

  /** Moves a working stop or limit to `price`; the order keeps its ref, place in the book and OCA group. */
  modify(ref: string, price: number): ExchangeEvent[] {
    const o = this.orders.get(ref);
    if (o === undefined) return [{ type: 'error', payload: { code: SIM_ERROR.cancelUnknown, ref, retryable: false, message: `modify: no order with ref '${ref}'` } }];
    if (!isWorking(o.status)) return [{ type: 'error', payload: { code: SIM_ERROR.cancelFinished, ref, retryable: false, message: `modify: order '${ref}' is already ${o.status}` } }];
    if (o.type === 'market' || !(price > 0) || !isOnGrid(price)) return [{ type: 'error', payload: { code: SIM_ERROR.badModify, ref, retryable: false, message: `modify: '${ref}' is a ${o.type} order; a new price must be a positive price on the ${MES.tickSize} grid, got ${price}` } }];
    o.price = price;
    this.touch(o);
    return [this.statusEvent(o)];
  }

  cancel(ref: string): ExchangeEvent[] {
    const o = this.orders.get(ref);
    if (o === undefined) return [{ type: 'error', payload: { code: SIM_ERROR.cancelUnknown, ref, retryable: false, message: `cancel: no order with ref '${ref}'` } }];
    if (!isWorking(o.status)) return [{ type: 'error', payload: { code: SIM_ERROR.cancelFinished, ref, retryable: false, message: `cancel: order '${ref}' is already ${o.status}` } }];
    const events: ExchangeEvent[] = [];
    this.finish(o, 'cancelled', 'cancelled by request', events);
    return events;
  }

  cancelAll(): ExchangeEvent[] {
    const events: ExchangeEvent[] = [];
    for (const o of [...this.working]) if (isWorking(o.status)) this.finish(o, 'cancelled', 'cancelled by cancelAll', events);
    return events;
  }

  openPhase(bar: Bar): ExchangeEvent[] {
    this.now = bar.time;
    const events: ExchangeEvent[] = [];
    // Only orders working when the phase starts: a market child released by a fill here waits for the next open.
    for (const o of [...this.working]) {
      if (o.type === 'market' && o.status === 'submitted') this.fill(o, marketFillPrice(bar.open, o.action, this.settings.slippageTicks), events);
    }
    return events;
  }

  rangePhase(bar: Bar): ExchangeEvent[] {
    this.now = bar.time;
    const events: ExchangeEvent[] = [];
    // Stops before limits: when one OCA group's stop and target both trigger in a bar the stop
    // wins (we cannot know which came first, so assume the worse), and the target is then cancelled.
    // Children released by a fill in this phase start with the next bar, for the same reason.
    const live = [...this.working].filter((o) => o.status === 'submitted' && o.type !== 'market');
    live.sort((a, b) => (a.type === b.type ? 0 : a.type === 'stop' ? -1 : 1));
    const slip = this.settings.slippageTicks;
    for (const o of live) {
      if (o.status !== 'submitted') continue;
      const px = o.type === 'stop' ? stopFillPrice(o.action, o.price!, bar.open, bar.high, bar.low, slip) : limitFillPrice(o.action, o.price!, bar.open, bar.high, bar.low);
      if (px !== null) this.fill(o, px, events);
    }
    return events;
  }

  closePhase(bar: Bar): void {
    this.now = bar.time;
    this.clk = { barsClosed: this.clk.barsClosed + 1, lastBarTime: bar.time, lastPrice: bar.close };
  }

  order(ref: string): Order | undefined {
    const o = this.orders.get(ref);
    return o === undefined ? undefined : { ...o };
  }

  openOrders(): Order[] {
    return [...this.working].map((o) => ({ ...o }));
  }

  /** The MES position, or nothing when flat. */
  positions(): BrokerPosition[] {
    const qty = this.lots.reduce((s, l) => s + l.qty, 0);
    if (qty === 0) return [];
    const cost = this.lots.reduce((s, l) => s + Math.abs(l.qty) * l.price, 0);
    return [{ symbol: MES.symbol, qty, avgPrice: cost / Math.abs(qty) }];
  }

  /** Executions at or after `time` (epoch ms), oldest first. */
  executionsSince(time: number): Fill[] {
    return this.executions.filter((f) => f.time >= time).map((f) => ({ ...f }));
  }

  /**
   * Realised: closed contracts net of both commissions. Unrealised: the open lots marked at
   * `markPrice` (default the last close) net of their entry commission — the engine's arithmetic,
   * so realised + unrealised is the engine's equity minus the initial capital.
   */
  accountPnl(markPrice: number | null = this.clk.lastPrice): AccountPnl {
    let unrealisedCents = 0;
    for (const l of this.lots) {
      const q = Math.abs(l.qty);
      unrealisedCents += (markPrice === null ? 0 : moveCents(l.price, markPrice, q, l.qty > 0 ? 1 : -1)) - q * l.commissionCents;
    }
    return { realisedCents: this.realisedCents, unrealisedCents };
  }

  private validate(req: OrderRequest): string | null {
    if (typeof req.ref !== 'string' || req.ref === '') return `ref must be a non-empty string, got ${JSON.stringify(req.ref)}`;
    if (req.action !== 'buy' && req.action !== 'sell') return `action must be 'buy' or 'sell', got ${JSON.stringify(req.action)}`;
    if (req.type !== 'market' && req.type !== 'stop' && req.type !== 'limit') return `type must be 'market', 'stop' or 'limit', got ${JSON.stringify(req.type)}`;
    if (!(Number.isInteger(req.qty) && req.qty > 0)) return `qty must be a whole number of contracts ≥ 1, got ${req.qty}`;
    if (req.type !== 'market') {
      const p = req.price;
      if (p === undefined || !(p > 0) || !isOnGrid(p)) return `${req.type} price must be a positive price on the ${MES.tickSize} tick grid, got ${p}; round it to a multiple of ${MES.tickSize}`;
    }
    if (req.parentRef !== undefined) {
      const parent = this.orders.get(req.parentRef);
      if (parent === undefined) return `parentRef '${req.parentRef}' is not a known order; place the parent first`;
      if (parent.status === 'cancelled' || parent.status === 'rejected') return `parent order '${req.parentRef}' is ${parent.status}; a child of it can never become active`;
    }
    return null;
  }

  private fill(o: SimOrder, price: number, events: ExchangeEvent[]): void {
    const fill: Fill = { orderRef: o.ref, execId: `sim-${this.nextExecId++}`, action: o.action, qty: o.qty, price, time: this.now, commissionCents: this.commissionCents * o.qty };
    this.book(fill);
    this.executions.push(fill);
    this.added.push({ ...fill });
    if (this.executions.length > MAX_EXECUTIONS + TRIM_SLACK) this.executions = this.executions.slice(-MAX_EXECUTIONS);
    o.filledQty = o.qty;
    o.avgFillPrice = price;
    o.status = 'filled';
    this.touch(o);
    this.working.delete(o);
    // The fill first, so a listener knows the price before it sees the order finished.
    events.push({ type: 'fill', payload: { ...fill } }, this.statusEvent(o));
    for (const s of [...this.working]) {
      if (o.ocaGroup !== undefined && s.ocaGroup === o.ocaGroup) this.finish(s, 'cancelled', `OCA group '${o.ocaGroup}': '${o.ref}' filled`, events);
      else if (s.parentRef === o.ref && s.status === 'pending') {
        s.status = 'submitted';
        this.touch(s);
        events.push(this.statusEvent(s));
      }
    }
    this.trimFinished();
  }

  /** Applies a fill to the FIFO lots: closes opposite lots first, opens the rest. */
  private book(f: Fill): void {
    const dir = f.action === 'buy' ? 1 : -1;
    let left = f.qty;
    while (left > 0 && this.lots.length > 0 && Math.sign(this.lots[0]!.qty) === -dir) {
      const lot = this.lots[0]!;
      const q = Math.min(left, Math.abs(lot.qty));
      this.realisedCents += moveCents(lot.price, f.price, q, dir === 1 ? -1 : 1) - q * (lot.commissionCents + this.commissionCents);
      left -= q;
      if (q === Math.abs(lot.qty)) this.lots.shift();
      else this.lots[0] = { ...lot, qty: lot.qty + dir * q };
    }
    if (left > 0) this.lots.push({ qty: dir * left, price: f.price, commissionCents: this.commissionCents });
  }

  /** Ends a working order; its waiting children can never activate, so they end with it. */
  private finish(o: SimOrder, status: 'cancelled', message: string, events: ExchangeEvent[]): void {
    if (!isWorking(o.status)) return;
    o.status = status;
    this.touch(o);
    this.working.delete(o);
    events.push(this.statusEvent(o, message));
    for (const c of [...this.working]) if (c.parentRef === o.ref) this.finish(c, status, `parent '${o.ref}' ${status}`, events);
  }

  private touch(o: SimOrder): void {
    this.dirty.add(o);
  }

  private statusEvent(o: SimOrder, message?: string): ExchangeEvent {
    const update: OrderUpdate = { ref: o.ref, status: o.status, filledQty: o.filledQty, avgFillPrice: o.avgFillPrice, brokerId: o.brokerId, time: this.now, ...(message === undefined ? {} : { message }) };
    return { type: 'orderStatus', payload: update };
  }

  private trimFinished(): void {
    if (this.orders.size <= MAX_FINISHED_ORDERS + this.working.size + TRIM_SLACK) return;
    let excess = this.orders.size - this.working.size - MAX_FINISHED_ORDERS;
    // Map order is placement order, so this drops the oldest finished orders.
    for (const [ref, o] of this.orders) {
      if (excess <= 0) break;
      if (!isWorking(o.status)) {
        this.orders.delete(ref);
        this.removed.push(ref);
        excess--;
      }
    }
  }
}
