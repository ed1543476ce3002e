import { afterEach, describe, expect, test } from 'bun:test';
import { EventName, IBApi } from '@stoqey/ib';
import { startFakeGateway, type FakeGateway } from '../../../src/broker/ib-sim/gateway.ts';
import { TESTED_VERSIONS } from '../../../src/broker/ib-sim/versions.ts';

/**
 * The market data a plain @stoqey/ib client gets from the fake gateway at each tested version:
 * reqMktData ticks, history ending at either documented end-time format, bar dates in
 * formatDate 1 (zoned text) and 2 (epoch seconds), and a permission error when asked for.
 */

let gw: FakeGateway | null = null;
let api: IBApi | null = null;
afterEach(async () => {
  api?.disconnect();
  api = null;
  await gw?.close();
  gw = null;
});

async function connected(version: number, deny?: 354 | 10167): Promise<{ ib: IBApi; events: Array<[string, unknown[]]> }> {
  gw = await startFakeGateway({ port: 0, quietMs: 5, minVersion: version, maxVersion: version });
  if (deny !== undefined) gw.denyMarketData(deny);
  const ib = new IBApi({ host: '127.0.0.1', port: gw.port });
  api = ib;
  const events: Array<[string, unknown[]]> = [];
  for (const name of [EventName.tickPrice, EventName.tickSize, EventName.marketDataType, EventName.historicalData, EventName.error]) (ib as unknown as { on(n: string, f: (...a: unknown[]) => void): void }).on(name, (...args: unknown[]) => void events.push([name, args]));
  const ready = new Promise<void>((r) => ib.once(EventName.nextValidId, () => r()));
  ib.connect(3);
  await ready;
  return { ib, events };
}

const waitFor = async (cond: () => boolean) => {
  for (let i = 0; i < 400 && !cond(); i++) await Bun.sleep(5);
  expect(cond()).toBe(true);
};

const mes = { conId: 0, symbol: 'MES', secType: 'FUT', lastTradeDateOrContractMonth: '20260320', exchange: 'CME', currency: 'USD' } as never;

describe.each(TESTED_VERSIONS)('market data at server version %i', (v) => {
  test('reqMktData: market data type 1, then bid / ask / last ticks on every trade', async () => {
    const { ib, events } = await connected(v);
    ib.reqMktData(41, mes, '', false, false);
    await waitFor(() => events.some(([n]) => n === EventName.tickPrice));
    await gw!.step();
    await waitFor(() => events.filter(([n]) => n === EventName.tickPrice).length >= 6);
    expect(events.find(([n]) => n === EventName.marketDataType)?.[1]).toEqual([41, 1]);
    const types = events.filter(([n]) => n === EventName.tickPrice).map(([, a]) => a[1]);
    expect(new Set(types)).toEqual(new Set([1, 2, 4]));
  });

  test('a missing subscription is refused with its code; 10167 gives delayed data (type 3)', async () => {
    const { ib, events } = await connected(v, 10167);
    ib.reqMktData(42, mes, '', false, false);
    await waitFor(() => events.some(([n]) => n === EventName.marketDataType));
    expect(events.find(([n]) => n === EventName.marketDataType)?.[1]).toEqual([42, 3]);
    expect(events.some(([n, a]) => n === EventName.error && a[1] === 10167)).toBe(true);
    ib.reqRealTimeBars(43, mes, 5, 'TRADES' as never, false);
    await waitFor(() => events.some(([n, a]) => n === EventName.error && a[2] === 43));
    expect(events.find(([n, a]) => n === EventName.error && a[2] === 43)?.[1][1]).toBe(354);
  });

  test('history ending at `yyyymmdd-hh:mm:ss` (UTC) and at `yyyymmdd hh:mm:ss Zone` is the same, in formatDate 1 and 2', async () => {
    const { ib, events } = await connected(v);
    const bars = (reqId: number) => events.filter(([n, a]) => n === EventName.historicalData && a[0] === reqId && !String(a[1]).startsWith('finished')).map(([, a]) => String(a[1]));
    const done = (reqId: number) => events.some(([n, a]) => n === EventName.historicalData && a[0] === reqId && String(a[1]).startsWith('finished'));
    // The market starts 4 Jan 2026 23:00 UTC; 500 warm-up minutes reach past 5 Jan 07:00 UTC.
    ib.reqHistoricalData(51, mes, '20260105-07:00:00', '3600 S', '1 min' as never, 'TRADES' as never, 0, 2, false);
    ib.reqHistoricalData(52, mes, '20260105 02:00:00 US/Eastern', '3600 S', '1 min' as never, 'TRADES' as never, 0, 1, false);
    await waitFor(() => done(51) && done(52));
    expect(bars(51).length).toBe(60);
    expect(bars(51)[0]).toBe(String(Date.UTC(2026, 0, 5, 6) / 1000));
    expect(bars(52)).toEqual(bars(51).map((s) => {
      const d = new Date(Number(s) * 1000 - 5 * 3_600_000);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:00 US/Eastern`;
    }));
  });
});
