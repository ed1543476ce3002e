import { describe, expect, test } from 'bun:test';
import { ConfigError } from '../../src/config/errors.ts';
import { checkSafety, isLoopback, requireNoErrors, type Issue, type Secrets } from '../../src/config/safety.ts';
import { LIVE_CONFIRMATION } from '../../src/config/schema.ts';
import { configWith } from './builders.ts';

type Patch = Parameters<typeof configWith>[0];

/** "level path" for each finding, the shape most rules are asserted in. */
function findings(patch: Patch, secrets: Secrets = {}): string[] {
  return checkSafety(configWith(patch), secrets).map((i) => `${i.level} ${i.path}`);
}

function messageAt(patch: Patch, path: string, secrets: Secrets = {}): string | undefined {
  return checkSafety(configWith(patch), secrets).find((i) => i.path === path)?.message;
}

const paper = { mode: 'paper', ib: { account: 'DU1234567' } } as const;
const confirmedLive = { mode: 'live', liveConfirm: LIVE_CONFIRMATION, ib: { port: 4001, account: 'U7654321' } } as const;

test('the defaults raise nothing', () => {
  expect(checkSafety(configWith({}), {})).toEqual([]);
});

describe('LIVE detection', () => {
  test('mode live is critical and needs the exact confirmation', () => {
    expect(findings({ mode: 'live', ib: { port: 4001, account: 'U1' } })).toEqual(['critical mode', 'error liveConfirm', 'critical ib.port', 'critical ib.account']);
    expect(messageAt({ mode: 'live' }, 'liveConfirm')).toBe(`mode is live, so liveConfirm must be exactly '${LIVE_CONFIRMATION}'`);
  });

  test('a confirmation that differs in any way is refused', () => {
    expect(findings({ ...confirmedLive, liveConfirm: 'I understand this trades real money.' })).toContain('error liveConfirm');
    expect(findings({ ...confirmedLive, liveConfirm: 'i understand this trades real money' })).toContain('error liveConfirm');
  });

  test('a confirmed live config is all critical warnings and no errors', () => {
    expect(findings(confirmedLive)).toEqual(['critical mode', 'critical ib.port', 'critical ib.account']);
  });

  test('live mode needs an explicit account', () => {
    expect(findings({ ...confirmedLive, ib: { port: 4001, account: '' } })).toContain('error ib.account');
  });

  test('live mode against a paper port or a DU account is flagged as a contradiction', () => {
    expect(findings({ ...confirmedLive, ib: { port: 4002, account: 'DU1' } })).toEqual(['critical mode', 'warning ib.port', 'warning ib.account']);
  });

  test.each([7496, 4001])('paper mode on live port %d is critical and an error', (port) => {
    expect(findings({ ...paper, ib: { ...paper.ib, port } })).toEqual(['critical ib.port', 'error ib.port']);
    expect(messageAt({ ...paper, ib: { ...paper.ib, port } }, 'ib.port')).toBe(`${port} is an IB LIVE port: orders would go to a real-money account`);
  });

  test.each([7497, 4002])('paper mode on paper port %d is fine', (port) => {
    expect(findings({ ...paper, ib: { ...paper.ib, port } })).toEqual([]);
  });

  test('paper mode with a non-DU account is critical and an error', () => {
    expect(findings({ mode: 'paper', ib: { account: 'U1234567' } })).toEqual(['critical ib.account', 'error ib.account']);
  });

  test('paper mode with no account is only a warning', () => {
    expect(findings({ mode: 'paper', ib: { account: '' } })).toEqual(['warning ib.account']);
  });

  test('sim mode never connects, so its ib section raises nothing', () => {
    expect(findings({ mode: 'sim', ib: { port: 4001, account: 'U1234567' } })).toEqual([]);
  });

  test('a live confirmation left in a non-live config is a warning', () => {
    expect(findings({ liveConfirm: LIVE_CONFIRMATION })).toEqual(['warning liveConfirm']);
  });
});

describe('risk limits', () => {
  test('a zero stop loss is an error', () => {
    expect(findings({ risk: { stopLossPerContract: 0 } })).toEqual(['error risk.stopLossPerContract']);
  });

  test('a stop larger than the daily loss limit is an error', () => {
    expect(findings({ risk: { stopLossPerContract: 600, takeProfitPerContract: 900, dailyLossLimit: 500 } })).toEqual(['error risk.stopLossPerContract']);
  });

  test('a stop within the limit per contract but not for the whole position is a warning', () => {
    const patch = { trading: { contracts: 2 }, risk: { stopLossPerContract: 300, takeProfitPerContract: 450, dailyLossLimit: 500 } };

    expect(findings(patch)).toEqual(['warning risk.stopLossPerContract']);
    expect(messageAt(patch, 'risk.stopLossPerContract')).toContain('loses $600');
  });

  test('a target below the stop is a warning about risk/reward', () => {
    expect(findings({ risk: { takeProfitPerContract: 150 } })).toEqual(['warning risk.takeProfitPerContract']);
    expect(findings({ risk: { takeProfitPerContract: 200 } })).toEqual([]);
  });

  test('stop and target off the $1.25 tick are warned about with the amount rounded toward the entry', () => {
    const patch = { risk: { stopLossPerContract: 201, takeProfitPerContract: 300.5 } };

    expect(findings(patch)).toEqual(['warning risk.stopLossPerContract', 'warning risk.takeProfitPerContract']);
    expect(messageAt(patch, 'risk.stopLossPerContract')).toBe('$201 is not a multiple of $1.25 (one MES tick per contract); it will be rounded toward the entry to 160 ticks = $200.00');
    expect(messageAt(patch, 'risk.takeProfitPerContract')).toContain('rounded toward the entry to 240 ticks = $300.00');
  });

  test('a sub-cent commission is a warning naming the cents charged and the fix', () => {
    expect(findings({ backtest: { commissionPerContract: 0.625 } })).toEqual(['warning backtest.commissionPerContract']);
    expect(messageAt({ backtest: { commissionPerContract: 0.625 } }, 'backtest.commissionPerContract')).toBe(
      '$0.625 has a fraction of a cent; money is kept in whole cents, so $0.63 per contract per side is charged. Write 0.63 to silence this',
    );
    expect(findings({ backtest: { commissionPerContract: 0.62 } })).toEqual([]);
  });

  test('more contracts than the position limit is an error', () => {
    expect(findings({ trading: { contracts: 2 }, risk: { maxContracts: 1 } })).toEqual(['error trading.contracts']);
  });

  test('a position limit above 2 is a warning', () => {
    expect(findings({ risk: { maxContracts: 3 } })).toEqual(['warning risk.maxContracts']);
    expect(messageAt({ risk: { maxContracts: 3 } }, 'risk.maxContracts')).toStartWith('position limit above 2');
  });

  test('a daily loss limit not below the max drawdown is a warning', () => {
    expect(findings({ risk: { dailyLossLimit: 1000, maxDrawdown: 1000 } })).toEqual(['warning risk.dailyLossLimit']);
    expect(findings({ risk: { dailyLossLimit: 999, maxDrawdown: 1000 } })).toEqual([]);
  });
});

describe('exposure', () => {
  test('a dashboard reachable from other machines needs a token', () => {
    expect(findings({ web: { host: '0.0.0.0' } })).toEqual(['error web.host']);
    expect(messageAt({ web: { host: '0.0.0.0' } }, 'web.host')).toContain('QS_DASHBOARD_TOKEN');
    expect(findings({ web: { host: '0.0.0.0' } }, { dashboardToken: 'x' })).toEqual([]);
  });

  test.each(['127.0.0.1', '127.0.1.1', 'localhost', '::1'])('%s is loopback', (host) => {
    expect(isLoopback(host)).toBe(true);
    expect(findings({ web: { host } })).toEqual([]);
  });

  test.each(['0.0.0.0', '192.168.1.5', 'example.com', '::'])('%s is not loopback', (host) => {
    expect(isLoopback(host)).toBe(false);
  });

  const telegramReady = { telegram: { enabled: true, allowedUserIds: [11], allowedChatIds: [11] } };

  test('telegram enabled with a token and both allow-lists is fine', () => {
    expect(findings(telegramReady, { telegramBotToken: 't' })).toEqual([]);
  });

  test('telegram enabled without the bot token is an error naming the env var', () => {
    expect(findings(telegramReady)).toEqual(['error telegram.enabled']);
    expect(messageAt(telegramReady, 'telegram.enabled')).toContain('TELEGRAM_BOT_TOKEN');
  });

  test('telegram enabled with an empty allow-list is an error for each list', () => {
    expect(findings({ telegram: { enabled: true, allowedUserIds: [], allowedChatIds: [] } }, { telegramBotToken: 't' })).toEqual([
      'error telegram.allowedUserIds',
      'error telegram.allowedChatIds',
    ]);
  });

  test('telegram disabled needs nothing', () => {
    expect(findings({ telegram: { enabled: false } })).toEqual([]);
  });

  test('secret values never appear in messages', () => {
    const secrets = { dashboardToken: 'DASH-SECRET', telegramBotToken: 'BOT-SECRET' };
    const issues = checkSafety(configWith({ web: { host: '0.0.0.0' }, telegram: { enabled: true } }), secrets);

    expect(issues.length).toBeGreaterThan(0);
    expect(JSON.stringify(issues)).not.toContain('SECRET');
  });
});

describe('extra checks', () => {
  test('issues from the hook are added after the built-in ones, and the hook sees the config', () => {
    const seen: number[] = [];
    const extra = (config: ReturnType<typeof configWith>): Issue[] => {
      seen.push(config.risk.maxContracts);
      return [{ level: 'error', path: 'trading.params.exitZ', message: 'exit threshold must be below entry' }];
    };

    const issues = checkSafety(configWith({ risk: { maxContracts: 3 } }), {}, extra);

    expect(seen).toEqual([3]);
    expect(issues.map((i) => `${i.level} ${i.path}`)).toEqual(['warning risk.maxContracts', 'error trading.params.exitZ']);
  });
});

test('requireNoErrors throws a ConfigError with only the errors, and passes warnings', () => {
  const issues: Issue[] = [
    { level: 'critical', path: 'mode', message: 'LIVE' },
    { level: 'error', path: 'liveConfirm', message: 'missing' },
    { level: 'warning', path: 'risk.maxContracts', message: 'above 2' },
  ];

  expect(() => requireNoErrors('x.yaml', issues)).toThrow(new ConfigError('x.yaml', [issues[1]!]));
  expect(() => requireNoErrors('x.yaml', [issues[0]!, issues[2]!])).not.toThrow();
});
