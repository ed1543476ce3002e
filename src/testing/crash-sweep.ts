import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { crashAt, crashConfig, killAfter, listPoints, recoverAndCheck } from './crash-runs.ts';

export interface SweepResult {
  readonly runs: number;
  /** Runs whose process did die where it was asked to (the rest never reached that point). */
  readonly crashed: number;
  readonly violations: ReadonlyArray<{ readonly at: string; readonly violations: readonly string[] }>;
  /** Restarts that did not end with exit code 0 on SIGTERM. */
  readonly unclean: number;
}

/** The crash points a fresh run passes in `ms` of trading: "k name" lines. */
export const pointsOf = (dir: string, ms: number) => listPoints(join(dir, 'list'), ms);

/**
 * Crash at each point k in `ks`, each on a fresh store (the run up to k is the same every time),
 * restart, check the invariants. `parallel` runs at once (2 on a 2-core machine).
 */
export async function crashEveryPoint(dir: string, ks: readonly number[], parallel: number, onProgress?: (done: number) => void): Promise<SweepResult> {
  const queue = [...ks];
  const violations: { at: string; violations: string[] }[] = [];
  let crashed = 0;
  let unclean = 0;
  let done = 0;
  const worker = async () => {
    for (let k = queue.shift(); k !== undefined; k = queue.shift()) {
      const d = join(dir, `k${k}`);
      const config = crashConfig(d);
      if (await crashAt(config, k)) crashed++;
      const r = await recoverAndCheck(config, d);
      if (r.exitCode !== 0) unclean++;
      if (r.violations.length > 0) violations.push({ at: `point ${k}`, violations: r.violations });
      else rmSync(d, { recursive: true, force: true });
      onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { runs: ks.length, crashed, violations, unclean };
}

/** kill -9 at random moments, `kills` times, on one store; after each, restart and check the invariants. */
export async function randomKills(dir: string, kills: number, seed: number, onProgress?: (done: number) => void): Promise<SweepResult> {
  const config = crashConfig(dir);
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const violations: { at: string; violations: string[] }[] = [];
  let unclean = 0;
  for (let i = 1; i <= kills; i++) {
    const ms = Math.floor(rand() * 900);
    await killAfter(config, ms);
    const r = await recoverAndCheck(config, dir, 50 + Math.floor(rand() * 300));
    if (r.exitCode !== 0) unclean++;
    if (r.violations.length > 0) violations.push({ at: `kill ${i} (${ms} ms after ready)`, violations: r.violations });
    onProgress?.(i);
  }
  return { runs: kills, crashed: kills, violations, unclean };
}
