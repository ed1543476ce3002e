/**
 * Child process of the market-data bench: imports one CSV file and prints its resident memory
 * before, its peak (getrusage max RSS) and the bar count, so the figure is this parse alone.
 */
import { importFile, parseImportOptions } from '../data/import.ts';

const path = process.argv[2]!;
Bun.gc(true);
const before = process.memoryUsage().rss;
const r = importFile(path, parseImportOptions({}));
const peak = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ before, peak, bars: r.series.length })}\n`);
