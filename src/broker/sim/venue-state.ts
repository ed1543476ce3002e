import * as v from 'valibot';
import { REGIME_OPTIONS } from '../../market/regimes.ts';
import type { RegimeOption } from '../../market/regimes.ts';
import type { Bar } from '../../domain/bar.ts';
import type { Fill, Order } from '../../domain/trading.ts';

/**
 * What the paper exchange must remember to survive a kill -9: the account (orders, position,
 * executions, realised P&L) and where the simulated market stands. Plain JSON, so the service
 * can keep it in one SQLite row; the feed itself is not stored because the market simulator is
 * deterministic by seed and is fast-forwarded to `feed.nextBarIndex` on restore.
 */

/** Contracts opened at one price; the position is a FIFO list of these, so realised P&L stays exact in ticks. */
export interface SimLot {
  /** Signed: + long, − short. Every lot of a position has the same sign. */
  readonly qty: number;
  readonly price: number;
  /** Entry commission per contract, cents: charged to realised P&L when the lot closes. */
  readonly commissionCents: number;
}

/** Which simulated market the account trades, and the index of the next bar it will produce. */
export interface SimFeedState {
  readonly seed: number;
  readonly regime: RegimeOption;
  readonly startPrice: number;
  readonly barMinutes: number;
  /** UTC ms the simulator starts from (its first bar is the first open bar at or after it). */
  readonly start: number;
  readonly nextBarIndex: number;
}

export interface SimVenueState {
  readonly version: 1;
  /** Working orders and the most recent finished ones (kept so a repeated ref is still recognised). */
  readonly orders: readonly Order[];
  readonly lots: readonly SimLot[];
  /** The most recent executions, oldest first. */
  readonly executions: readonly Fill[];
  readonly realisedCents: number;
  /** Bars the exchange has closed since the account was opened. */
  readonly barsClosed: number;
  readonly lastBarTime: number | null;
  readonly lastPrice: number | null;
  readonly nextExecId: number;
  readonly nextBrokerId: number;
  /** Orders placed under a ref the venue already had (refused); absent in older saves. */
  readonly duplicateRefs?: number;
  /** Set by SimBroker; absent when the exchange is driven by someone else (e.g. a test). */
  readonly feed?: SimFeedState;
  /** A bar whose phases had started when this was saved: a restart finishes it instead of skipping it. */
  readonly inBar?: InBar;
}

/** The bar being processed and the last phase whose results were saved (written before they were sent). */
export interface InBar {
  readonly bar: Bar;
  readonly done: 'open' | 'range';
}

/** The small part of the state, rewritten whole at every save. */
export type VenueAccount = Omit<SimVenueState, 'version' | 'orders' | 'executions'>;

/**
 * What changed since the last save: a save writes only this, so its cost does not grow with the
 * account's history (orders and executions are rows of their own).
 */
export interface VenueDelta {
  /** Orders placed or changed, in placement order. */
  readonly orders: readonly Order[];
  /** Finished orders dropped from the venue's memory. */
  readonly removedOrders: readonly string[];
  /** New executions, oldest first. */
  readonly executions: readonly Fill[];
  /** How many of the newest executions to keep. */
  readonly keepExecutions: number;
  readonly account: VenueAccount;
}

/** Where the sim venue keeps its state between runs; the service backs it with SQLite. */
export interface VenueStateStore {
  load(): SimVenueState | null;
  save(delta: VenueDelta): void;
}

/**
 * An in-memory store that copies through JSON, so tests see exactly what database rows would hold.
 * Like the SQLite store it applies each delta in place, so a save costs what changed, not the history.
 */
export function memoryVenueStore(initial: SimVenueState | null = null): VenueStateStore & { readonly saved: () => SimVenueState | null } {
  const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
  let account: VenueAccount | null = null;
  const orders = new Map<string, Order>();
  let executions: Fill[] = [];
  if (initial !== null) {
    const { version: _v, orders: o, executions: e, ...rest } = copy(initial);
    account = rest;
    for (const order of o) orders.set(order.ref, order);
    executions = [...e];
  }
  const read = (): SimVenueState | null => (account === null ? null : copy({ version: 1 as const, orders: [...orders.values()], executions, ...account }));
  return {
    load: read,
    save: (delta) => {
      const d = copy(delta);
      for (const ref of d.removedOrders) orders.delete(ref);
      for (const o of d.orders) orders.set(o.ref, o);
      if (d.executions.length > 0) {
        executions.push(...d.executions);
        if (executions.length > d.keepExecutions) executions = executions.slice(-d.keepExecutions);
      }
      account = d.account;
    },
    saved: read,
  };
}

const num = v.pipe(v.number(), v.finite());
const int = v.pipe(v.number(), v.integer());
const action = v.picklist(['buy', 'sell']);

const OrderSchema = v.object({
  ref: v.string(),
  action,
  type: v.picklist(['market', 'stop', 'limit']),
  qty: num,
  price: v.optional(num),
  ocaGroup: v.optional(v.string()),
  parentRef: v.optional(v.string()),
  reason: v.optional(v.picklist(['entry', 'signal', 'stop', 'target', 'max_hold', 'daily_loss', 'drawdown', 'end_of_data', 'flatten', 'shutdown'])),
  status: v.picklist(['pending', 'submitted', 'partially_filled', 'filled', 'cancelled', 'rejected']),
  filledQty: num,
  avgFillPrice: v.nullable(num),
  brokerId: v.optional(int),
});

const FillSchema = v.object({ orderRef: v.string(), execId: v.string(), action, qty: num, price: num, time: num, commissionCents: int });

const StateSchema = v.object({
  version: v.literal(1),
  orders: v.array(OrderSchema),
  lots: v.array(v.object({ qty: int, price: num, commissionCents: int })),
  executions: v.array(FillSchema),
  realisedCents: int,
  barsClosed: int,
  lastBarTime: v.nullable(num),
  lastPrice: v.nullable(num),
  nextExecId: int,
  nextBrokerId: int,
  duplicateRefs: v.optional(int),
  feed: v.optional(
    v.object({ seed: num, regime: v.picklist(REGIME_OPTIONS), startPrice: num, barMinutes: int, start: num, nextBarIndex: v.pipe(int, v.minValue(0)) }),
  ),
  inBar: v.optional(
    v.object({
      bar: v.object({ time: num, open: num, high: num, low: num, close: num, volume: num }),
      done: v.picklist(['open', 'range']),
    }),
  ),
});

/**
 * Checks a stored state before the venue trusts it. A bad row is an operator problem (the
 * database was edited or written by another version): the message names the field and the fix.
 */
export function parseVenueState(data: unknown): SimVenueState {
  const result = v.safeParse(StateSchema, data);
  if (result.success) return result.output as SimVenueState;
  const issue = result.issues[0];
  const path = v.getDotPath(issue) ?? '(root)';
  throw new Error(
    `stored sim venue state is invalid at '${path}': ${issue.message}. ` +
      'Delete the saved sim venue state to start a fresh paper account (sim mode only; no real money is involved).',
  );
}
