import { benchGridPool, benchWalkForward } from './grid.ts';

/**
 * Only the research figures of `bun run bench` (grid serial vs Worker pool, walk-forward over
 * 1, 5 and 20 folds): `bun src/bench/research.ts [repeats]`, one JSON line per figure set.
 */
const repeats = Number(process.argv[2] ?? 3);
const grid = await benchGridPool({ repeats });
process.stdout.write(`${JSON.stringify({ grid })}\n`);
const wf = await benchWalkForward({ repeats });
process.stdout.write(`${JSON.stringify({ walkForward: wf })}\n`);
