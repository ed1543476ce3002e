import type { AlertKind, AlertSetting } from '../config/schema.ts';
import type { Logger } from '../domain/log.ts';
import type { OutboxRepository } from '../store/outbox.ts';

/** The Notifier port: what the rest of the system calls to tell the operator something. */
export interface Notifier {
  /** Queues an alert; never throws. */
  alert(kind: AlertKind, text: string, payload?: unknown): void;
}

/** `telegram.alerts` from the config; a kind left out is 'on'. */
export type AlertSettings = Partial<Readonly<Record<AlertKind, AlertSetting>>>;

export interface AlertsOptions {
  readonly outbox: Pick<OutboxRepository, 'enqueue'>;
  readonly settings: AlertSettings;
  readonly now: () => number;
  /** Wakes the notifier actor, e.g. `() => system.get('notifier')?.send({ type: 'OutboxChanged' })`. */
  readonly poke: () => void;
  readonly logger: Logger;
  /** Delivers straight to the channels when the outbox cannot be written (disk full). */
  readonly fallback?: (kind: AlertKind, text: string) => void;
}

/**
 * Writes alerts into the outbox (durable: a crash before delivery does not lose them) and wakes
 * the notifier. An alert must never break trading, so every failure is logged and swallowed.
 */
export class Alerts implements Notifier {
  constructor(private readonly options: AlertsOptions) {}

  /** The outbox id, or null when the kind is 'off' or the alert could not be stored. */
  alert(kind: AlertKind, text: string, payload?: unknown): number | null {
    const { outbox, settings, now, logger } = this.options;
    try {
      const setting = settings[kind] ?? 'on';
      if (setting === 'off') return null;
      const id = outbox.enqueue({ kind, text, payload, silent: setting === 'silent' }, now());
      // Deferred: a caller inside a store transaction commits (or rolls back) before the notifier
      // reads the row, so no alert goes out about a fact that was never written.
      queueMicrotask(() => this.poke());
      return id;
    } catch (error) {
      logger.error('alert_not_queued', { kind, text, error: errorText(error) });
      try {
        this.options.fallback?.(kind, text);
      } catch (e) {
        logger.error('alert_not_delivered', { kind, error: errorText(e) });
      }
      return null;
    }
  }

  private poke(): void {
    try {
      this.options.poke();
    } catch (error) {
      // The row is stored; the notifier's poll picks it up within seconds.
      this.options.logger.warn('notifier_not_woken', { error: errorText(error) });
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
