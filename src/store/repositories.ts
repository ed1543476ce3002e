import { AuditRepository } from './audit.ts';
import { BreakerEventsRepository } from './breaker.ts';
import { DailyPnlRepository } from './daily-pnl.ts';
import type { Store } from './db.ts';
import { FactsRepository } from './facts.ts';
import { FillsRepository } from './fills.ts';
import { JournalTradesRepository, type JournalTradeInput } from './journal-trades.ts';
import { OrdersRepository } from './orders.ts';
import { OutboxRepository } from './outbox.ts';
import { recordClosedTrade, type RecordedTrade } from './record-trade.ts';
import { RunsRepository } from './runs.ts';
import { crashPoint } from './crash-points.ts';
import { inRelaxedTransaction, inTransaction } from './transaction.ts';
import { TransitionsRepository } from './transitions.ts';

export interface Repositories {
  readonly runs: RunsRepository;
  readonly orders: OrdersRepository;
  readonly fills: FillsRepository;
  readonly trades: JournalTradesRepository;
  readonly facts: FactsRepository;
  readonly breaker: BreakerEventsRepository;
  readonly dailyPnl: DailyPnlRepository;
  readonly outbox: OutboxRepository;
  readonly audit: AuditRepository;
  readonly transitions: TransitionsRepository;
  /** Writes that span repositories (an order with its alert, a fill with its order's status) commit together. */
  transaction<T>(work: () => T): T;
  /** For rebuildable per-bar facts: atomic, but no fsync (see inRelaxedTransaction). */
  relaxedTransaction<T>(work: () => T): T;
  /** True inside a transaction: what commits there is decided by the outermost one. */
  inTransaction(): boolean;
  recordClosedTrade(trade: JournalTradeInput, at: number): RecordedTrade;
}

/** Every repository over one store, for the service's composition root. */
export function createRepositories(store: Store): Repositories {
  const trades = new JournalTradesRepository(store);
  const dailyPnl = new DailyPnlRepository(store);
  return {
    runs: new RunsRepository(store),
    orders: new OrdersRepository(store),
    fills: new FillsRepository(store),
    trades,
    facts: new FactsRepository(store),
    breaker: new BreakerEventsRepository(store),
    dailyPnl,
    outbox: new OutboxRepository(store),
    audit: new AuditRepository(store),
    transitions: new TransitionsRepository(store),
    transaction: (work) => committed(inTransaction(store, work)),
    relaxedTransaction: (work) => committed(inRelaxedTransaction(store, work)),
    inTransaction: () => store.db.inTransaction,
    recordClosedTrade: (trade, at) => recordClosedTrade(store, { trades, dailyPnl }, trade, at),
  };
}

/** Every commit is a crash point (see crash-points.ts): a test can kill the process right after it. */
function committed<T>(out: T): T {
  crashPoint('commit');
  return out;
}
