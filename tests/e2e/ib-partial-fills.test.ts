import { expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { startFakeGateway } from '../../src/broker/ib-sim/gateway.ts';
import { parseConfig } from '../../src/config/schema.ts';
import type { LogFields, Logger } from '../../src/domain/log.ts';
import { startService } from '../../src/service/service.ts';
import { until } from '../broker/ib/harness.ts';

const lines: string[] = [];
const log: Logger = Object.fromEntries(
  (['debug', 'info', 'warn', 'error'] as const).map((level) => [level, (event: string, fields?: LogFields) => void lines.push(`${level} ${event} ${JSON.stringify(fields ?? {})}`)]),
) as unknown as Logger;

test('explore', async () => {
  const gw = await startFakeGateway({ port: 0, seed: 11, regime: 'volatile', quietMs: 5 });
  const dir = mkdtempSync(join(tmpdir(), 'qs-ib-partial-'));
  const config = parseConfig(
    {
      mode: 'paper',
      ib: { host: '127.0.0.1', port: gw.port, clientId: 7, account: gw.account, staleDataSeconds: 30, connectTimeoutMs: 5_000 },
      store: { path: join(dir, 'paper.db') },
      trading: { contracts: 2, params: { lookback: 20, entry: 1.8, exit: 0.3 } },
      risk: { maxContracts: 2, stopLossPerContract: 25, takeProfitPerContract: 40, maxDrawdown: 100_000, dailyLossLimit: 100_000, maxHoldMinutes: 12, consecutiveLossLimit: 1000 },
    },
    'e2e',
  );
  const clock = new SimulatedClock();
  clock.set(Date.UTC(2026, 0, 5, 15));
  const service = await startService({ config, secrets: {}, log, clock, web: false, warmupBars: 300 });
  try {
    await until(() => (service.system.get('strategy')!.getSnapshot() as { matches(v: string): boolean }).matches('ready'), 'warm-up', 10_000);
    gw.partialFillNext(1);
    let armed = false;
    for (let i = 0; i < 200; i++) {
      await gw.step();
      await Bun.sleep(40);
      const p = service.core.engine.state.position;
      if (p && !armed) {
        armed = true;
        gw.partialFillNext(1);
      }
      if (armed && service.repos.trades.recent({ limit: 10, offset: 0 }).length > 0) {
        console.log('closed at step', i);
        break;
      }
    }
    await Bun.sleep(300);
    console.log(service.repos.fills.since(0));
    console.log(service.repos.trades.recent({ limit: 10, offset: 0 }));
    console.log(gw.book.exchange.positions(), gw.book.exchange.accountPnl(), service.core.engine.state.position);
    console.log(lines.filter((l) => /order|fill|trade|position|signal|warn|error/.test(l)).join('\n'));
  } finally {
    await service.shutdown('test');
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
