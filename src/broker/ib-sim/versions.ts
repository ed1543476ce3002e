/**
 * Server versions of the TWS API (IB's MIN_SERVER_VER_* constants, as in IB's own clients and
 * in @stoqey/ib's min-server-version enum) that change a field list this gateway reads or writes.
 * A field appears from the version that introduced it, exactly as IB's encoder writes it.
 */
export const V = {
  /** The v100+ handshake (length-prefixed frames). */
  V100: 100,
  MODELS_SUPPORT: 103,
  SYNT_REALTIME_BARS: 124,
  MARKET_CAP_PRICE: 131,
  LAST_LIQUIDITY: 136,
  ORDER_CONTAINER: 145,
  FRACTIONAL_SIZE_SUPPORT: 163,
  SIZE_RULES: 164,
  ADVANCED_ORDER_REJECT: 166,
  BOND_ISSUERID: 176,
  FA_PROFILE_DESUPPORT: 177,
  PENDING_PRICE_REVISION: 178,
  LAST_TRADE_DATE: 182,
  INELIGIBILITY_REASONS: 186,
  RFQ_FIELDS: 187,
  CME_TAGGING_FIELDS: 192,
  CME_TAGGING_FIELDS_IN_OPEN_ORDER: 193,
} as const;

/** The lowest version the gateway negotiates: the first of the v100+ protocol. */
export const MIN_SERVER_VERSION = V.V100;

/**
 * The highest: the most @stoqey/ib 1.6.10 offers (its MAX_SUPPORTED_SERVER_VERSION; a test
 * checks the two agree). Above it IB's protocol changes shape (errors carry a time from 194,
 * protobuf messages from 201), which this gateway does not speak.
 */
export const MAX_SERVER_VERSION = V.CME_TAGGING_FIELDS_IN_OPEN_ORDER;

/** The versions the end-to-end tests run at: the lowest, two that current clients pick, the highest. */
export const TESTED_VERSIONS = [100, 176, 187, MAX_SERVER_VERSION] as const;
