import { describe, expect, test } from 'bun:test';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load.ts';
import { applyOverrides } from '../../src/config/overrides.ts';

function loadWith(...overrides: Array<[string, string]>) {
  return loadConfig({ env: {}, overrides });
}

function problemsWith(...overrides: Array<[string, string]>): string[] {
  try {
    loadWith(...overrides);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  throw new Error('expected the overrides to be rejected');
}

describe('valid overrides', () => {
  test('a number setting', () => {
    expect(loadWith(['risk.dailyLossLimit', '750']).config.risk.dailyLossLimit).toBe(750);
  });

  test('a strategy parameter, which creates the params entry', () => {
    expect(loadWith(['trading.params.lookback', '30']).config.trading.params).toEqual({ lookback: 30 });
  });

  test('a boolean setting', () => {
    expect(applyOverrides({}, [['telegram.enabled', 'true']]).raw).toEqual({ telegram: { enabled: true } });
  });

  test('text settings stay text even when they look like numbers', () => {
    const { raw } = applyOverrides({}, [['mode', 'paper'], ['ib.account', '1234567'], ['store.path', '42']]);

    expect(raw).toEqual({ mode: 'paper', ib: { account: '1234567' }, store: { path: '42' } });
  });

  test('a list as comma-separated numbers, with or without brackets', () => {
    const { raw } = applyOverrides({}, [['telegram.allowedUserIds', '1, 2'], ['telegram.allowedChatIds', '[-100123]']]);

    expect(raw).toEqual({ telegram: { allowedUserIds: [1, 2], allowedChatIds: [-100123] } });
    expect(applyOverrides({}, [['telegram.allowedUserIds', '[]']]).raw).toEqual({ telegram: { allowedUserIds: [] } });
  });

  test('an override wins over the file and leaves its other keys alone', () => {
    const { raw } = applyOverrides({ risk: { dailyLossLimit: 500, maxDrawdown: 900 } }, [['risk.dailyLossLimit', '750']]);

    expect(raw).toEqual({ risk: { dailyLossLimit: 750, maxDrawdown: 900 } });
  });

  test('a section left empty in the file (null) is filled in', () => {
    expect(applyOverrides({ risk: null }, [['risk.maxDrawdown', '800']]).raw).toEqual({ risk: { maxDrawdown: 800 } });
  });

  test('the raw input is not modified', () => {
    const raw = { risk: { dailyLossLimit: 500 } };

    applyOverrides(raw, [['risk.dailyLossLimit', '750']]);

    expect(raw).toEqual({ risk: { dailyLossLimit: 500 } });
  });
});

describe('rejected overrides', () => {
  test('an unknown path is named with the closest valid one', () => {
    expect(problemsWith(['risk.dailyLosLimit', '750'])).toEqual(["risk.dailyLosLimit: unknown setting — did you mean 'risk.dailyLossLimit'? (in --set risk.dailyLosLimit=…)"]);
  });

  test('a setting given without its section is pointed to the full path', () => {
    expect(problemsWith(['dailyLossLimit', '750'])).toEqual(["dailyLossLimit: unknown setting here — did you mean 'risk.dailyLossLimit'? (in --set dailyLossLimit=…)"]);
  });

  test('a misspelt section is matched on the whole path', () => {
    expect(problemsWith(['rsik.dailyLossLimit', '750'])).toEqual(["rsik.dailyLossLimit: unknown setting — did you mean 'risk.dailyLossLimit'? (in --set rsik.dailyLossLimit=…)"]);
  });

  test('a path like nothing known lists what is allowed at the first unknown segment', () => {
    expect(problemsWith(['risk.colour', 'red'])[0]).toStartWith("risk.colour: unknown setting; remove it (known: maxContracts, stopLossPerContract,");
  });

  test('a section cannot be set as a whole', () => {
    expect(problemsWith(['risk', '5'])).toEqual(['risk: is a section, not a value; set one of its keys, e.g. risk.maxContracts=… (in --set risk=…)']);
  });

  test('a value has no keys inside it', () => {
    expect(problemsWith(['risk.maxDrawdown.max', '5'])).toEqual(["risk.maxDrawdown.max: risk.maxDrawdown is a single value and has no 'max' inside it (in --set risk.maxDrawdown.max=…)"]);
  });

  test('an empty path segment is rejected', () => {
    expect(problemsWith(['risk..maxDrawdown', '5'])).toEqual(["risk..maxDrawdown: 'risk..maxDrawdown' is not a setting path; write it like risk.dailyLossLimit (in --set risk..maxDrawdown=…)"]);
  });

  test('a bad value gets the schema message, marked as coming from --set', () => {
    expect(problemsWith(['risk.dailyLossLimit', 'abc'])).toEqual(["risk.dailyLossLimit: expected a positive number of dollars, got 'abc' (set it to e.g. 500) (from --set)"]);
    expect(problemsWith(['telegram.allowedUserIds', '1,x'])).toEqual(["telegram.allowedUserIds[1]: expected a Telegram user id (a positive whole number), got 'x' (set it to e.g. 123456789) (from --set)"]);
  });

  test('every bad override is reported together', () => {
    expect(problemsWith(['risk.nope', '1'], ['mode', 'real'], ['trading.contracts', '0'])).toHaveLength(3);
  });
});
