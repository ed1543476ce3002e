import { describe, expect, test } from 'bun:test';
import { ConfigError } from '../../src/config/errors.ts';
import { defaultConfig, parseConfig, settingPaths, validateConfig } from '../../src/config/schema.ts';

/** The problems `raw` has, as "path: message" lines. */
function problems(raw: unknown): string[] {
  const result = validateConfig(raw);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.issues.map((i) => `${i.path}: ${i.message}`);
}

describe('defaults', () => {
  test('an empty config is a valid sim config with every documented default', () => {
    const config = parseConfig({}, 'test');

    expect(config.mode).toBe('sim');
    expect(config.liveConfirm).toBeUndefined();
    expect(config.trading).toEqual({ symbol: 'MES', contracts: 1, strategy: 'zscore', params: {}, barMinutes: 1, shutdownPolicy: 'keep' });
    expect(config.risk).toEqual({
      maxContracts: 2,
      stopLossPerContract: 200,
      takeProfitPerContract: 300,
      maxHoldMinutes: 120,
      dailyLossLimit: 500,
      consecutiveLossLimit: 3,
      consecutiveLossPauseMinutes: 30,
      maxDrawdown: 1000,
      drawdownReset: 'manual',
    });
    expect(config.backtest).toEqual({ slippageTicks: 1, commissionPerContract: 0.62, initialCapital: 10_000 });
    expect(config.store).toEqual({ path: 'data/quant-scalper.db' });
    expect(config.web).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(config.sim).toEqual({ barIntervalMs: 250, seed: 7, regime: 'switching', startPrice: 5000 });
    expect(config.ib).toEqual({ host: '127.0.0.1', port: 4002, clientId: 1, account: '', rollDaysBeforeExpiry: 8, expiringPosition: 'close', closeHoursBeforeExpiry: 24, connectTimeoutMs: 10_000, staleDataSeconds: 120 });
    expect(config.telegram).toEqual({
      enabled: false,
      allowedUserIds: [],
      allowedChatIds: [],
      apiRoot: 'https://api.telegram.org',
      alerts: { fills: 'on', trades: 'on', breaker: 'on', connection: 'on', escalation: 'on', dailySummary: 'on' },
    });
    expect(config.log).toEqual({ level: 'info' });
  });

  test('an empty YAML document (null) means the defaults', () => {
    expect(parseConfig(null, 'test')).toEqual(defaultConfig());
    expect(parseConfig(undefined, 'test')).toEqual(defaultConfig());
  });

  test('a section written with nothing under it (null in YAML) gets its defaults', () => {
    const config = parseConfig({ risk: null, telegram: { alerts: null, allowedUserIds: null } }, 'test');

    expect(config.risk.dailyLossLimit).toBe(500);
    expect(config.telegram.alerts.fills).toBe('on');
    expect(config.telegram.allowedUserIds).toEqual([]);
  });

  test('a partial section keeps the values given and defaults the rest', () => {
    const config = parseConfig({ risk: { dailyLossLimit: 750 }, telegram: { alerts: { fills: 'silent' } } }, 'test');

    expect(config.risk.dailyLossLimit).toBe(750);
    expect(config.risk.maxDrawdown).toBe(1000);
    expect(config.telegram.alerts).toMatchObject({ fills: 'silent', trades: 'on' });
  });

  test('each parse returns fresh lists, so mutating one config never leaks into the next', () => {
    const first = defaultConfig();
    first.telegram.allowedUserIds.push(42);
    first.trading.params['lookback'] = 5;

    expect(defaultConfig().telegram.allowedUserIds).toEqual([]);
    expect(defaultConfig().trading.params).toEqual({});
  });
});

describe('schema errors name the field, the bad value and the fix', () => {
  test.each([
    [{ risk: { dailyLossLimit: -5 } }, 'risk.dailyLossLimit: expected a positive number of dollars, got -5 (set it to e.g. 500)'],
    [{ risk: { stopLossPerContract: 0 } }, 'risk.stopLossPerContract: expected a positive number of dollars per contract, got 0 (set it to e.g. 200)'],
    [{ risk: { maxDrawdown: 'lots' } }, "risk.maxDrawdown: expected a positive number of dollars, got 'lots' (set it to e.g. 1000)"],
    [{ risk: { maxDrawdown: Infinity } }, 'risk.maxDrawdown: expected a positive number of dollars, got Infinity (set it to e.g. 1000)'],
    [{ risk: { maxHoldMinutes: null } }, 'risk.maxHoldMinutes: expected a whole number of minutes ≥ 1, got an empty value (set it to e.g. 120)'],
    [{ trading: { contracts: 1.5 } }, 'trading.contracts: expected a whole number of contracts ≥ 1, got 1.5 (set it to e.g. 1)'],
    [{ trading: { symbol: 'ES' } }, "trading.symbol: expected 'MES' (the only instrument supported), got 'ES' (set it to e.g. 'MES')"],
    [{ trading: { strategy: 'Z Score' } }, "trading.strategy: expected a strategy name, got 'Z Score' (set it to e.g. 'zscore')"],
    [{ trading: { params: { lookback: 'long' } } }, "trading.params.lookback: expected a number, got 'long' (set it to e.g. 20)"],
    [{ trading: { shutdownPolicy: 'flaten' } }, "trading.shutdownPolicy: expected one of 'keep', 'flatten', got 'flaten' — did you mean 'flatten'?"],
    [{ mode: 'papr' }, "mode: expected one of 'sim', 'paper', 'live', got 'papr' — did you mean 'paper'?"],
    [{ log: { level: 'loud' } }, "log.level: expected one of 'debug', 'info', 'warn', 'error', got 'loud' (set it to e.g. 'info')"],
    [{ backtest: { slippageTicks: -1 } }, 'backtest.slippageTicks: expected a whole number of ticks ≥ 0, got -1 (set it to e.g. 1)'],
    [{ backtest: { commissionPerContract: -0.1 } }, 'backtest.commissionPerContract: expected a number of dollars ≥ 0 per contract per side, got -0.1 (set it to e.g. 0.62)'],
    [{ backtest: { initialCapital: 0 } }, 'backtest.initialCapital: expected a positive number of dollars, got 0 (set it to e.g. 10000)'],
    [{ ib: { port: 70_000 } }, 'ib.port: expected a port number from 1 to 65535, got 70000 (set it to e.g. 4002)'],
    [{ ib: { account: 'du123' } }, "ib.account: expected an IB account id in capitals like 'DU1234567' (or '' for the gateway's account), got 'du123' (set it to e.g. 'DU1234567')"],
    [{ ib: { rollDaysBeforeExpiry: 90 } }, 'ib.rollDaysBeforeExpiry: expected a whole number of days from 0 to 60, got 90 (set it to e.g. 8)'],
    [{ ib: { expiringPosition: 'hold' } }, "ib.expiringPosition: expected one of 'close', got 'hold' (set it to e.g. 'close')"],
    [{ ib: { closeHoursBeforeExpiry: -1 } }, 'ib.closeHoursBeforeExpiry: expected a whole number of hours from 0 to 1440, got -1 (set it to e.g. 24)'],
    [{ web: { host: 'my host' } }, "web.host: expected a host name or IP address, got 'my host' (set it to e.g. '127.0.0.1')"],
    [{ sim: { regime: 'sidways' } }, "sim.regime: expected one of 'bullish', 'bearish', 'sideways', 'volatile', 'switching', got 'sidways' — did you mean 'sideways'?"],
    [{ sim: { startPrice: -1 } }, 'sim.startPrice: expected a positive price on the 0.25 tick grid, got -1 (set it to e.g. 5000)'],
    [{ sim: { startPrice: 5000.1 } }, 'sim.startPrice: expected a positive price on the 0.25 tick grid, got 5000.1 (set it to e.g. 5000)'],
    [{ telegram: { enabled: 'yes' } }, "telegram.enabled: expected true or false, got 'yes' (set it to e.g. false)"],
    [{ telegram: { allowedUserIds: 5 } }, 'telegram.allowedUserIds: expected a list of Telegram user ids like [123456789], got 5'],
    [{ telegram: { allowedUserIds: [1, 'me'] } }, "telegram.allowedUserIds[1]: expected a Telegram user id (a positive whole number), got 'me' (set it to e.g. 123456789)"],
    [{ telegram: { allowedChatIds: [0] } }, 'telegram.allowedChatIds[0]: expected a Telegram chat id (a non-zero whole number), got 0 (set it to e.g. 123456789)'],
    [{ telegram: { apiRoot: 'api.telegram.org' } }, "telegram.apiRoot: expected an http(s) URL, got 'api.telegram.org' (set it to e.g. 'https://api.telegram.org')"],
    [{ telegram: { alerts: { trades: 'loud' } } }, "telegram.alerts.trades: expected one of 'on', 'silent', 'off', got 'loud' (set it to e.g. 'on')"],
    [{ liveConfirm: 42 }, "liveConfirm: expected the exact sentence, got 42 (set it to e.g. 'I understand this trades real money')"],
  ])('%j → %s', (raw, message) => {
    expect(problems(raw)).toEqual([message]);
  });

  test('a section of the wrong shape is named as a section', () => {
    expect(problems({ risk: 5 })).toEqual(["risk: expected risk to be a section of 'key: value' lines, got 5"]);
    expect(problems({ risk: [] })).toEqual(["risk: expected risk to be a section of 'key: value' lines, got []"]);
    expect(problems({ trading: { params: [1] } })).toEqual(["trading.params: expected trading.params to be a section of 'key: value' lines, got [1]"]);
  });

  test('a file that is a list, not settings, is rejected as a whole', () => {
    expect(problems([{ mode: 'sim' }])).toEqual([`: expected the config file to be a section of 'key: value' lines, got [{"mode":"sim"}]`]);
  });

  test('every problem is reported, not just the first', () => {
    const found = problems({ mode: 'x', risk: { dailyLossLimit: -1, maxDrawdown: -1 }, ib: { port: 0 } });

    expect(found.map((p) => p.split(':')[0])).toEqual(['mode', 'risk.dailyLossLimit', 'risk.maxDrawdown', 'ib.port']);
  });

  test('parseConfig throws a ConfigError naming the source and the field', () => {
    const thrown = (() => {
      try {
        parseConfig({ risk: { dailyLossLimit: -5 } }, 'config/mine.yaml');
      } catch (e) {
        return e;
      }
    })();

    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).name).toBe('ConfigError');
    expect((thrown as ConfigError).message).toBe('config/mine.yaml: risk.dailyLossLimit: expected a positive number of dollars, got -5 (set it to e.g. 500)');
  });
});

describe('unknown keys', () => {
  test('a misspelt key is named with the closest real one', () => {
    expect(problems({ risk: { dailyLosLimit: 500 } })).toEqual(["risk.dailyLosLimit: unknown setting — did you mean 'risk.dailyLossLimit'?"]);
    expect(problems({ telegram: { alerts: { fils: 'off' } } })).toEqual(["telegram.alerts.fils: unknown setting — did you mean 'telegram.alerts.fills'?"]);
    expect(problems({ Mode: 'sim' })).toEqual(["Mode: unknown setting — did you mean 'mode'?"]);
  });

  test('every unknown key in a section is reported, not only the first', () => {
    expect(problems({ risk: { stopLoss: 1, takeProfit: 2 }, foo: 1 }).map((p) => p.split(':')[0])).toEqual(['risk.stopLoss', 'risk.takeProfit', 'foo']);
  });

  test('a key written in the wrong section points to where it belongs', () => {
    expect(problems({ dailyLossLimit: 500 })).toEqual(["dailyLossLimit: unknown setting here — did you mean 'risk.dailyLossLimit'?"]);
    expect(problems({ port: 4002 })).toEqual(["port: unknown setting here — did you mean 'web.port' or 'ib.port'?"]);
  });

  test('a key like nothing known lists the keys that are allowed there', () => {
    expect(problems({ store: { database: 'x.db' } })).toEqual(['store.database: unknown setting; remove it (known: path)']);
  });

  test('a token written into the file is refused with the env var to use, and its value is not echoed', () => {
    const found = problems({ telegram: { botToken: '123456:SECRET-TOKEN' }, web: { token: 'DASH-SECRET' } });

    expect(found).toEqual([
      'telegram.botToken: unknown setting: secrets are never read from the config file; remove it and set TELEGRAM_BOT_TOKEN in the environment',
      'web.token: unknown setting: secrets are never read from the config file; remove it and set QS_DASHBOARD_TOKEN in the environment',
    ]);
    expect(found.join('\n')).not.toContain('SECRET');
  });

  test('strategy params are free-form: any name with a number is accepted here', () => {
    expect(parseConfig({ trading: { params: { lookback: 30, entryZ: 2.5 } } }, 'test').trading.params).toEqual({ lookback: 30, entryZ: 2.5 });
  });
});

test('settingPaths lists every leaf setting and no sections', () => {
  const paths = settingPaths();

  expect(paths).toContain('risk.dailyLossLimit');
  expect(paths).toContain('telegram.alerts.dailySummary');
  expect(paths).toContain('liveConfirm');
  expect(paths).not.toContain('risk');
  expect(paths).not.toContain('trading.params');
  expect(paths).toContain('ib.closeHoursBeforeExpiry');
  expect(paths).toHaveLength(46);
});
