import type { EngineSettings } from '../engine/settings.ts';
import type { Config } from './schema.ts';

/** The numbers the trading core uses, taken from the config one-to-one (names match on purpose). */
export function engineSettings(config: Config): EngineSettings {
  const { risk, backtest } = config;
  return {
    contracts: config.trading.contracts,
    maxContracts: risk.maxContracts,
    stopLossPerContract: risk.stopLossPerContract,
    takeProfitPerContract: risk.takeProfitPerContract,
    maxHoldMinutes: risk.maxHoldMinutes,
    dailyLossLimit: risk.dailyLossLimit,
    consecutiveLossLimit: risk.consecutiveLossLimit,
    consecutiveLossPauseMinutes: risk.consecutiveLossPauseMinutes,
    maxDrawdown: risk.maxDrawdown,
    drawdownReset: risk.drawdownReset,
    slippageTicks: backtest.slippageTicks,
    commissionPerContract: backtest.commissionPerContract,
    initialCapital: backtest.initialCapital,
  };
}
