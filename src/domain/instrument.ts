/** A futures contract's price grid and money per tick. */
export interface Instrument {
  readonly symbol: string;
  readonly exchange: string;
  readonly currency: string;
  readonly tickSize: number;
  /** Dollars per tick per contract, in integer cents. */
  readonly tickValueCents: number;
  /** Dollars per full point per contract. */
  readonly multiplier: number;
}

/** Micro E-mini S&P 500: tick 0.25 = $1.25, $5 per point. */
export const MES: Instrument = {
  symbol: 'MES',
  exchange: 'CME',
  currency: 'USD',
  tickSize: 0.25,
  tickValueCents: 125,
  multiplier: 5,
};
