import { LIVE_CONFIRMATION } from '../../config/schema.ts';
import { IB_ADAPTER, IbBrokerError } from './codes.ts';

export interface AccountCheck {
  readonly mode: 'paper' | 'live';
  /** ib.account from the config; '' means "the gateway's only account". */
  readonly configured: string;
  /** What the gateway says it manages (managedAccounts). */
  readonly managed: readonly string[];
  readonly liveConfirm: string | undefined;
  readonly liveConfirmedOnCli: boolean;
}

/**
 * Which account the bot may trade on this connection, or why it may not trade at all. Checked
 * after every handshake, because the login behind a port can change between connections (a
 * Gateway restarted into the live account). A refusal is for an operator: never retryable.
 */
export function tradableAccount(c: AccountCheck): string | IbBrokerError {
  if (c.mode === 'live' && (c.liveConfirm !== LIVE_CONFIRMATION || !c.liveConfirmedOnCli)) {
    const missing = [c.liveConfirm === LIVE_CONFIRMATION ? null : `liveConfirm: ${LIVE_CONFIRMATION}`, c.liveConfirmedOnCli ? null : '--live on the command line'].filter((x) => x !== null);
    return refuse(IB_ADAPTER.liveNotConfirmed, `mode is live but it is not confirmed: orders are refused. Add ${missing.join(' and ')} to trade real money`);
  }
  const managed = c.managed.filter((a) => a !== '');
  let account = c.configured;
  if (account === '') {
    if (managed.length !== 1) return refuse(IB_ADAPTER.accountMismatch, `the gateway manages ${managed.length === 0 ? 'no account' : `several accounts (${managed.join(', ')})`}: set ib.account to the one to trade; orders are refused`);
    account = managed[0]!;
  } else if (!managed.includes(account)) {
    return refuse(IB_ADAPTER.accountMismatch, `the gateway is logged in to ${managed.join(', ') || 'no account'}, but ib.account is ${account}: orders are refused. Log the gateway in to ${account} or correct ib.account`);
  }
  if (c.mode === 'paper' && !account.startsWith('DU')) {
    return refuse(IB_ADAPTER.notPaperAccount, `mode is paper but account ${account} is not a paper account (paper accounts start with DU): orders are refused. Log the gateway in to your paper account`);
  }
  return account;
}

const refuse = (code: number, message: string) => new IbBrokerError(code, message, false);
