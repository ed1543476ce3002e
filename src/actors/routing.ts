import type { Broker } from '../broker/port.ts';
import type { Logger } from '../domain/log.ts';
import type { Alerts } from './alerts.ts';
import { FillAggregator } from './fill-aggregator.ts';
import type { OrderDesk } from './order-desk.ts';
import type { TradingCore } from './trading-core.ts';

type Send = (id: 'position' | 'connection' | 'strategy', event: { type: string } & Record<string, unknown>) => void;

/** Error codes that only inform (IB: data farm connection OK, etc.). */
const INFO_CODES = new Set([2104, 2106, 2107, 2108, 2158, 2119]);

/**
 * Broker events → journal and actors. Fills and order statuses are journalled before an actor
 * sees them; a fill already journalled (a repeated execution report) is not delivered twice.
 * Actors are addressed by systemId at delivery time, so a restarted child receives them too.
 */
export function routeBrokerEvents(deps: { broker: Broker; desk: OrderDesk; log: Logger; alerts: Alerts; send: Send; core: TradingCore }): () => void {
  const { broker, desk, log, alerts, send } = deps;
  desk.onRefused = (ref, message) => send('position', { type: 'OrderRefused', ref, message });
  const fills = new FillAggregator();
  const offs = [
    broker.on('bar', (bar) => {
      send('connection', { type: 'DataReceived' });
      send('strategy', { type: 'BarClosed', bar });
    }),
    broker.on('fill', (fill) => {
      if (!desk.recordFill(fill)) return;
      const whole = fills.add(fill, desk.orderQty(fill.orderRef));
      if (whole) send('position', { type: 'OrderFilled', fill: whole });
    }),
    // A status is the broker's to keep (reconcile rebuilds it), so the actor hears it before the
    // journal records it; fills are journalled first because they move money.
    broker.on('orderStatus', (update) => {
      if (update.status === 'cancelled' || update.status === 'rejected') {
        const part = fills.ended(update.ref);
        if (part) send('position', { type: 'OrderFilled', fill: part });
      }
      send('position', { type: 'OrderUpdated', update });
      // After the current handler: a cancel's status is journalled once the exit it makes way for is out.
      queueMicrotask(() => desk.recordStatus(update));
    }),
    broker.on('connection', (e) => {
      if (e.type === 'connected') send('connection', { type: 'BrokerConnected' });
      else if (e.type === 'disconnected') send('connection', { type: 'BrokerDisconnected', reason: e.reason });
      else if (e.type === 'degraded') send('connection', { type: 'BrokerDegraded', reason: e.reason });
      else send('connection', { type: 'BrokerRestored', dataLost: e.dataLost });
    }),
    broker.on('error', (e) => {
      if (INFO_CODES.has(e.code)) {
        log.info('broker.info', { code: e.code, message: e.message });
        return;
      }
      log.warn('broker.error', { code: e.code, message: e.message, ref: e.ref, retryable: e.retryable });
      if (!e.retryable) alerts.alert('connection', `Broker error ${e.code}: ${e.message}`);
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
