import type { PortEvents } from './events.ts';
import { IB_ADAPTER, IbBrokerError } from './codes.ts';

/**
 * TWS's answers to a market data request on an account without the CME real-time subscription
 * for the API (common on paper accounts): 354 not subscribed, 10089 needs an additional API
 * subscription, 10167 delayed data only (no real-time bars), 420 no market data permissions.
 * Texts vary between TWS versions; the codes are IB's documented ones.
 */
export const DATA_DENIED_CODES: ReadonlySet<number> = new Set([354, 10089, 10167, 420]);

/**
 * Whether the bot has real-time data to trade on. A refusal is one CRITICAL alert (not one per
 * reconnect), the connection is degraded with the reason (the connection actor's staleness
 * watchdog does not run while degraded, so no reconnect loop), and entries are refused until
 * bars arrive again. Exits are never refused: a position must always be closable.
 */
export class MarketDataGate {
  private denied: { code: number; text: string } | null = null;
  private alerted = false;

  constructor(
    private readonly events: PortEvents,
    private readonly degrade: (reason: string) => void,
  ) {}

  get missing(): boolean {
    return this.denied !== null;
  }

  onDenied(code: number, text: string): void {
    this.denied = { code, text };
    const reason = `no real-time CME market data for MES: ${text} (${code})`;
    this.degrade(reason);
    if (this.alerted) return;
    this.alerted = true;
    this.events.error({
      code: IB_ADAPTER.marketDataMissing,
      retryable: false,
      message: `CRITICAL: IB refuses real-time market data for MES (${code}: ${text}). The account lacks the CME real-time subscription for the API (e.g. "CME Real-Time (NP, L1)" in Client Portal → Settings → Market Data Subscriptions, plus the API acknowledgement). No bars can arrive: entries are refused; exits still go. The bot does not reconnect over this`,
    });
  }

  /** Bars arrived: the data is there (again). */
  onData(): void {
    if (this.denied === null) return;
    this.denied = null;
    this.alerted = false;
  }

  /** Throws when entries must be refused for want of data. */
  requireData(): void {
    if (this.denied === null) return;
    throw new IbBrokerError(IB_ADAPTER.marketDataMissing, `entry refused: no real-time market data for MES (${this.denied.code}: ${this.denied.text}); subscribe to CME real-time data for the API`, false);
  }
}
