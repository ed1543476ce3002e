import type { ConnectionEvent } from '../port.ts';
import { classify, CODES, IbBrokerError } from './codes.ts';

type Reason = 'routing' | 'farm' | 'competing' | 'marketData';

/**
 * TWS's connectivity notices as the port's connection events. IB keeps the socket open through
 * its own outages and says so by code: 1100/2110 (IB's servers unreachable: orders cannot
 * route, so they are refused until 1101/1102), data farm warnings, a competing session taking
 * the market data (10197). Each is a reason to be degraded; `restored` is emitted when the
 * last reason clears — by 1101/1102, a farm's OK notice, or bars flowing again.
 */
export class Connectivity {
  private readonly reasons = new Map<Reason, string>();

  constructor(private readonly emit: (e: ConnectionEvent) => void) {}

  /** A new session starts healthy. */
  reset(): void {
    this.reasons.clear();
  }

  /** Throws while IB cannot route orders (retryable: they can be sent once 1101/1102 arrives). */
  requireRouting(): void {
    const why = this.reasons.get('routing');
    if (why !== undefined) throw new IbBrokerError(CODES.connectivityLost, `IB reports lost connectivity (${why}): orders are refused until it is restored`, true);
  }

  onMessage(code: number, text: string): void {
    const action = classify(code);
    const reason = `${text} (${code})`;
    switch (action.kind) {
      case 'routingLost':
        return this.degrade('routing', reason);
      case 'farmDown':
        return this.degrade('farm', reason);
      case 'competingSession':
        return this.degrade('competing', reason);
      case 'restored':
        this.reasons.clear();
        return this.emit({ type: 'restored', dataLost: action.dataLost });
      case 'farmOk':
        return this.clear(['farm']);
      default:
        return;
    }
  }

  /** Bars arrived on the live subscription: market data works again. */
  onData(): void {
    if (this.reasons.size > 0) this.clear(['farm', 'competing', 'marketData']);
  }

  /** The market data subscription was refused (no CME permission): degraded until bars arrive. */
  dataDenied(reason: string): void {
    if (this.reasons.has('marketData')) return;
    this.degrade('marketData', reason);
  }

  private degrade(kind: Reason, reason: string): void {
    this.reasons.set(kind, reason);
    this.emit({ type: 'degraded', reason });
  }

  private clear(kinds: readonly Reason[]): void {
    const had = this.reasons.size;
    for (const k of kinds) this.reasons.delete(k);
    if (had > 0 && this.reasons.size === 0) this.emit({ type: 'restored', dataLost: false });
  }
}
