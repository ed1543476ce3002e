import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test';
import { IbHistoryClient } from '../../src/broker/ib/history-client.ts';
import { startFakeGateway, type FakeGateway } from '../../src/broker/ib-sim/gateway.ts';
import { RangeHistory } from '../../src/broker/ib-sim/history-range.ts';
import { continuousSeries } from '../../src/data/continuous.ts';
import { download, planDownload, type DownloadClock } from '../../src/data/download.ts';
import { PacingRules } from '../../src/data/pacing.ts';
import { BarsRepository } from '../../src/store/bars.ts';
import { useTempStore } from '../store/temp-store.ts';

/** Simulated time shared by the downloader and the gateway's pacing rules: a wait costs nothing. */
const sim = { t: Date.UTC(2024, 5, 1) };
const clock: DownloadClock = { now: () => sim.t, sleep: async (ms) => void (sim.t += ms) };

const ROLL_DAYS = 8;
// Two weeks across the March 2024 roll (MESH24 → MESM24 on 2024-03-07).
const FROM = Date.UTC(2024, 2, 1);
const TO = Date.UTC(2024, 2, 13);

let gateway: FakeGateway;
let history: RangeHistory;
let client: IbHistoryClient;

beforeAll(async () => {
  history = new RangeHistory(clock.now);
  gateway = await startFakeGateway({ rangeHistory: history });
  client = new IbHistoryClient({ host: '127.0.0.1', port: gateway.port, clientId: 51, connectTimeoutMs: 5_000 });
});
afterAll(async () => {
  client.close();
  await gateway.close();
});

describe('data download against the fake gateway', () => {
  const t = useTempStore();
  afterEach(() => {
    history.violations.length = 0;
  });

  test('plans one request per open session and contract, none for the weekend', () => {
    const tasks = planDownload(FROM, TO, ROLL_DAYS);
    expect(new Set(tasks.map((x) => x.contract.name))).toEqual(new Set(['MESH24', 'MESM24']));
    const days = tasks.map((x) => new Date(x.close).getUTCDay());
    expect(days.includes(6) || days.includes(0)).toBe(false);
    // The new contract starts a day before the roll: the gap is measured on a shared session.
    const firstM = tasks.find((x) => x.contract.name === 'MESM24')!;
    expect(firstM.open).toBeLessThan(Date.UTC(2024, 2, 7));
  });

  test('stores both contracts within the pacing rules, and a second run fetches nothing', async () => {
    const repo = new BarsRepository(t.store);
    const tasks = planDownload(FROM, TO, ROLL_DAYS);
    const progress: number[] = [];
    const first = await download({ source: client, repo, tasks, clock, onProgress: (done) => progress.push(done) });
    expect(history.violations).toEqual([]);
    expect(first.requested).toBe(tasks.length);
    expect(first.pacingWaits).toBe(0);
    expect(progress.at(-1)).toBe(tasks.length);
    expect(repo.ranges().map((r) => r.contract)).toEqual(['MESH24', 'MESM24']);
    expect(first.bars).toBe(repo.ranges().reduce((a, r) => a + r.bars, 0));
    // Up to 23 hours of minutes per session (the first and last are cut by the range).
    expect(first.bars / tasks.length).toBeGreaterThan(1000);
    const c = continuousSeries(repo, 'MES', { rollDays: ROLL_DAYS, adjust: 'difference' });
    expect(c.rolls).toHaveLength(1);
    expect(c.rolls[0]!.measuredAt).not.toBeNull();

    const asked = history.requests;
    const again = await download({ source: client, repo, tasks, clock });
    expect(again).toMatchObject({ requested: 0, skipped: tasks.length, bars: 0 });
    expect(history.requests).toBe(asked);
  });

  test('162 pacing refusals are waited out, not failed', async () => {
    const repo = new BarsRepository(t.store);
    const tasks = planDownload(FROM, Date.UTC(2024, 2, 5), ROLL_DAYS);
    gateway.pacingViolations(2);
    const before = sim.t;
    const s = await download({ source: client, repo, tasks, clock });
    expect(s.pacingWaits).toBe(2);
    expect(sim.t - before).toBeGreaterThanOrEqual(15_000 + 30_000);
    expect(s.requested).toBe(tasks.length);
    expect(repo.ranges()[0]!.bars).toBe(s.bars);
  });

  test('a client that ignores the rules trips the gateway\'s pacing checks, and still finishes by waiting', async () => {
    const repo = new BarsRepository(t.store);
    const tasks = planDownload(FROM, TO, ROLL_DAYS);
    const reckless = new (class extends PacingRules {
      override waitMs(): number {
        return 0;
      }
    })();
    const s = await download({ source: client, repo, tasks, clock, pacing: reckless });
    expect(history.violations.length).toBeGreaterThan(0);
    expect(history.violations).toContain('six or more requests for one contract within 2 seconds');
    expect(s.pacingWaits).toBe(history.violations.length);
    expect(s.requested).toBe(tasks.length);
  });
});
