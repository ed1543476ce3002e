import type { Field } from './codec.ts';
import { contractBlock, IN, type Message, type SimContract, UNSET_DOUBLE } from './responses.ts';
import { V } from './versions.ts';

/** Order and execution messages, per negotiated server version. */

export interface WireOrder {
  readonly orderId: number;
  readonly clientId: number;
  readonly permId: number;
  readonly parentId: number;
  readonly contract: SimContract;
  readonly action: 'BUY' | 'SELL';
  readonly qty: number;
  readonly orderType: 'MKT' | 'LMT' | 'STP';
  readonly lmtPrice: number | null;
  readonly auxPrice: number | null;
  readonly tif: string;
  readonly ocaGroup: string;
  readonly ocaType: number;
  readonly account: string;
  readonly orderRef: string;
  /** The TWS status text: PreSubmitted, Submitted, Filled, Cancelled, Inactive. */
  readonly status: string;
  readonly filled: number;
  readonly avgFillPrice: number;
  readonly lastFillPrice: number;
}

/** Message version 6 until 131 (MARKET_CAP_PRICE), which drops it and adds mktCapPrice. */
export function orderStatus(o: WireOrder): Message {
  return (v) => {
    const old = v < V.MARKET_CAP_PRICE;
    return [IN.ORDER_STATUS, ...(old ? [6] : []), o.orderId, o.status, o.filled, o.qty - o.filled, o.avgFillPrice, o.permId, o.parentId, o.lastFillPrice, o.clientId, '', ...(old ? [] : [0])];
  };
}

/**
 * openOrder. Before 145 (ORDER_CONTAINER) the message carries a version, which TWS sets to the
 * server version (the decoders compare it with server version constants, e.g. modelCode from
 * 103); from 145 there is none. Fields this gateway has no value for are IB's "unset".
 */
export function openOrder(o: WireOrder): Message {
  return (v) => {
    const f: Field[] = [IN.OPEN_ORDER];
    if (v < V.ORDER_CONTAINER) f.push(v);
    const c = o.contract;
    f.push(o.orderId, ...contractBlock(c));
    f.push(o.action, o.qty, o.orderType, o.lmtPrice ?? UNSET_DOUBLE, o.auxPrice ?? UNSET_DOUBLE, o.tif, o.ocaGroup, o.account, '', 0, o.orderRef);
    f.push(o.clientId, o.permId, 1, 0, 0, '', ''); // clientId permId outsideRth hidden discretionaryAmt goodAfterTime sharesAllocation
    f.push('', '', ''); // faGroup faMethod faPercentage
    if (v < V.FA_PROFILE_DESUPPORT) f.push(''); // faProfile
    if (v >= V.MODELS_SUPPORT) f.push(''); // modelCode
    f.push('', '', '', ''); // goodTillDate rule80A percentOffset settlingFirm
    f.push(0, '', -1); // shortSaleSlot designatedLocation exemptCode
    f.push(0, '', '', '', '', '', ''); // auctionStrategy startingPrice stockRefPrice delta stockRangeLower stockRangeUpper displaySize
    f.push(0, 0, 0, '', o.ocaType, 0, 0, ''); // blockOrder sweepToFill allOrNone minQty ocaType eTradeOnly firmQuoteOnly nbboPriceCap
    f.push(o.parentId, 0); // parentId triggerMethod
    f.push('', 0, '', '', 0, 0); // volatility volatilityType deltaNeutralOrderType deltaNeutralAuxPrice continuousUpdate referencePriceType
    f.push('', '', '', ''); // trailStopPrice trailingPercent basisPoints basisPointsType
    f.push('', 0, 0, 0); // comboLegsDescription comboLegs orderComboLegs smartComboRoutingParams
    f.push('', '', ''); // scaleInitLevelSize scaleSubsLevelSize scalePriceIncrement
    f.push('', 0, '', '', 0, 0, '', 0); // hedgeType optOutSmartRouting clearingAccount clearingIntent notHeld deltaNeutral algoStrategy solicited
    f.push(0, o.status); // whatIf status
    if (v >= 142) f.push(UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE); // margins before / change
    f.push(UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, '', ''); // margins after, commission min max, currency, warning
    f.push(0, 0); // randomizeSize randomizePrice
    if (v >= 102) {
      f.push(0); // conditions
      f.push('', UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, 0); // adjusted order params
    }
    if (v >= 106) f.push('', '', ''); // softDollarTier
    if (v >= 111) f.push(UNSET_DOUBLE); // cashQty
    if (v >= 141) f.push(0); // dontUseAutoPriceForHedge
    if (v >= V.ORDER_CONTAINER) f.push(0); // isOmsContainer
    if (v >= 148) f.push(0); // discretionaryUpToLimitPrice
    if (v >= 151) f.push(''); // usePriceMgmtAlgo
    if (v >= 158) f.push(2147483647); // duration (unset)
    if (v >= 160) f.push(''); // postToAts
    if (v >= 162) f.push(0); // autoCancelParent
    if (v >= 170) f.push('', '', '', '', ''); // minTradeQty minCompeteSize competeAgainstBestOffset midOffsetAtWhole midOffsetAtHalf
    if (v >= 183) f.push(''); // customerAccount
    if (v >= 184) f.push(0); // professionalCustomer
    if (v >= 185) f.push(''); // bondAccruedInterest
    if (v >= 189) f.push(0); // includeOvernight
    if (v >= V.CME_TAGGING_FIELDS_IN_OPEN_ORDER) f.push('', ''); // extOperator manualOrderIndicator
    return f;
  };
}
export const openOrderEnd = (): Message => () => [IN.OPEN_ORDER_END, 1];

export interface WireExecution {
  readonly orderId: number;
  readonly clientId: number;
  readonly permId: number;
  readonly execId: string;
  /** "YYYYMMDD hh:mm:ss Zone" (or without zone) in the gateway's time zone, as TWS writes it. */
  readonly time: string;
  /** The same instant in epoch ms, for the gateway's own filtering (not sent). */
  readonly timeMs: number;
  readonly account: string;
  readonly side: 'BOT' | 'SLD';
  readonly shares: number;
  readonly price: number;
  readonly cumQty: number;
  readonly avgPrice: number;
  readonly orderRef: string;
  readonly contract: SimContract;
  /** Dollars. */
  readonly commission: number;
}

/** Message version 10 until 136 (LAST_LIQUIDITY); modelCode from 103, lastLiquidity from 136, pendingPriceRevision from 178. */
export function executionData(reqId: number, e: WireExecution): Message {
  return (v) => {
    const c = e.contract;
    const f: Field[] = [IN.EXECUTION_DATA];
    if (v < V.LAST_LIQUIDITY) f.push(10);
    f.push(reqId, e.orderId, ...contractBlock(c));
    f.push(e.execId, e.time, e.account, c.exchange, e.side, e.shares, e.price, e.permId, e.clientId, 0, e.cumQty, e.avgPrice, e.orderRef, '', '');
    if (v >= V.MODELS_SUPPORT) f.push('');
    if (v >= V.LAST_LIQUIDITY) f.push(1);
    if (v >= V.PENDING_PRICE_REVISION) f.push(0);
    return f;
  };
}
export const executionDataEnd = (reqId: number): Message => () => [IN.EXECUTION_DATA_END, 1, reqId];

export const commissionReport = (e: WireExecution): Message => () => [IN.COMMISSION_REPORT, 1, e.execId, e.commission, 'USD', UNSET_DOUBLE, UNSET_DOUBLE, 0];
