import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from 'xstate';
import { startFakeGateway } from '../../src/broker/ib-sim/gateway.ts';
import { parseConfig } from '../../src/config/schema.ts';
import { frontContractAt } from '../../src/data/contracts.ts';
import type { Bar } from '../../src/domain/bar.ts';
import type { Logger } from '../../src/domain/log.ts';
import { startService } from '../../src/service/service.ts';
import { BarsRepository } from '../../src/store/bars.ts';
import { recordBars } from '../../src/store/bars-recorder.ts';
import { openStore } from '../../src/store/db.ts';
import { until } from '../broker/ib/harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'qs-recorded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const logged: string[] = [];
const log = Object.fromEntries((['debug', 'info', 'warn', 'error'] as const).map((l) => [l, (e: string) => void logged.push(`${l} ${e}`)])) as unknown as Logger;

describe('recorded live bars', () => {
  test('each bar goes under the contract the roll rule names for its time', () => {
    const store = openStore(join(dir, 'unit.db'));
    try {
      let emit: (b: Bar) => void = () => {};
      recordBars({ on: (_e, h) => ((emit = h), () => {}) }, store, { rollDays: 8, barMinutes: 1, log, now: () => 0 });
      // 2024-03-06 is before MESH24's roll (03-07), 2024-03-08 after it.
      const before = Date.UTC(2024, 2, 6, 15);
      const after = Date.UTC(2024, 2, 8, 15);
      for (const time of [before, after]) emit({ time, open: 5000, high: 5001, low: 4999, close: 5000.5, volume: 3 });
      const repo = new BarsRepository(store);
      expect(repo.ranges().map((r) => [r.contract, r.bars, r.from])).toEqual([
        ['MESH24', 1, before],
        ['MESM24', 1, after],
      ]);
      expect(frontContractAt(after, 8).name).toBe('MESM24');
    } finally {
      store.close();
    }
  });

  test('a paper session against the fake gateway keeps every closed bar it traded on', async () => {
    const gw = await startFakeGateway({ port: 0, seed: 5, quietMs: 5 });
    const path = join(dir, 'paper.db');
    const config = parseConfig({ mode: 'paper', ib: { host: '127.0.0.1', port: gw.port, clientId: 9, account: gw.account, connectTimeoutMs: 5_000 }, store: { path } }, 'test');
    const clock = new SimulatedClock();
    clock.set(Date.UTC(2026, 0, 5, 15));
    const service = await startService({ config, secrets: {}, log, clock, web: false, warmupBars: 50 });
    const seen: Bar[] = [];
    service.broker.on('bar', (b) => seen.push(b));
    try {
      await until(() => (service.system.get('strategy')!.getSnapshot() as { matches(v: string): boolean }).matches('ready'), 'the strategy to warm up');
      for (let i = 0; i < 5; i++) await gw.step();
      await until(() => seen.length >= 5, 'five closed bars');
    } finally {
      await service.shutdown('test');
      await gw.close();
    }
    const store = openStore(path);
    try {
      const repo = new BarsRepository(store);
      const [range] = repo.ranges();
      const stored = repo.load(range!.contract);
      expect(range!.contract).toBe(frontContractAt(seen[0]!.time, config.ib.rollDaysBeforeExpiry).name);
      expect([...stored.time]).toEqual(seen.map((b) => b.time));
      expect([...stored.close]).toEqual(seen.map((b) => b.close));
    } finally {
      store.close();
    }
  });
});
