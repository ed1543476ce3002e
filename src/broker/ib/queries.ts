import type { IBApi } from '@stoqey/ib';
import type { Bar } from '../../domain/bar.ts';
import { MES } from '../../domain/instrument.ts';
import type { Fill, Order } from '../../domain/trading.ts';
import type { AccountPnl, BrokerPosition } from '../port.ts';
import { CODES, IB_ADAPTER, IbBrokerError, isRetryable, isWarning } from './codes.ts';
import type { FutureContract } from './contract.ts';
import type { PortEvents } from './events.ts';
import { barSizeSetting, CONTINUOUS_MES, filterTime, futureFromDetails, historyDuration, isFinal, MES_FUTURES, orderFromOpenOrder, parseIbTime, statusOf } from './mapper.ts';
import type { OrderFlow } from './order-flow.ts';
import type { Timers } from './orders.ts';
import { FIXED, type Requests } from './requests.ts';
import type { Parsed, AccountSummaryArgs, ContractDetailsArgs, ExecDetailsArgs, HistoricalDataArgs, OpenOrderArgs, PositionArgs } from './schemas.ts';

export interface QueryContext {
  api(): IBApi;
  readonly requests: Requests;
  readonly orders: OrderFlow;
  readonly events: PortEvents;
  readonly timers: Timers;
  /** The account whose positions, executions and P&L count. */
  account(): string;
  readonly timeoutMs: number;
  readonly historyRetryMs: number;
  readonly historyRetries: number;
}

/**
 * The port's reads, each a TWS request answered by a stream and an end marker: contract
 * details, the gateway's clock, history (CONTFUT, retried after a pacing violation), open
 * orders, positions, executions with commissions, and the P&L from the account summary's
 * ledger. Everything is filtered to MES and to the traded account.
 */
export class Queries {
  private reqIds = 800_000_000;

  constructor(private readonly ctx: QueryContext) {}

  /** An id for a subscription that is not collected (real-time bars). */
  newReqId(): number {
    return this.reqIds++;
  }

  async futures(): Promise<FutureContract[]> {
    const items = (await this.ctx.requests.run('MES contract details', this.ctx.timeoutMs, (id) => this.ctx.api().reqContractDetails(id, MES_FUTURES))) as Array<Parsed<typeof ContractDetailsArgs>>;
    return items.map((a) => futureFromDetails(a[1])).filter((c): c is FutureContract => c !== null);
  }

  /** The gateway's clock, epoch ms. */
  async currentTime(): Promise<number> {
    const [t] = (await this.ctx.requests.run('current time', this.ctx.timeoutMs, () => this.ctx.api().reqCurrentTime(), FIXED.currentTime)) as number[];
    return (t ?? 0) * 1000;
  }

  onCurrentTime(t: number): void {
    this.ctx.requests.add(FIXED.currentTime, t);
    this.ctx.requests.end(FIXED.currentTime);
  }

  async history(minutes: number, count: number): Promise<Bar[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        const send = (id: number) => this.ctx.api().reqHistoricalData(id, CONTINUOUS_MES, '', historyDuration(minutes, count), barSizeSetting(minutes) as never, 'TRADES' as never, 0, 2, false);
        return (await this.ctx.requests.run('historical bars', this.ctx.timeoutMs, send)) as Bar[];
      } catch (e) {
        const pacing = e instanceof IbBrokerError && e.code === CODES.historicalPacing && /pacing/i.test(e.message);
        if (!pacing || attempt >= this.ctx.historyRetries) throw e;
        this.ctx.events.error({ code: CODES.historicalPacing, retryable: true, message: `history request paced by IB (162): asking again in ${this.ctx.historyRetryMs} ms (attempt ${attempt + 2} of ${this.ctx.historyRetries + 1})` });
        await new Promise<void>((resolve) => this.ctx.timers.setTimeout(resolve, this.ctx.historyRetryMs));
      }
    }
  }

  onHistoricalData([reqId, date, open, high, low, close, volume]: Parsed<typeof HistoricalDataArgs>): void {
    if (date.startsWith('finished')) return this.ctx.requests.end(reqId);
    const time = parseIbTime(date);
    if (time === null || !(open > 0 && high > 0 && low > 0 && close > 0)) {
      return this.ctx.requests.fail(reqId, new IbBrokerError(IB_ADAPTER.malformedMessage, `IB sent an unreadable historical bar (date '${date}', prices ${open}/${high}/${low}/${close})`, true));
    }
    this.ctx.requests.add(reqId, { time, open, high, low, close, volume: volume !== undefined && volume > 0 ? volume : 0 } satisfies Bar);
  }

  async openOrders(): Promise<Order[]> {
    const items = (await this.ctx.requests.run('open orders', this.ctx.timeoutMs, () => this.ctx.api().reqOpenOrders(), FIXED.openOrders)) as Array<Parsed<typeof OpenOrderArgs>>;
    const account = this.ctx.account();
    const byId = new Map<number, Order>();
    for (const a of items) {
      const [orderId, contract, order, state] = a;
      const filled = order.filledQuantity ?? 0;
      const status = statusOf(state.status, filled, order.totalQuantity - filled);
      if (contract.symbol !== MES.symbol || status === null || isFinal(status) || (order.account !== undefined && order.account !== '' && order.account !== account)) continue;
      const parentRef = order.parentId ? this.ctx.orders.tracker.byOrderId(order.parentId)?.ref : undefined;
      byId.set(orderId, orderFromOpenOrder(a, status, parentRef));
    }
    return [...byId.values()];
  }

  onOpenOrder(a: Parsed<typeof OpenOrderArgs>): void {
    this.ctx.orders.onOpenOrder(a);
    this.ctx.requests.add(FIXED.openOrders, a);
  }

  onOpenOrderEnd(): void {
    this.ctx.requests.end(FIXED.openOrders);
  }

  async positions(): Promise<BrokerPosition[]> {
    return (await this.mesPositions()).map(({ qty, avgPrice }) => ({ symbol: MES.symbol, qty, avgPrice }));
  }

  /** The account's open MES positions with the contract (conId) each is in. */
  async mesPositions(): Promise<Array<{ conId: number; localSymbol: string; qty: number; avgPrice: number }>> {
    const items = (await this.ctx.requests.run('positions', this.ctx.timeoutMs, () => this.ctx.api().reqPositions(), FIXED.positions)) as Array<Parsed<typeof PositionArgs>>;
    const account = this.ctx.account();
    return items
      .filter(([acct, c, qty]) => acct === account && c.symbol === MES.symbol && (c.secType ?? 'FUT') === 'FUT' && qty !== 0)
      .map(([, c, qty, avgCost]) => ({ conId: c.conId ?? 0, localSymbol: c.localSymbol ?? '', qty, avgPrice: (avgCost ?? 0) / (Number(c.multiplier) || MES.multiplier) }));
  }

  onPosition(a: Parsed<typeof PositionArgs>): void {
    this.ctx.requests.add(FIXED.positions, a);
  }

  onPositionEnd(): void {
    if (!this.ctx.requests.has(FIXED.positions)) return;
    this.ctx.requests.end(FIXED.positions);
    // reqPositions is a subscription: stop the updates until the next read.
    this.ctx.api().cancelPositions();
  }

  /** reqExecutions as IB answers it: the current day's executions only, whatever the filter asks. */
  async rawExecutions(time: number): Promise<Array<Parsed<typeof ExecDetailsArgs>>> {
    const filter = { acctCode: this.ctx.account(), time: filterTime(time), symbol: MES.symbol, secType: 'FUT' as never };
    return (await this.ctx.requests.run('executions', this.ctx.timeoutMs, (id) => this.ctx.api().reqExecutions(id, filter))) as Array<Parsed<typeof ExecDetailsArgs>>;
  }

  async executionsSince(time: number): Promise<Fill[]> {
    const items = await this.rawExecutions(time);
    const fills = await this.ctx.orders.fillsOf(items);
    const seen = new Set<string>();
    return fills.filter((f) => f.time >= time && !seen.has(f.execId) && seen.add(f.execId)).sort((a, b) => a.time - b.time);
  }

  async accountPnl(): Promise<AccountPnl> {
    const items = (await this.ctx.requests.run('account summary', this.ctx.timeoutMs, (id) => this.ctx.api().reqAccountSummary(id, 'All', '$LEDGER'))) as Array<Parsed<typeof AccountSummaryArgs>>;
    const account = this.ctx.account();
    const value = (tag: string) => {
      const row = items.find(([, acct, t]) => acct === account && t === tag);
      const n = row === undefined ? Number.NaN : Number(row[3]);
      if (!Number.isFinite(n)) throw new IbBrokerError(IB_ADAPTER.malformedMessage, `the account summary of ${account} has no readable ${tag} (got ${row?.[3] ?? 'nothing'})`, true);
      return Math.round(n * 100);
    };
    return { realisedCents: value('RealizedPnL'), unrealisedCents: value('UnrealizedPnL') };
  }

  onAccountSummaryEnd(reqId: number): void {
    if (!this.ctx.requests.has(reqId)) return;
    this.ctx.requests.end(reqId);
    // The summary is a subscription too; one answer is all a read needs.
    this.ctx.api().cancelAccountSummary(reqId);
  }

  /** TWS named a pending request: a warning is passed on, anything else fails the request. */
  onRequestMessage(code: number, text: string, reqId: number): void {
    if (isWarning(code)) {
      this.ctx.events.error({ code, message: text, retryable: true });
      return;
    }
    this.ctx.requests.fail(reqId, new IbBrokerError(code, `${text} (${code})`, isRetryable(code)));
  }
}
