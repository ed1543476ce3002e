import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChildService } from './child-service.ts';
import { checkInvariants } from './invariants.ts';

/**
 * Crash runs of the real service (`bun src/main.ts`, sim mode, a real SQLite file): die at a
 * numbered crash point or at a random moment, restart, let it reconcile and trade a little, stop
 * it cleanly, and check the invariants straight from the file. Shared by the tests (bounded) and
 * `bun run soak:kill` (long).
 */

const ROOT = join(import.meta.dir, '..', '..');

/** Fast bars, tight stops and short cooldowns: every kind of write comes up within a few hundred points. */
export function crashConfig(dir: string, barIntervalMs = 20): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'config.yaml');
  writeFileSync(
    path,
    `store: { path: ${join(dir, 'qs.db')} }
web: { port: 0 }
log: { level: info }
sim: { barIntervalMs: ${barIntervalMs}, seed: 3, regime: volatile }
trading: { params: { lookback: 20, entry: 1.5, exit: 0.2 } }
risk: { maxDrawdown: 100000, dailyLossLimit: 90000, consecutiveLossLimit: 2, consecutiveLossPauseMinutes: 5, stopLossPerContract: 40, takeProfitPerContract: 60 }
`,
  );
  return path;
}

export const storeOf = (dir: string) => join(dir, 'qs.db');

function start(config: string, env: Record<string, string> = {}): ChildService {
  return new ChildService(['--config', config], { cwd: ROOT, env: { QS_CRASH_AT: undefined, QS_CRASH_POINTS: undefined, ...env } });
}

/** Runs a fresh service for `ms`, listing every crash point it passed ("k name" per line). */
export async function listPoints(dir: string, ms: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'points.txt');
  writeFileSync(file, '');
  const child = start(crashConfig(dir), { QS_CRASH_POINTS: file });
  await child.waitFor(/connection\.ready/, 20_000);
  await Bun.sleep(ms);
  child.proc.kill('SIGTERM');
  await child.proc.exited;
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

/** Dies hard at crash point k (or is killed after `limitMs` if it never gets there). True when it died at k. */
export async function crashAt(config: string, k: number, limitMs = 15_000): Promise<boolean> {
  const child = start(config, { QS_CRASH_AT: String(k) });
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), limitMs);
  const code = await child.proc.exited;
  clearTimeout(timer);
  return child.proc.signalCode === 'SIGKILL' && code !== 0 && (await child.stderr()).includes(`crash point ${k} `);
}

/** Starts, trades for `ms` after it is ready, then kill -9. */
export async function killAfter(config: string, ms: number): Promise<void> {
  const child = start(config);
  await child.waitFor(/connection\.ready/, 20_000);
  await Bun.sleep(ms);
  child.proc.kill('SIGKILL');
  await child.proc.exited;
}

export interface Recovery {
  readonly violations: string[];
  readonly exitCode: number;
  readonly output: string;
}

/** Restarts after a crash, lets it reconcile and trade for `ms`, stops it with SIGTERM, checks the invariants in the file. */
export async function recoverAndCheck(config: string, dir: string, ms = 300): Promise<Recovery> {
  const child = start(config);
  await child.waitFor(/connection\.ready/, 20_000);
  await Bun.sleep(ms);
  child.proc.kill('SIGTERM');
  const exitCode = await child.proc.exited;
  const violations = checkInvariants(storeOf(dir));
  if (/supervisor\.failed|actor\.restarted/.test(child.output)) violations.push('an actor failed during recovery');
  return { violations, exitCode, output: child.output };
}
