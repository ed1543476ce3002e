import { expect, test } from 'bun:test';
import { DEFAULT_ENGINE_SETTINGS } from '../../src/engine/settings.ts';
import { parseConfig } from '../../src/config/schema.ts';
import { engineSettings } from '../../src/config/to-engine.ts';

test('the default config gives the engine its default settings', () => {
  expect(engineSettings(parseConfig({}, 'test'))).toEqual(DEFAULT_ENGINE_SETTINGS);
});

test('every engine setting is taken from its config field', () => {
  const config = parseConfig(
    {
      trading: { contracts: 2 },
      risk: {
        maxContracts: 3,
        stopLossPerContract: 101.25,
        takeProfitPerContract: 202.5,
        maxHoldMinutes: 45,
        dailyLossLimit: 700,
        consecutiveLossLimit: 4,
        consecutiveLossPauseMinutes: 15,
        maxDrawdown: 2500,
      },
      backtest: { slippageTicks: 2, commissionPerContract: 0.85, initialCapital: 25_000 },
    },
    'test',
  );

  expect(engineSettings(config)).toEqual({
    contracts: 2,
    maxContracts: 3,
    stopLossPerContract: 101.25,
    takeProfitPerContract: 202.5,
    maxHoldMinutes: 45,
    dailyLossLimit: 700,
    consecutiveLossLimit: 4,
    consecutiveLossPauseMinutes: 15,
    maxDrawdown: 2500,
    drawdownReset: 'manual',
    slippageTicks: 2,
    commissionPerContract: 0.85,
    initialCapital: 25_000,
  });
});
