import type { DrawdownReset } from './risk-state.ts';

/**
 * Every number the trading core needs, in the units a trader thinks in (dollars, minutes).
 * The config maps onto this one-to-one (`trading.*`, `risk.*`, `backtest.*`).
 */
export interface RiskSettings {
  /** trading.contracts — position size. */
  readonly contracts: number;
  /** risk.maxContracts — hard ceiling on position size. */
  readonly maxContracts: number;
  /** risk.stopLossPerContract — dollars per contract from entry to stop. */
  readonly stopLossPerContract: number;
  /** risk.takeProfitPerContract — dollars per contract from entry to target. */
  readonly takeProfitPerContract: number;
  readonly maxHoldMinutes: number;
  /** Dollars of session loss (realised + open) that ends trading for the session. */
  readonly dailyLossLimit: number;
  readonly consecutiveLossLimit: number;
  readonly consecutiveLossPauseMinutes: number;
  /** Dollars below peak equity that halts trading. */
  readonly maxDrawdown: number;
  /** risk.drawdownReset — how a drawdown halt ends, identically in backtest and live. */
  readonly drawdownReset: DrawdownReset;
}

export interface FillSettings {
  /** backtest.slippageTicks — ticks against the trader on market and stop fills. */
  readonly slippageTicks: number;
  /** backtest.commissionPerContract — dollars per contract per side. */
  readonly commissionPerContract: number;
}

export interface AccountSettings {
  /** backtest.initialCapital — dollars. */
  readonly initialCapital: number;
}

export type EngineSettings = RiskSettings & FillSettings & AccountSettings;

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  contracts: 1,
  maxContracts: 2,
  stopLossPerContract: 200,
  takeProfitPerContract: 300,
  maxHoldMinutes: 120,
  dailyLossLimit: 500,
  consecutiveLossLimit: 3,
  consecutiveLossPauseMinutes: 30,
  maxDrawdown: 1000,
  drawdownReset: 'manual',
  slippageTicks: 1,
  commissionPerContract: 0.62,
  initialCapital: 10_000,
};
