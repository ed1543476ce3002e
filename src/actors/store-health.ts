import * as v from 'valibot';
import type { Logger } from '../domain/log.ts';
import { isStoreFailure } from '../store/failure.ts';
import type { Repositories } from '../store/repositories.ts';
import type { Alerts } from './alerts.ts';
import type { Clock } from './clock.ts';
import type { TradingCore } from './trading-core.ts';

const PROBE_FACT = 'storeProbe';
const PROBE_EVERY_MS = 2_000;

export interface StoreHealthDeps {
  readonly repos: Repositories;
  readonly core: TradingCore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly alerts: Alerts;
  /** Writes succeed again: reconcile now (fills missed meanwhile are adopted from the broker). */
  readonly onRecovered: () => void;
}

/**
 * Fail safe when the journal cannot be written (disk full, read-only, locked): entries halt at
 * once (HALTED: store, on every channel), protective orders stay at the venue (nothing is
 * cancelled whose replacement cannot be journalled), and a probe write on a timer ends the halt
 * by itself once writes succeed again.
 */
export class StoreHealth {
  private probe: unknown = null;
  private since: number | null = null;
  private lastError = '';

  constructor(private readonly d: StoreHealthDeps) {}

  get down(): { readonly since: number; readonly error: string } | null {
    return this.since === null ? null : { since: this.since, error: this.lastError };
  }

  /** Runs a write whose failure must not stop the caller (a breaker journal line, a pause). */
  guard(write: () => void): void {
    try {
      write();
    } catch (e) {
      if (!isStoreFailure(e)) throw e;
      this.failed(e);
    }
  }

  failed(e: unknown): void {
    this.lastError = e instanceof Error ? e.message : String(e);
    if (this.since !== null) return;
    this.since = this.d.clock.now();
    this.d.log.error('store.unwritable', { error: this.lastError, note: 'entries halted; protective orders stay at the broker; retrying' });
    this.d.core.storeFailed(this.d.core.lastBar?.time ?? this.since, `the journal cannot be written: ${this.lastError}`);
    this.d.alerts.alert('escalation', `HALTED (store): the journal cannot be written (${this.lastError}). New entries are refused; the stop stays at the broker. Free disk space or fix permissions; trading resumes by itself.`);
    this.schedule();
  }

  stop(): void {
    if (this.probe !== null) this.d.clock.clearTimeout(this.probe);
    this.probe = null;
  }

  private schedule(): void {
    this.probe = this.d.clock.setTimeout(() => this.tryWrite(), PROBE_EVERY_MS);
  }

  private tryWrite(): void {
    const now = this.d.clock.now();
    try {
      this.d.repos.transaction(() => this.d.repos.facts.set(PROBE_FACT, v.number(), now, now));
      this.d.core.storeRecovered(this.d.core.lastBar?.time ?? now);
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      this.schedule();
      return;
    }
    this.d.log.info('store.writable', { downForMs: now - (this.since ?? now) });
    this.since = null;
    this.probe = null;
    this.d.alerts.alert('escalation', 'Store writable again: the halt for the store is cleared; reconciling with the broker.');
    this.d.onRecovered();
  }
}
