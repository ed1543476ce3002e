import { IbBroker, type IbBrokerOptions } from '../../../src/broker/ib/broker.ts';
import { startFakeGateway, type FakeGateway, type FakeGatewayOptions } from '../../../src/broker/ib-sim/gateway.ts';
import type { BrokerEvents } from '../../../src/broker/port.ts';

export type Recorded = { [K in keyof BrokerEvents]: BrokerEvents[K][] };

/** Polls `cond` (a few ms apart) until it holds; fails with `what` after `ms` of real time. */
export async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(3);
  }
}

/**
 * The IB adapter on the real @stoqey/ib client against a fake gateway on a random loopback
 * port, with every port event recorded and short time-outs. `make` builds another adapter on
 * the same gateway (a restarted bot, a second client id) sharing the persisted next order id.
 */
export async function ibHarness(opts: { gateway?: FakeGatewayOptions; broker?: Partial<IbBrokerOptions>; storedNextId?: number | null } = {}) {
  const gw: FakeGateway = await startFakeGateway({ quietMs: 5, ...opts.gateway });
  let storedNextId: number | null = opts.storedNextId ?? null;
  const brokers: IbBroker[] = [];
  const make = (over: Partial<IbBrokerOptions> = {}, ib: Partial<IbBrokerOptions['ib']> = {}) => {
    const events: Recorded = { bar: [], orderStatus: [], fill: [], connection: [], error: [] };
    const broker = new IbBroker({
      ib: { host: '127.0.0.1', port: gw.port, clientId: 1, account: gw.account, rollDaysBeforeExpiry: 8, expiringPosition: 'close', closeHoursBeforeExpiry: 24, connectTimeoutMs: 3_000, ...ib },
      mode: 'paper',
      liveConfirmedOnCli: false,
      nextOrderIdStore: { load: () => storedNextId, save: (id) => void (storedNextId = id) },
      requestTimeoutMs: 5_000,
      commissionWaitMs: 2_000,
      historyRetryMs: 10,
      ...over,
    });
    for (const k of Object.keys(events) as Array<keyof Recorded>) broker.on(k, (p) => void (events[k] as unknown[]).push(p));
    brokers.push(broker);
    return { broker, events };
  };
  const first = make(opts.broker);
  return {
    gw,
    ...first,
    make,
    storedNextId: () => storedNextId,
    statuses: (ref: string, events = first.events) => events.orderStatus.filter((u) => u.ref === ref).map((u) => u.status),
    async close(): Promise<void> {
      for (const b of brokers) await b.disconnect().catch(() => undefined);
      await gw.close();
    },
  };
}
