import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { startFakeGateway, type FakeGateway, type FakeGatewayOptions } from '../../src/broker/ib-sim/gateway.ts';
import { parseConfig } from '../../src/config/schema.ts';
import type { LogFields, Logger } from '../../src/domain/log.ts';
import { startService, type Service } from '../../src/service/service.ts';

type Settings = { ib?: object; trading?: object; risk?: object };

/** The paper service on a fake gateway pinned to one server version, with a simulated actor clock and captured log lines. */
export async function paperOnGateway(version: number, gateway: FakeGatewayOptions = {}, settings: Settings = {}) {
  const gwLog: string[] = [];
  const gw: FakeGateway = await startFakeGateway({ port: 0, seed: 11, regime: 'volatile', quietMs: 5, minVersion: version, maxVersion: version, log: (l) => void gwLog.push(l), ...gateway });
  return { gw, gwLog, ...(await paperService(gw.port, gw.account, settings)) };
}

/** The paper service on the gateway at 127.0.0.1:`port` (in this process or another). */
export async function paperService(port: number, account: string, settings: Settings = {}) {
  const lines: string[] = [];
  const log: Logger = Object.fromEntries(
    (['debug', 'info', 'warn', 'error'] as const).map((level) => [level, (event: string, fields?: LogFields) => void lines.push(`${level} ${event} ${JSON.stringify(fields ?? {})}`)]),
  ) as unknown as Logger;
  const dir = mkdtempSync(join(tmpdir(), 'qs-ib-e2e-'));
  const config = parseConfig(
    {
      mode: 'paper',
      ib: { host: '127.0.0.1', port, clientId: 7, account, staleDataSeconds: 30, connectTimeoutMs: 5_000, ...settings.ib },
      store: { path: join(dir, 'paper.db') },
      trading: { params: { lookback: 20, entry: 1.8, exit: 0.3 }, ...settings.trading },
      risk: { stopLossPerContract: 25, takeProfitPerContract: 40, maxDrawdown: 100_000, dailyLossLimit: 100_000, maxHoldMinutes: 12, consecutiveLossLimit: 1000, ...settings.risk },
    },
    'e2e',
  );
  const clock = new SimulatedClock();
  // Monday 10:00 New York: the market is open, so silence counts as a dead link.
  clock.set(Date.UTC(2026, 0, 5, 15));
  const service: Service = await startService({ config, secrets: {}, log, clock, web: false, warmupBars: 300 });
  const state = (id: 'connection' | 'strategy') => service.system.get(id)!.getSnapshot() as { matches(v: string): boolean; value: unknown };
  return { dir, clock, service, lines, state };
}
