/**
 * IB's historical-data pacing rules (TWS API "Historical Data Limitations"), kept by the client
 * so the gateway never has to refuse: a violation is an error 162 and, repeated, a disconnect.
 *   - no identical request within 15 seconds;
 *   - six or more requests for one contract within 2 seconds are a violation: at most five;
 *   - no more than 60 requests in any 10 minutes.
 * Pure: time comes in as an argument, so the same rules serve the downloader and the fake gateway.
 */
export const PACING = {
  identicalMs: 15_000,
  perContractMs: 2_000,
  perContractMax: 5,
  windowMs: 600_000,
  windowMax: 60,
} as const;

interface Sent {
  readonly t: number;
  readonly key: string;
  readonly contract: string;
}

export class PacingRules {
  private sent: Sent[] = [];

  private prune(now: number): void {
    let i = 0;
    while (i < this.sent.length && now - this.sent[i]!.t >= PACING.windowMs) i++;
    if (i > 0) this.sent = this.sent.slice(i);
  }

  /** How long to wait from `now` before a request (`key` names it whole) keeps every rule; 0 = now. */
  waitMs(key: string, contract: string, now: number): number {
    this.prune(now);
    let until = now;
    const same = this.sent.findLast((s) => s.key === key);
    if (same) until = Math.max(until, same.t + PACING.identicalMs);
    const mine = this.sent.filter((s) => s.contract === contract);
    if (mine.length >= PACING.perContractMax) until = Math.max(until, mine[mine.length - PACING.perContractMax]!.t + PACING.perContractMs);
    if (this.sent.length >= PACING.windowMax) until = Math.max(until, this.sent[this.sent.length - PACING.windowMax]!.t + PACING.windowMs);
    return until - now;
  }

  /** The rule a request sent at `now` would break, or null. */
  violation(key: string, contract: string, now: number): string | null {
    this.prune(now);
    if (this.sent.some((s) => s.key === key && now - s.t < PACING.identicalMs)) return 'an identical request within 15 seconds';
    if (this.sent.filter((s) => s.contract === contract && now - s.t < PACING.perContractMs).length >= PACING.perContractMax) return 'six or more requests for one contract within 2 seconds';
    if (this.sent.length >= PACING.windowMax) return 'more than 60 requests within 10 minutes';
    return null;
  }

  record(key: string, contract: string, now: number): void {
    this.sent.push({ t: now, key, contract });
  }
}
