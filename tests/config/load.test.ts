import { afterAll, describe, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig, type LoadOptions } from '../../src/config/load.ts';
import { defaultConfig } from '../../src/config/schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'qs-config-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function yamlFile(text: string): string {
  const path = join(dir, `config-${++fileCount}.yaml`);
  writeFileSync(path, text);
  return path;
}

function configError(options: LoadOptions): ConfigError {
  try {
    loadConfig({ env: {}, ...options });
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('reading the file', () => {
  test('no file at all gives the defaults in sim mode with no issues', () => {
    const loaded = loadConfig({ env: {} });

    expect(loaded.config).toEqual(defaultConfig());
    expect(loaded.config.mode).toBe('sim');
    expect(loaded.issues).toEqual([]);
    expect(loaded.source).toBe('built-in defaults');
  });

  test('an empty file, or one with only comments, gives the defaults', () => {
    expect(loadConfig({ path: yamlFile(''), env: {} }).config).toEqual(defaultConfig());
    expect(loadConfig({ path: yamlFile('# nothing yet\n\n'), env: {} }).config).toEqual(defaultConfig());
  });

  test('values in the file are read and the source is the file', () => {
    const path = yamlFile('mode: paper\nib:\n  account: DU1234567\nrisk:\n  dailyLossLimit: 400\n');

    const loaded = loadConfig({ path, env: {} });

    expect(loaded.config.mode).toBe('paper');
    expect(loaded.config.risk.dailyLossLimit).toBe(400);
    expect(loaded.source).toBe(path);
  });

  test('a missing file given explicitly is an error naming the path', () => {
    const path = join(dir, 'does-not-exist.yaml');

    const error = configError({ path });

    expect(error.message).toBe(`${path}: file not found (check the path, or give no file to run sim with the defaults)`);
  });

  test('a directory instead of a file is an error naming the path', () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path);

    expect(configError({ path }).message).toStartWith(`${path}: cannot read the file (EISDIR)`);
  });

  test('a YAML syntax error names the file and the line', () => {
    const path = yamlFile('mode: sim\nrisk:\n  dailyLossLimit: 500\n  maxDrawdown: [1000\nweb:\n  port: 3000\n');

    const error = configError({ path });

    expect(error.message).toStartWith(`${path}: YAML syntax error near line 4`);
    expect(error.issues).toHaveLength(1);
  });

  test('a key written twice is an error with both lines, because YAML would silently keep the last', () => {
    const path = yamlFile('risk:\n  dailyLossLimit: 300\n  maxDrawdown: 900\n  dailyLossLimit: 3000\nweb:\n  port: 3000\n');

    const error = configError({ path });

    expect(error.issues).toEqual([{ level: 'error', path: 'risk.dailyLossLimit', message: 'set twice (lines 2 and 4); YAML would keep only the last — delete one' }]);
  });

  test('equal keys in different sections are not duplicates', () => {
    const path = yamlFile('web:\n  host: 127.0.0.1\n  port: 3000\nib:\n  host: 127.0.0.1\n  port: 4002\n');

    expect(loadConfig({ path, env: {} }).config.ib.port).toBe(4002);
  });

  test('every problem from the file, the overrides and the schema comes in one error', () => {
    const path = yamlFile('mode: paperr\nrisk:\n  dailyLossLimit: -5\n  maxDrawdown: 1000\n  maxDrawdown: 900\n');

    const error = configError({ path, overrides: [['risk.maxDrawdon', '1']] });

    expect(error.issues.map((i) => i.path)).toEqual(['risk.maxDrawdown', 'risk.maxDrawdon', 'mode', 'risk.dailyLossLimit']);
    expect(error.message).toStartWith(`${path}: 4 problems\n`);
    expect(error.message).toContain('  - risk.dailyLossLimit: expected a positive number of dollars, got -5 (set it to e.g. 500)');
  });

  test('safety findings are returned as issues, not thrown', () => {
    const loaded = loadConfig({ path: yamlFile('mode: live\n'), env: {} });

    expect(loaded.issues.map((i) => `${i.level} ${i.path}`)).toContain('critical mode');
    expect(loaded.issues.map((i) => `${i.level} ${i.path}`)).toContain('error liveConfirm');
  });

  test('the strategy parameter checks always run, and extra checks run after them', () => {
    const loaded = loadConfig({
      env: {},
      overrides: [['trading.params.entry', '0.5'], ['trading.params.exit', '1']],
      extraChecks: () => [{ level: 'warning', path: 'trading', message: 'extra' }],
    });

    expect(loaded.issues).toEqual([
      { level: 'error', path: 'trading.params.exit', message: 'exit (1) must be below entry (0.5), or a position would exit on the bar it enters' },
      { level: 'warning', path: 'trading', message: 'extra' },
    ]);
  });

  test('an unknown strategy or parameter is an error naming it', () => {
    expect(loadConfig({ env: {}, overrides: [['trading.strategy', 'macd']] }).issues).toContainEqual({ level: 'error', path: 'trading.strategy', message: "unknown strategy 'macd' (known: zscore, bollinger, rsi)" });
    expect(loadConfig({ env: {}, overrides: [['trading.params.lookbak', '10']] }).issues).toContainEqual({ level: 'error', path: 'trading.params.lookbak', message: 'not a parameter of zscore (known: lookback, entry, exit)' });
  });
});

describe('secrets', () => {
  test('the tokens are read from the environment', () => {
    const loaded = loadConfig({ env: { QS_DASHBOARD_TOKEN: 'dash-token-1', TELEGRAM_BOT_TOKEN: '123:bot-token' } });

    expect(loaded.secrets).toEqual({ dashboardToken: 'dash-token-1', telegramBotToken: '123:bot-token' });
  });

  test('empty variables count as unset', () => {
    expect(loadConfig({ env: { QS_DASHBOARD_TOKEN: '', TELEGRAM_BOT_TOKEN: '  ' } }).secrets).toEqual({});
  });

  test('without an explicit env, process.env is used', () => {
    const before = process.env['QS_DASHBOARD_TOKEN'];
    process.env['QS_DASHBOARD_TOKEN'] = 'from-process-env';
    try {
      expect(loadConfig().secrets.dashboardToken).toBe('from-process-env');
    } finally {
      if (before === undefined) delete process.env['QS_DASHBOARD_TOKEN'];
      else process.env['QS_DASHBOARD_TOKEN'] = before;
    }
  });

  test('the tokens are never part of the config object', () => {
    const loaded = loadConfig({ env: { QS_DASHBOARD_TOKEN: 'dash-token-1', TELEGRAM_BOT_TOKEN: '123:bot-token' } });

    expect(JSON.stringify(loaded.config)).not.toContain('token-1');
    expect(JSON.stringify(loaded.config)).not.toContain('bot-token');
  });

  test('a secret pasted into a field is masked in issue messages', () => {
    const secret = 'U9SECRET42';
    const loaded = loadConfig({ env: { QS_DASHBOARD_TOKEN: secret }, overrides: [['mode', 'paper'], ['ib.account', secret]] });

    expect(loaded.issues.length).toBeGreaterThan(0);
    expect(JSON.stringify(loaded.issues)).not.toContain(secret);
    expect(loaded.issues.some((i) => i.message.includes('***'))).toBe(true);
  });

  test('a secret pasted into a bad value is masked in the error', () => {
    const secret = 'not-a-number-but-a-token';
    const error = configError({ env: { TELEGRAM_BOT_TOKEN: secret }, overrides: [['risk.dailyLossLimit', secret]] });

    expect(error.message).toContain('risk.dailyLossLimit');
    expect(error.message).not.toContain(secret);
  });

  test('a token written into the file is refused without echoing it', () => {
    const error = configError({ path: yamlFile('telegram:\n  botToken: "999:VERY-SECRET"\n') });

    expect(error.message).toContain('TELEGRAM_BOT_TOKEN');
    expect(error.message).not.toContain('VERY-SECRET');
  });
});
