/**
 * TWS message codes and what each asks of the bot. TWS sends connectivity and farm notices with
 * id −1 (the library turns those into `info` events) and request or order problems with the
 * request's or order's id (`error` events); the adapter treats both the same way by code.
 */

export type CodeAction =
  /** Orders can no longer reach IB's servers (1100, 2110): degraded, orders refused until restored. */
  | { kind: 'routingLost' }
  /** Restored (1101: market data subscriptions were lost and must be renewed; 1102: kept). */
  | { kind: 'restored'; dataLost: boolean }
  /** A data farm is broken (2103, 2105, 2157): degraded until its OK notice or fresh data. */
  | { kind: 'farmDown' }
  /** A data farm is OK (2104, 2106, 2158): information; ends a farm degradation. */
  | { kind: 'farmOk' }
  /**
   * A farm is idle and connects when used (2107 HMDS, 2108 market data: "inactive but should be
   * available upon demand"). Routine: TWS sends it at connect and whenever a farm has been unused
   * for a while, so it is information only — neither an outage nor a recovery.
   */
  | { kind: 'farmIdle' }
  /** Another session (TWS or a phone) holds the market data (10197): degraded until bars flow again. */
  | { kind: 'competingSession' }
  /** The socket or TWS is not there (502, 504) or refused the client id (326): the connect fails, retry later. */
  | { kind: 'connectFailed'; retryable: true }
  | { kind: 'other' };

export const CODES = {
  duplicateOrderId: 103,
  historicalPacing: 162,
  noSecurityDefinition: 200,
  cannotModify: 104,
  orderRejected: 201,
  orderCancelled: 202,
  clientIdInUse: 326,
  orderWarning: 399,
  connectFail: 502,
  notConnected: 504,
  connectivityLost: 1100,
  restoredDataLost: 1101,
  restoredDataKept: 1102,
  competingSession: 10197,
  cancelUnknown: 10147,
  cancelFinished: 10148,
} as const;

/** The adapter's own codes (not TWS's): what it refused or could not read, and why. */
export const IB_ADAPTER = {
  accountMismatch: 9101,
  notPaperAccount: 9102,
  liveNotConfirmed: 9103,
  malformedMessage: 9201,
  handlerFailed: 9202,
  timeout: 9203,
  noContract: 9204,
  commissionMissing: 9205,
  unknownOrder: 9206,
  orderInactive: 9207,
  /** An order reported filled whose execution never arrived: the journal cannot book it. */
  fillMissing: 9208,
  execIdReused: 9209,
  /** No real-time market data for MES (354, 10089, 10167, 420): entries are refused. */
  marketDataMissing: 9210,
  /** The contract in use rolls: entries refused while a position is open in the expiring one. */
  rollPending: 9212,
  /** A position is open in a contract past its close deadline: the service closes it (ib.expiringPosition). */
  contractExpiring: 9213,
} as const;

export function classify(code: number): CodeAction {
  switch (code) {
    case 1100:
    case 2110:
      return { kind: 'routingLost' };
    case 1101:
      return { kind: 'restored', dataLost: true };
    case 1102:
      return { kind: 'restored', dataLost: false };
    case 2103:
    case 2105:
    case 2157:
      return { kind: 'farmDown' };
    case 2104:
    case 2106:
    case 2158:
      return { kind: 'farmOk' };
    case 2107:
    case 2108:
    case 2119:
      return { kind: 'farmIdle' };
    case 10197:
      return { kind: 'competingSession' };
    case 326:
    case 502:
    case 504:
      return { kind: 'connectFailed', retryable: true };
    default:
      return { kind: 'other' };
  }
}

/** Notices that inform or warn but do not fail the order or request they name. */
export function isWarning(code: number): boolean {
  return code === CODES.orderWarning || (code >= 2100 && code < 2200) || code === 10167 || code === 10090;
}

/**
 * Whether the bot may simply try again later (`retryable`) or an operator must look (false):
 * connectivity, pacing and warnings are retryable; a refused order or an unknown problem is not.
 */
export function isRetryable(code: number): boolean {
  if (isWarning(code)) return true;
  const kind = classify(code).kind;
  if (kind !== 'other') return true;
  // A cancel that finds its order gone or finished (10147/10148) is the usual race with a fill: reconcile settles it.
  const settles = code === CODES.cancelUnknown || code === CODES.cancelFinished;
  return settles || code === CODES.historicalPacing || code === CODES.duplicateOrderId || code === IB_ADAPTER.timeout || code === IB_ADAPTER.malformedMessage || (code >= 1100 && code < 1400);
}

/** A refusal from the adapter or from TWS, with the recovery it needs (BrokerError's `retryable`). */
export class IbBrokerError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'IbBrokerError';
  }
}
