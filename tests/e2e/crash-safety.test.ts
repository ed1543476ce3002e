import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashEveryPoint, pointsOf, randomKills } from '../../src/testing/crash-sweep.ts';

// The invariants of README "Crash safety", checked from the SQLite file after a real `bun src/main.ts`
// died hard and was restarted: at every numbered write point of a trading run, and at random moments.
const dir = mkdtempSync(join(tmpdir(), 'qs-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Crash points in CI: every point of the first 0.8 s of trading (two round trips: entry, bracket legs, moves, exits, stops). */
const LIST_MS = 800;
const KILLS = Number(process.env.QS_CI_KILLS ?? 100);

describe('crash safety of the live core (real child processes, a real SQLite file)', () => {
  test('a crash at every write point and every broker call leaves no invariant violated after restart', async () => {
    const points = await pointsOf(dir, LIST_MS);
    const kinds = new Set(points.map((p) => p.split(' ')[1]));
    expect(kinds).toEqual(new Set(['commit', 'venue', 'journalled', 'sent', 'modify']));
    const ks = points.map((p) => Number(p.split(' ')[0]));
    const result = await crashEveryPoint(dir, ks, 2);
    console.log(`crash points: ${result.runs} runs, ${result.crashed} died at their point, ${result.violations.length} with violations, ${result.unclean} unclean stops`);
    expect(result.violations).toEqual([]);
    expect(result.unclean).toBe(0);
    // A point past the end of the shorter restarted run is not reached: nearly all must be.
    expect(result.crashed).toBeGreaterThanOrEqual(Math.floor(ks.length * 0.95));
  }, 900_000);

  test(`kill -9 at ${KILLS} random moments on one store leaves no invariant violated after each restart`, async () => {
    const result = await randomKills(join(dir, 'random'), KILLS, 20261201);
    console.log(`random kills: ${result.runs}, ${result.violations.length} with violations, ${result.unclean} unclean stops`);
    expect(result.violations).toEqual([]);
    expect(result.unclean).toBe(0);
  }, 900_000);
});
