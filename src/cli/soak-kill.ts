import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand, runMain } from './args.ts';
import { crashEveryPoint, pointsOf, randomKills, type SweepResult } from '../testing/crash-sweep.ts';
import { Progress } from './progress.ts';

const spec = {
  name: 'soak:kill',
  summary: 'crash the sim service at every write point and kill -9 it at random moments; check the crash-safety invariants after each restart',
  usage: 'bun run soak:kill [--kills 1000] [--trade-ms 3000] [--seed N]',
  options: { kills: { type: 'string' }, 'trade-ms': { type: 'string' }, seed: { type: 'string' } },
  help: {
    kills: 'random kill -9 moments (default 1000)',
    'trade-ms': 'how long the listing run trades; every crash point it passes is tried (default 3000)',
    seed: 'seed of the random moments (default 1)',
  },
} as const;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const kills = Number(parsed.values.kills ?? 1000);
  const tradeMs = Number(parsed.values['trade-ms'] ?? 3000);
  const seed = Number(parsed.values.seed ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'qs-soak-'));
  try {
    const points = await pointsOf(dir, tradeMs);
    const ks = points.map((p) => Number(p.split(' ')[0]));
    const bar1 = new Progress(`crash points (${ks.length})`, ks.length);
    const a = await crashEveryPoint(dir, ks, 2, () => bar1.tick());
    bar1.finish();
    const bar2 = new Progress(`random kills (${kills})`, kills);
    const b = await randomKills(join(dir, 'random'), kills, seed, () => bar2.tick());
    bar2.finish();
    report('crash points', a);
    report('random kills', b);
    return a.violations.length + b.violations.length + a.unclean + b.unclean === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(name: string, r: SweepResult): void {
  console.log(`${name}: ${r.runs} runs, ${r.crashed} crashed as asked, ${r.violations.length} with invariant violations, ${r.unclean} unclean restarts`);
  for (const v of r.violations.slice(0, 20)) console.log(`  ${v.at}: ${v.violations.join('; ')}`);
}

if (import.meta.main) await runMain(main);
