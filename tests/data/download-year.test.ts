import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { IbHistoryClient } from '../../src/broker/ib/history-client.ts';
import { startFakeGateway, type FakeGateway } from '../../src/broker/ib-sim/gateway.ts';
import { RangeHistory } from '../../src/broker/ib-sim/history-range.ts';
import { continuousSeries } from '../../src/data/continuous.ts';
import { download, planDownload, type DownloadClock } from '../../src/data/download.ts';
import { PACING } from '../../src/data/pacing.ts';
import { BarsRepository } from '../../src/store/bars.ts';
import { useTempStore } from '../store/temp-store.ts';

const START = Date.UTC(2026, 0, 1);
const sim = { t: START };
const clock: DownloadClock = { now: () => sim.t, sleep: async (ms) => void (sim.t += ms) };

let gateway: FakeGateway;
let history: RangeHistory;
let client: IbHistoryClient;
beforeAll(async () => {
  history = new RangeHistory(clock.now);
  gateway = await startFakeGateway({ rangeHistory: history });
  client = new IbHistoryClient({ host: '127.0.0.1', port: gateway.port, clientId: 52, connectTimeoutMs: 5_000 });
});
afterAll(async () => {
  client.close();
  await gateway.close();
});

describe('a year of MES history from the fake gateway', () => {
  const t = useTempStore();

  test('2025 in five contracts, within every pacing rule, paced by the 60-in-10-minutes limit', async () => {
    const repo = new BarsRepository(t.store);
    const tasks = planDownload(Date.UTC(2025, 0, 1), Date.UTC(2026, 0, 1), 8);
    const s = await download({ source: client, repo, tasks, clock });
    expect(history.violations).toEqual([]);
    expect(s.requested).toBe(tasks.length);
    expect(s.noData).toEqual([]);
    expect(s.perContract.map((c) => c.contract)).toEqual(['MESH25', 'MESM25', 'MESU25', 'MESZ25', 'MESH26']);
    // n requests need at least ⌊(n − 1) / 60⌋ full 10-minute windows of IB time.
    expect(sim.t - START).toBeGreaterThanOrEqual(Math.floor((tasks.length - 1) / PACING.windowMax) * PACING.windowMs);
    const c = continuousSeries(repo, 'MES', { rollDays: 8, adjust: 'difference' });
    expect(c.rolls).toHaveLength(4);
    expect(c.rolls.every((r) => r.measuredAt !== null)).toBe(true);
    // About a year of Globex minutes (23 h × ~250 sessions, less holidays).
    expect(c.series.length).toBeGreaterThan(340_000);
    expect(c.series.length).toBeLessThan(360_000);
  }, 120_000);
});
