import type { BrokerError, BrokerEvents, Unsubscribe } from '../port.ts';

type Handlers = { [K in keyof BrokerEvents]: Set<(payload: BrokerEvents[K]) => void> };

/**
 * The port's event fan-out. Handlers must not throw (the port says so); one that does is
 * reported as an error event instead of unwinding into the socket code that delivered it.
 */
export class PortEvents {
  private readonly handlers: Handlers = { bar: new Set(), orderStatus: new Set(), fill: new Set(), connection: new Set(), error: new Set() };

  on<K extends keyof BrokerEvents>(event: K, handler: (payload: BrokerEvents[K]) => void): Unsubscribe {
    const set = this.handlers[event];
    set.add(handler);
    return () => set.delete(handler);
  }

  emit<K extends keyof BrokerEvents>(event: K, payload: BrokerEvents[K]): void {
    for (const handler of [...this.handlers[event]]) {
      try {
        handler(payload);
      } catch (e) {
        if (event !== 'error') this.emit('error', { code: 9202, message: `a ${event} handler threw: ${e instanceof Error ? e.message : String(e)}`, retryable: true });
      }
    }
  }

  error(e: BrokerError): void {
    this.emit('error', e);
  }
}
