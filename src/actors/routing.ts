import type { Broker } from '../broker/port.ts';
import type { Logger } from '../domain/log.ts';
import type { Alerts } from './alerts.ts';
import type { OrderDesk } from './order-desk.ts';
import type { Send } from './system-types.ts';

/** The venue reported an order filled but its execution never arrived (IB adapter code; the sim never sends it). */
const FILL_MISSING = 9208;

/** A position is open in a contract past its close deadline (IB adapter code; see ib.expiringPosition): close it. */
const CONTRACT_EXPIRING = 9213;

/** Error codes that only inform (IB: data farm connection OK, HMDS farm inactive but available on demand, etc.). */
const INFO_CODES = new Set([2104, 2106, 2107, 2108, 2158, 2119]);

/**
 * Broker events → journal and actors. A fill is journalled and applied to the engine in one
 * transaction before any actor hears of it; a repeated execution report is not delivered twice.
 * Actors are addressed by systemId at delivery time, so a restarted child receives them too.
 */
export function routeBrokerEvents(deps: { broker: Broker; desk: OrderDesk; log: Logger; alerts: Alerts; send: Send; afterFill: () => void; flatten: () => string }): () => void {
  const { broker, desk, log, alerts, send } = deps;
  desk.onRefused = (ref, message) => send('position', { type: 'OrderRefused', ref, message });
  const offs = [
    broker.on('bar', (bar) => {
      // The decision first: re-arming the staleness watchdog is not on the bar → order path.
      send('strategy', { type: 'BarClosed', bar });
      send('connection', { type: 'DataReceived' });
    }),
    broker.on('fill', (fill) => {
      const recorded = desk.recordFill(fill);
      if (recorded?.applied) {
        send('position', { type: 'OrderFilled', ...recorded.applied });
        deps.afterFill();
      }
    }),
    broker.on('orderStatus', (update) => {
      const applied = desk.recordStatus(update);
      if (applied) send('position', { type: 'OrderFilled', ...applied });
      send('position', { type: 'OrderUpdated', update });
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
      if (e.code === CONTRACT_EXPIRING) {
        // The normal flatten: journalled close at market in the stop's OCA group, the stop kept until it fills.
        const ref = deps.flatten();
        log.warn('roll.closing', { ref });
        alerts.alert('escalation', `Contract roll: ${e.message} (order ${ref})`);
        return;
      }
      if (e.code === FILL_MISSING && e.ref !== undefined) send('position', { type: 'FillMissing', ref: e.ref, message: e.message });
      if (!e.retryable) alerts.alert('connection', `Broker error ${e.code}: ${e.message}`);
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
