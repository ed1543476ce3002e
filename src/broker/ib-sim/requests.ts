import { V } from './versions.ts';

/**
 * The client's messages, decoded by message id for the negotiated server version. Field orders
 * follow IB's encoder (EClient) as @stoqey/ib (dist/core/io/encoder.js) and ib_async
 * (client.py) write it at that version: e.g. placeOrder loses its version field at 145,
 * reqHistoricalData at 124, cancelOrder at 192. Only the leading fields a request needs are
 * read: a placeOrder carries some hundred fields, of which the gateway uses the contract, the
 * order basics, orderRef, transmit, parentId and ocaType. A message that ends too early or holds
 * a value of the wrong kind is answered as TWS answers it: error 320 (could not read) or 321.
 */

export const OUT = {
  REQ_MKT_DATA: 1, CANCEL_MKT_DATA: 2, PLACE_ORDER: 3, CANCEL_ORDER: 4, REQ_OPEN_ORDERS: 5, REQ_ACCOUNT_UPDATES: 6, REQ_EXECUTIONS: 7, REQ_IDS: 8,
  REQ_CONTRACT_DATA: 9, REQ_AUTO_OPEN_ORDERS: 15, REQ_ALL_OPEN_ORDERS: 16, REQ_MANAGED_ACCTS: 17, REQ_HISTORICAL_DATA: 20,
  CANCEL_HISTORICAL_DATA: 25, REQ_CURRENT_TIME: 49, REQ_REAL_TIME_BARS: 50, CANCEL_REAL_TIME_BARS: 51, REQ_GLOBAL_CANCEL: 58,
  REQ_MARKET_DATA_TYPE: 59, REQ_POSITIONS: 61, REQ_ACCOUNT_SUMMARY: 62, CANCEL_ACCOUNT_SUMMARY: 63, CANCEL_POSITIONS: 64, START_API: 71,
  REQ_ACCOUNT_UPDATES_MULTI: 76, CANCEL_ACCOUNT_UPDATES_MULTI: 77, REQ_COMPLETED_ORDERS: 99,
} as const;

export interface ContractFields {
  readonly conId: number;
  readonly symbol: string;
  readonly secType: string;
  readonly lastTradeDate: string;
  readonly multiplier: string;
  readonly exchange: string;
  readonly currency: string;
  readonly localSymbol: string;
}

export interface OrderFields {
  readonly action: string;
  readonly qty: number;
  readonly orderType: string;
  readonly lmtPrice: number | null;
  readonly auxPrice: number | null;
  readonly tif: string;
  readonly ocaGroup: string;
  /** 1 cancel the others with block, 2 reduce the others with block, 3 reduce without block (0: none given). */
  readonly ocaType: number;
  readonly account: string;
  readonly orderRef: string;
  readonly transmit: boolean;
  readonly parentId: number;
}

export type ClientRequest =
  | { type: 'startApi'; clientId: number }
  | { type: 'reqIds' }
  | { type: 'currentTime' }
  | { type: 'managedAccounts' }
  | { type: 'contractDetails'; reqId: number; contract: ContractFields }
  | { type: 'realTimeBars'; reqId: number; contract: ContractFields; barSize: number; whatToShow: string }
  | { type: 'cancelRealTimeBars'; reqId: number }
  | { type: 'historicalData'; reqId: number; contract: ContractFields; endDateTime: string; barSize: string; duration: string; whatToShow: string; formatDate: number }
  | { type: 'cancelHistoricalData'; reqId: number }
  | { type: 'placeOrder'; orderId: number; contract: ContractFields; order: OrderFields }
  | { type: 'cancelOrder'; orderId: number }
  | { type: 'marketData'; reqId: number; contract: ContractFields; genericTicks: string; snapshot: boolean }
  | { type: 'cancelMarketData'; reqId: number }
  | { type: 'marketDataType'; dataType: number }
  | { type: 'accountUpdates'; subscribe: boolean; account: string }
  | { type: 'accountUpdatesMulti'; reqId: number }
  | { type: 'completedOrders' }
  | { type: 'openOrders'; all: boolean }
  | { type: 'executions'; reqId: number; acctCode: string; time: string; symbol: string }
  | { type: 'globalCancel' }
  | { type: 'positions' }
  | { type: 'accountSummary'; reqId: number; tags: string }
  | { type: 'cancelAccountSummary'; reqId: number }
  /** Valid TWS requests this gateway has no data for (market data ticks, FA, news…): ignored. */
  | { type: 'ignored'; msgId: number };

/** A request TWS would refuse: `code` 320/321/505, `reqId` when the message carried one. */
export class RequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reqId = -1,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

class Reader {
  private i = 1;
  reqId = -1;
  constructor(
    private readonly fields: readonly string[],
    private readonly what: string,
  ) {}

  str(name: string): string {
    const v = this.fields[this.i++];
    if (v === undefined) throw new RequestError(320, `Server error when reading an API client request: ${this.what} ended before its field '${name}'`, this.reqId);
    return v;
  }

  int(name: string): number {
    const s = this.str(name);
    if (s === '') return 0;
    if (!/^-?\d+$/.test(s)) throw this.invalid(name, s, 'a whole number');
    return Number(s);
  }

  num(name: string): number | null {
    const s = this.str(name);
    if (s === '') return null;
    const n = Number(s);
    if (!Number.isFinite(n)) throw this.invalid(name, s, 'a number');
    return n;
  }

  bool(name: string): boolean {
    return this.int(name) !== 0;
  }

  skip(n: number): void {
    for (let k = 0; k < n; k++) this.str('(skipped)');
  }

  /** Reads the request id and remembers it, so a later error names it. */
  req(): number {
    this.reqId = this.int('reqId');
    return this.reqId;
  }

  /** The contract as the encoder writes it for placeOrder/realtime bars/history: conId … tradingClass. */
  contract(withPrimary = true): ContractFields {
    const conId = this.int('conId');
    const symbol = this.str('symbol');
    const secType = this.str('secType');
    const lastTradeDate = this.str('lastTradeDateOrContractMonth');
    this.num('strike');
    this.str('right');
    const multiplier = this.str('multiplier');
    const exchange = this.str('exchange');
    if (withPrimary) this.str('primaryExch');
    const currency = this.str('currency');
    const localSymbol = this.str('localSymbol');
    this.str('tradingClass');
    return { conId, symbol, secType, lastTradeDate, multiplier, exchange, currency, localSymbol };
  }

  private invalid(name: string, value: string, expected: string): RequestError {
    return new RequestError(321, `Server error when validating an API client request: ${this.what} field '${name}' must be ${expected}, got '${value}'`, this.reqId);
  }
}

const IGNORED = new Set<number>([OUT.REQ_AUTO_OPEN_ORDERS, OUT.CANCEL_POSITIONS, OUT.CANCEL_ACCOUNT_UPDATES_MULTI]);

/** Decodes one client message (fields of a frame) at server version `v`; throws RequestError the way TWS would answer. */
export function decodeRequest(fields: readonly string[], v: number): ClientRequest {
  const head = fields[0] ?? '';
  if (!/^\d+$/.test(head)) throw new RequestError(505, `Fatal Error: Unknown message id '${head.slice(0, 20)}'`);
  const id = Number(head);
  const r = new Reader(fields, `message ${id}`);
  switch (id) {
    case OUT.START_API: {
      r.int('version');
      return { type: 'startApi', clientId: r.int('clientId') };
    }
    case OUT.REQ_IDS:
      r.int('version');
      r.int('numIds');
      return { type: 'reqIds' };
    case OUT.REQ_CURRENT_TIME:
      r.int('version');
      return { type: 'currentTime' };
    case OUT.REQ_MANAGED_ACCTS:
      r.int('version');
      return { type: 'managedAccounts' };
    case OUT.REQ_CONTRACT_DATA: {
      r.int('version');
      const reqId = r.req();
      return { type: 'contractDetails', reqId, contract: r.contract() };
    }
    case OUT.REQ_REAL_TIME_BARS: {
      r.int('version');
      const reqId = r.req();
      const contract = r.contract();
      return { type: 'realTimeBars', reqId, contract, barSize: r.int('barSize'), whatToShow: r.str('whatToShow') };
    }
    case OUT.CANCEL_REAL_TIME_BARS:
    case OUT.CANCEL_HISTORICAL_DATA:
    case OUT.CANCEL_ACCOUNT_SUMMARY: {
      r.int('version');
      const reqId = r.req();
      const type = id === OUT.CANCEL_REAL_TIME_BARS ? 'cancelRealTimeBars' : id === OUT.CANCEL_HISTORICAL_DATA ? 'cancelHistoricalData' : 'cancelAccountSummary';
      return { type, reqId };
    }
    case OUT.REQ_HISTORICAL_DATA: {
      if (v < V.SYNT_REALTIME_BARS) r.int('version');
      const reqId = r.req();
      const contract = r.contract();
      r.bool('includeExpired');
      const endDateTime = r.str('endDateTime');
      const barSize = r.str('barSizeSetting');
      const duration = r.str('durationStr');
      r.bool('useRTH');
      const whatToShow = r.str('whatToShow');
      return { type: 'historicalData', reqId, contract, endDateTime, barSize, duration, whatToShow, formatDate: r.int('formatDate') };
    }
    case OUT.PLACE_ORDER:
      return placeOrder(r, v);
    case OUT.CANCEL_ORDER: {
      if (v < V.CME_TAGGING_FIELDS) r.int('version');
      return { type: 'cancelOrder', orderId: r.req() };
    }
    case OUT.REQ_MKT_DATA: {
      r.int('version');
      const reqId = r.req();
      const contract = r.contract();
      // A FUT request carries no combo legs; then the delta-neutral flag, generic ticks and snapshot.
      if (r.bool('deltaNeutralContract')) r.skip(3);
      const genericTicks = r.str('genericTickList');
      return { type: 'marketData', reqId, contract, genericTicks, snapshot: r.bool('snapshot') };
    }
    case OUT.CANCEL_MKT_DATA: {
      r.int('version');
      return { type: 'cancelMarketData', reqId: r.req() };
    }
    case OUT.REQ_ACCOUNT_UPDATES: {
      r.int('version');
      const subscribe = r.bool('subscribe');
      return { type: 'accountUpdates', subscribe, account: r.str('acctCode') };
    }
    case OUT.REQ_ACCOUNT_UPDATES_MULTI: {
      r.int('version');
      return { type: 'accountUpdatesMulti', reqId: r.req() };
    }
    case OUT.REQ_COMPLETED_ORDERS:
      return { type: 'completedOrders' };
    case OUT.REQ_MARKET_DATA_TYPE: {
      r.int('version');
      return { type: 'marketDataType', dataType: r.int('marketDataType') };
    }
    case OUT.REQ_OPEN_ORDERS:
    case OUT.REQ_ALL_OPEN_ORDERS:
      return { type: 'openOrders', all: id === OUT.REQ_ALL_OPEN_ORDERS };
    case OUT.REQ_EXECUTIONS: {
      r.int('version');
      const reqId = r.req();
      r.str('clientId');
      const acctCode = r.str('acctCode');
      const time = r.str('time');
      return { type: 'executions', reqId, acctCode, time, symbol: r.str('symbol') };
    }
    case OUT.REQ_GLOBAL_CANCEL:
      return { type: 'globalCancel' };
    case OUT.REQ_POSITIONS:
      return { type: 'positions' };
    case OUT.REQ_ACCOUNT_SUMMARY: {
      r.int('version');
      const reqId = r.req();
      r.str('group');
      return { type: 'accountSummary', reqId, tags: r.str('tags') };
    }
    default:
      if (IGNORED.has(id)) return { type: 'ignored', msgId: id };
      throw new RequestError(505, `Fatal Error: Unknown message id ${id}`);
  }
}

function placeOrder(r: Reader, v: number): ClientRequest {
  if (v < V.ORDER_CONTAINER) r.int('version');
  const orderId = r.req();
  const contract = r.contract();
  r.skip(2); // secIdType, secId
  const action = r.str('action');
  const qty = r.num('totalQuantity') ?? 0;
  const orderType = r.str('orderType');
  const lmtPrice = r.num('lmtPrice');
  const auxPrice = r.num('auxPrice');
  const tif = r.str('tif');
  const ocaGroup = r.str('ocaGroup');
  const account = r.str('account');
  r.skip(2); // openClose, origin
  const orderRef = r.str('orderRef');
  const transmit = r.bool('transmit');
  const parentId = r.int('parentId');
  // blockOrder sweepToFill displaySize triggerMethod outsideRth hidden, sharesAllocation,
  // discretionaryAmt goodAfterTime goodTillDate, faGroup faMethod faPercentage [faProfile < 177]
  // [modelCode from 103], shortSaleSlot designatedLocation exemptCode — then ocaType.
  r.skip(13 + (v < V.FA_PROFILE_DESUPPORT ? 1 : 0) + (v >= V.MODELS_SUPPORT ? 1 : 0) + 3);
  const ocaType = r.int('ocaType');
  return { type: 'placeOrder', orderId, contract, order: { action, qty, orderType, lmtPrice, auxPrice, tif, ocaGroup, ocaType, account, orderRef, transmit, parentId } };
}
