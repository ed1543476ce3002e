import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand, runMain } from './args.ts';
import { ChildService } from '../testing/child-service.ts';
import { crashConfig, storeOf } from '../testing/crash-runs.ts';
import { checkInvariants } from '../testing/invariants.ts';

const spec = {
  name: 'soak:wal',
  summary: 'run the sim service on 20 ms bars and sample the store and its WAL: disk use must stay bounded',
  usage: 'bun run soak:wal [--minutes 60] [--bar-ms 20]',
  options: { minutes: { type: 'string' }, 'bar-ms': { type: 'string' } },
  help: { minutes: 'how long to run (default 60)', 'bar-ms': 'wall time per bar (default 20)' },
} as const;

const size = (f: string) => {
  try {
    return statSync(f).size;
  } catch {
    return 0;
  }
};
const mb = (n: number) => (n / 1e6).toFixed(2);

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const minutes = Number(parsed.values.minutes ?? 60);
  const dir = mkdtempSync(join(tmpdir(), 'qs-wal-'));
  const child = new ChildService(['--config', crashConfig(dir, Number(parsed.values['bar-ms'] ?? 20))], { cwd: join(import.meta.dir, '..', '..') });
  try {
    await child.waitFor(/connection\.ready/);
    let maxWal = 0;
    const end = Date.now() + minutes * 60_000;
    for (let i = 1; Date.now() < end; i++) {
      await Bun.sleep(Math.min(60_000, end - Date.now()));
      const db = size(storeOf(dir));
      const wal = size(`${storeOf(dir)}-wal`);
      maxWal = Math.max(maxWal, wal);
      const trades = (child.output.match(/trade\.closed/g) ?? []).length;
      console.log(`${i} min: db ${mb(db)} MB, wal ${mb(wal)} MB (max ${mb(maxWal)} MB), ${trades} trades`);
    }
    child.proc.kill('SIGTERM');
    await child.proc.exited;
    const violations = checkInvariants(storeOf(dir));
    console.log(`after ${minutes} min: db ${mb(size(storeOf(dir)))} MB, max wal ${mb(maxWal)} MB, invariants ${violations.length === 0 ? 'hold' : violations.join('; ')}`);
    return violations.length === 0 ? 0 : 1;
  } finally {
    child.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await runMain(main);
