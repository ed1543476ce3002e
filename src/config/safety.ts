import { MES } from '../domain/instrument.ts';
import { dollarsToTicksWithin, hasSubCent, toCents } from '../domain/money.ts';
import { ConfigError, type Issue } from './errors.ts';
import { LIVE_CONFIRMATION, type Config } from './schema.ts';

export type { Issue } from './errors.ts';

/** Secrets come from the environment only; the checks need to know whether they are set, never print them. */
export interface Secrets {
  readonly dashboardToken?: string;
  readonly telegramBotToken?: string;
}

/** Checks that need more than one field. Registered elsewhere (e.g. strategy params by the strategy registry). */
export type ExtraCheck = (config: Config) => Issue[];

// IB's conventions: TWS 7496 / Gateway 4001 log in to the live account, 7497 / 4002 to paper.
const LIVE_PORTS: readonly number[] = [7496, 4001];
const PAPER_PORTS: readonly number[] = [7497, 4002];
const TICK_DOLLARS = MES.tickValueCents / 100;

/**
 * Rules that a schema cannot express because they relate fields to each other, to the mode or to
 * the environment. `critical` marks anything that means real money: it never blocks on its own,
 * but an operator must never be surprised by it.
 */
export function checkSafety(config: Config, secrets: Secrets, extra?: ExtraCheck): Issue[] {
  return [...liveDetection(config), ...riskLimits(config), ...costs(config), ...exposure(config, secrets), ...(extra?.(config) ?? [])];
}

function liveDetection(c: Config): Issue[] {
  const issues: Issue[] = [];
  const livePort = LIVE_PORTS.includes(c.ib.port);
  const account = c.ib.account;
  const liveAccount = account !== '' && !account.startsWith('DU');
  if (c.mode === 'live') {
    issues.push(critical('mode', 'LIVE trading: orders go to a real-money account'));
    if (c.liveConfirm !== LIVE_CONFIRMATION) {
      issues.push(error('liveConfirm', `mode is live, so liveConfirm must be exactly '${LIVE_CONFIRMATION}'${c.liveConfirm === undefined ? '' : ' (the text given differs)'}`));
    }
    if (account === '') issues.push(error('ib.account', "live mode needs the live account id set explicitly, so the bot never trades whichever account the gateway is logged in to"));
    if (PAPER_PORTS.includes(c.ib.port)) issues.push(warning('ib.port', `mode is live but ${c.ib.port} is a paper-trading port; use 4001 (Gateway) or 7496 (TWS) for live`));
    if (account.startsWith('DU')) issues.push(warning('ib.account', `mode is live but ${account} is a paper account (DU…)`));
  } else if (c.liveConfirm !== undefined) {
    issues.push(warning('liveConfirm', `ignored because mode is ${c.mode}; remove it so a later switch to live needs a fresh, deliberate confirmation`));
  }
  if (c.mode === 'sim') return issues;
  // The sim never connects to IB, so its ib section cannot reach a live account.
  if (livePort) issues.push(critical('ib.port', `${c.ib.port} is an IB LIVE port: orders would go to a real-money account`));
  if (liveAccount) issues.push(critical('ib.account', `${account} is a LIVE account (paper accounts start with DU)`));
  if (c.mode === 'paper') {
    if (livePort) issues.push(error('ib.port', `mode is paper but ${c.ib.port} is a live port; use 4002 (Gateway) or 7497 (TWS) for paper`));
    if (liveAccount) issues.push(error('ib.account', `mode is paper but ${account} is not a paper account; set your DU… paper account id`));
    if (account === '') issues.push(warning('ib.account', "empty: the bot will use the gateway's account; set your DU… paper account so a live login cannot be used by mistake"));
  }
  return issues;
}

function riskLimits(c: Config): Issue[] {
  const { risk, trading } = c;
  const issues: Issue[] = [];
  const stop = risk.stopLossPerContract;
  if (!(stop > 0)) {
    issues.push(error('risk.stopLossPerContract', `every trade needs a stop loss, got ${stop} (set it to e.g. 200 dollars per contract)`));
  } else if (stop > risk.dailyLossLimit) {
    issues.push(error('risk.stopLossPerContract', `$${stop} per contract is more than risk.dailyLossLimit ($${risk.dailyLossLimit}): one stopped-out trade would blow the daily limit; lower the stop or raise the limit`));
  } else if (stop * trading.contracts > risk.dailyLossLimit) {
    issues.push(warning('risk.stopLossPerContract', `one stopped-out trade of ${trading.contracts} contracts loses $${stop * trading.contracts}, more than risk.dailyLossLimit ($${risk.dailyLossLimit})`));
  }
  if (stop > 0 && risk.takeProfitPerContract < stop) {
    issues.push(warning('risk.takeProfitPerContract', `$${risk.takeProfitPerContract} is below the stop ($${stop}): risk/reward under 1 needs a high win rate to break even`));
  }
  for (const [path, dollars] of [['risk.stopLossPerContract', stop], ['risk.takeProfitPerContract', risk.takeProfitPerContract]] as const) {
    const ticks = dollars / TICK_DOLLARS;
    if (dollars > 0 && Math.abs(ticks - Math.round(ticks)) > 1e-9) {
      const rounded = dollarsToTicksWithin(dollars);
      issues.push(warning(path, `$${dollars} is not a multiple of $${TICK_DOLLARS.toFixed(2)} (one MES tick per contract); it will be rounded toward the entry to ${rounded} ticks = $${(rounded * TICK_DOLLARS).toFixed(2)}`));
    }
  }
  if (trading.contracts > risk.maxContracts) {
    issues.push(error('trading.contracts', `${trading.contracts} is above risk.maxContracts (${risk.maxContracts}); lower it or raise the limit`));
  }
  if (risk.maxContracts > 2) issues.push(warning('risk.maxContracts', `position limit above 2 (${risk.maxContracts}): make sure the account can carry the margin and the losses`));
  if (risk.dailyLossLimit >= risk.maxDrawdown) {
    issues.push(warning('risk.dailyLossLimit', `$${risk.dailyLossLimit} is not below risk.maxDrawdown ($${risk.maxDrawdown}): a single day can exhaust the whole drawdown budget`));
  }
  return issues;
}

/**
 * Money is kept in whole cents, so a sub-cent commission is charged rounded to the cent. A warning,
 * not an error: the difference is under half a cent per contract per side and the run is still
 * meaningful, but the trader should see which figure is used and how to say it exactly.
 */
function costs(c: Config): Issue[] {
  const commission = c.backtest.commissionPerContract;
  if (!hasSubCent(commission)) return [];
  const used = (toCents(commission) / 100).toFixed(2);
  return [warning('backtest.commissionPerContract', `$${commission} has a fraction of a cent; money is kept in whole cents, so $${used} per contract per side is charged. Write ${used} to silence this`)];
}

function exposure(c: Config, secrets: Secrets): Issue[] {
  const issues: Issue[] = [];
  if (!isLoopback(c.web.host) && !secrets.dashboardToken) {
    issues.push(error('web.host', `${c.web.host} is reachable from other machines, so the dashboard needs a token: set QS_DASHBOARD_TOKEN in the environment, or bind 127.0.0.1`));
  }
  if (c.telegram.enabled) {
    if (!secrets.telegramBotToken) issues.push(error('telegram.enabled', 'the Telegram bot needs its token: set TELEGRAM_BOT_TOKEN in the environment, or set enabled: false'));
    // An empty allow-list would either lock the operator out or, worse, tempt code to treat it as "anyone".
    if (c.telegram.allowedUserIds.length === 0) issues.push(error('telegram.allowedUserIds', 'empty: list the Telegram user ids allowed to command the bot, e.g. [123456789]'));
    if (c.telegram.allowedChatIds.length === 0) issues.push(error('telegram.allowedChatIds', 'empty: list the Telegram chat ids the bot talks in, e.g. [123456789]'));
  }
  return issues;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** For commands that must not start on an unsafe config: throws ConfigError listing the errors. */
export function requireNoErrors(source: string, issues: readonly Issue[]): void {
  const errors = issues.filter((i) => i.level === 'error');
  if (errors.length > 0) throw new ConfigError(source, errors);
}

const critical = (path: string, message: string): Issue => ({ level: 'critical', path, message });
const error = (path: string, message: string): Issue => ({ level: 'error', path, message });
const warning = (path: string, message: string): Issue => ({ level: 'warning', path, message });
