import { benchBacktest } from '../bench/backtest.ts';
import type { Spread } from '../bench/engine-vs-bare.ts';
import { benchGridPool, benchWalkForward } from '../bench/grid.ts';
import { benchFragments } from '../bench/fragments.ts';
import { benchLiveInChild } from '../bench/live.ts';
import { benchMarketData, marketDataRows } from '../bench/market-data.ts';
import { benchUnderLoadInChild } from '../bench/under-load.ts';
import { benchNumpyZScore } from '../bench/numpy.ts';
import { benchZScore } from '../bench/zscore.ts';
import { table } from '../backtest/report.ts';
import { parseCommand, runMain } from './args.ts';

const spec = {
  name: 'bench',
  summary: 'measure backtest, grid search and Z-Score speed and print the figures',
  usage: 'bun run bench [--json] [--quick]',
  options: { json: { type: 'boolean' }, quick: { type: 'boolean' } },
  help: { json: 'print one JSON object of figures', quick: 'smaller inputs (a smoke run, not for the README)' },
} as const;

const round2 = (s: Spread) => ({ median: Number(s.median.toFixed(2)), min: Number(s.min.toFixed(2)), max: Number(s.max.toFixed(2)) });
const fmt = (v: number | null, digits = 2) => (v === null ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: digits }));

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const quick = parsed.values.quick === true;
  const log = (s: string) => parsed.values.json || process.stderr.write(`${s}\n`);

  log('backtest: 1,000,000 bars…');
  const bt = benchBacktest(quick ? { bars: 100_000, repeats: 3 } : {});
  log('grid search: 125 sets over a year of bars, serial then on a worker pool, 3 repeats…');
  const grid = await benchGridPool(quick ? { bars: 35_000, repeats: 1 } : {});
  log('walk-forward: 25 sets, 1, 5 and 20 folds on the same bars…');
  const wf = await benchWalkForward(quick ? { bars: 35_000, repeats: 1 } : {});
  log('z-score kernels…');
  const z = await benchZScore(quick ? { n: 1_000_000, runs: 3 } : {});
  const numpyNs = benchNumpyZScore(quick ? 1_000_000 : 10_000_000, 20);
  log('dashboard fragments…');
  const frag = await benchFragments({ iterations: quick ? 50 : 500 });
  log('market data: CSV import vs pandas on 1,000,000 bars, store load, peak memory of a 10,000,000-bar import…');
  const md = await benchMarketData(quick ? { bars: 100_000, bigBars: 1_000_000, runs: 3 } : {});
  log('live path: bar → order request through the actors, then memory over 1,000,000 bars (a few minutes)…');
  const live = await benchLiveInChild(quick ? { bars: 5_000, rssBars: 20_000 } : {});
  log('live path under dashboard load: 20,000 requests at 50 concurrent + 500 live streams (about a minute)…');
  const loaded = await benchUnderLoadInChild(quick ? { requests: 500, concurrency: 10, sse: 20, idleMs: 1000 } : {});

  const vbt = bt.vectorbt;
  const figures = {
    backtestBarsPerSec: Math.round(1e9 / bt.engine.median),
    backtestEngineNsPerBar: round2(bt.engine),
    backtestBareLoopNsPerBar: round2(bt.bare),
    backtestEngineToBareLoop: round2(bt.ratio),
    backtestEngineToBareLoopFloor: Number(bt.floorRatio.toFixed(2)),
    backtestBareLoopSlowRepeats: bt.bareSlowRepeats,
    backtestTrades: bt.trades,
    vectorbtNsPerBar: vbt === null ? null : round2(vbt.perBar),
    vectorbtToEngine: vbt === null ? null : Number((vbt.perBar.median / bt.engine.median).toFixed(2)),
    gridSeconds: Number(grid.poolSeconds.toFixed(3)),
    gridSerialSeconds: Number(grid.serialSeconds.toFixed(3)),
    gridWorkerSpeedup: Number(grid.speedup.toFixed(2)),
    gridWorkerSpeedupRange: [Number(grid.speedupMin.toFixed(2)), Number(grid.speedupMax.toFixed(2))],
    walkForwardSeconds: Object.fromEntries(wf.rows.map((r) => [r.folds, Number(r.seconds.toFixed(3))])),
    walkForwardFoldRatio: Number(wf.ratio.toFixed(2)),
    zscoreImpl: z.zscoreImpl,
    zscoreKernel: z.zscoreKernel,
    zscoreNativeNsPerEl: z.zscoreNativeNsPerEl,
    zscoreTsNsPerEl: z.zscoreTsNsPerEl,
    zscorePushNativeNs: z.zscorePushNativeNs,
    zscorePushTsNs: z.zscorePushTsNs,
    zscoreMemcpyNsPerEl: z.memcpyNsPerEl,
    zscoreNativeToMemcpy: z.zscoreNativeToMemcpy === null ? null : round2(z.zscoreNativeToMemcpy),
    momentsNativeNsPerEl: z.momentsNativeNsPerEl,
    momentsMemcpyNsPerEl: z.momentsMemcpyNsPerEl,
    zscoreNumpyNsPerEl: numpyNs,
    barToOrderP50Us: Number(live.barToOrderP50Us.toFixed(1)),
    barToOrderP99Us: Number(live.barToOrderP99Us.toFixed(1)),
    barToOrderP999Us: Number(live.barToOrderP999Us.toFixed(1)),
    barToOrderMaxUs: Number(live.barToOrderMaxUs.toFixed(1)),
    barToOrderWarmP99Us: Number(live.barToOrderWarmP99Us.toFixed(1)),
    barToOrderCpuP99Us: Number(live.barToOrderCpuP99Us.toFixed(1)),
    barToBrokerP50Us: Number(live.barToBrokerP50Us.toFixed(1)),
    barToBrokerP99Us: Number(live.barToBrokerP99Us.toFixed(1)),
    barToOrderBehindFsyncShare: Number(live.barToOrderBehindFsyncShare.toFixed(4)),
    liveDurableCommitsPerBar: Number(live.durableCommitsPerBar.toFixed(3)),
    rssMbAfter1MBars: Number(live.rssMbAfter1MBars.toFixed(1)),
    heapMbAfter1MBars: Number(live.rss.at(-1)!.heapMb.toFixed(1)),
    barRateUnderLoadRatio: Number(loaded.barRateUnderLoadRatio.toFixed(2)),
    barToOrderP99UnderLoadUs: Number(loaded.barToOrderP99UnderLoadUs.toFixed(1)),
    fragmentP99MaxMs: Number(Math.max(...frag.results.map((r) => r.p99Ms)).toFixed(3)),
    csvBarsPerSec: Math.round(md.csvBarsPerSec),
    csvPandasBarsPerSec: md.pandasBarsPerSec === null ? null : Math.round(md.pandasBarsPerSec),
    storeBarsPerSec: Math.round(md.storeBarsPerSec),
    bytesPerBarLoaded: Number(md.bytesPerBarLoaded.toFixed(1)),
  };
  if (parsed.values.json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return 0;
  }
  const span = (s: Spread, digits = 1) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
  const rows: string[][] = [
    ['Backtest, Z-Score, engine path (runBacktest → TradingEngine)', `${span(bt.engine)} ns/bar`, `${fmt(bt.bars, 0)} bars, ${fmt(bt.trades, 0)} trades, net ${fmt(bt.netPnl)} $, one core`],
    ['Backtest, bare loop of the same rules (reference)', `${span(bt.bare)} ns/bar`, 'same trades, P&L and max drawdown to the cent (checked)'],
    ['Engine / bare loop, per repeat', `${span(bt.ratio, 2)}×`, `${bt.repeats} repeats back to back; median (min–max)`],
    ['Engine / bare loop, fastest of each', `${fmt(bt.floorRatio)}×`, bt.bareSlowRepeats === 0 ? 'the bare loop ran at its best in every repeat' : `the bare loop ran slow in ${bt.bareSlowRepeats} of ${bt.repeats} repeats (a JIT tier): this is the figure to trust`],
    ...(vbt === null
      ? [['vectorbt Portfolio.from_signals', '—', 'set QS_PYTHON to a Python with vectorbt']]
      : [['vectorbt Portfolio.from_signals, same bars and signals', `${span(vbt.perBar)} ns/bar`, `${fmt(vbt.perBar.median / bt.engine.median, 1)}× the engine's time; ${fmt(vbt.trades, 0)} trades (its own fill rules)`]]),
    [`Grid search ${grid.sets} sets, serial`, `${fmt(grid.serialSeconds, 3)} s`, `${fmt(grid.bars, 0)} bars, median of ${grid.repeats}`],
    [`Grid search ${grid.sets} sets, pool of ${grid.workers} workers`, `${fmt(grid.poolSeconds, 3)} s`, `speed-up ${fmt(grid.speedup)}× (${fmt(grid.speedupMin)}–${fmt(grid.speedupMax)} over ${grid.repeats} paired runs)`],
    ...wf.rows.map((r) => [`Walk-forward ${wf.sets} sets, ${r.folds} fold${r.folds === 1 ? '' : 's'}`, `${fmt(r.seconds, 3)} s`, `${fmt(r.min, 3)}–${fmt(r.max, 3)} s, ${fmt(wf.bars, 0)} bars`]),
    ...z.rows.map((r) => [r.name, `${fmt(r.nsPerEl, 2)} (${fmt(r.min, 2)}–${fmt(r.max, 2)}) ns/el`, `${fmt(r.elPerSec / 1e6, 1)} M el/s`]),
    ...(numpyNs === null ? [] : [['z-score NumPy sliding window (python3)', `${fmt(numpyNs, 2)} ns/el`, 'reference, not used']]),
    ...frag.results.map((r) => [`Dashboard ${r.name}`, `${fmt(r.p50Ms, 3)} / ${fmt(r.p99Ms, 3)} ms`, 'p50 / p99']),
    [
      'Bar → order request, p50 / p99 / p99.9 / max (wall)',
      `${[live.barToOrderP50Us, live.barToOrderP99Us, live.barToOrderP999Us, live.barToOrderMaxUs].map((v) => fmt(v, 0)).join(' / ')} µs`,
      `${fmt(live.orderRequests, 0)} order requests in ${fmt(live.latencyBars, 0)} bars (${fmt(live.barsPerSec, 0)} bars/s)`,
    ],
    [
      'Bar → order request after the first 10 % of the bars (JIT warm), p50 / p99 / p99.9',
      `${[live.barToOrderWarmP50Us, live.barToOrderWarmP99Us, live.barToOrderWarmP999Us].map((v) => fmt(v, 0)).join(' / ')} µs`,
      'the first bars run the path before it is compiled',
    ],
    [
      'Bar → order request, same spans in CPU time of the thread, p50 / p99 / p99.9',
      `${[live.barToOrderCpuP50Us, live.barToOrderCpuP99Us, live.barToOrderCpuP999Us].map((v) => fmt(v, 0)).join(' / ')} µs`,
      'wall ≫ CPU: the thread lost the core',
    ],
    ['Bar → order handed to the venue (journalled first, fsync), p50 / p99', `${fmt(live.barToBrokerP50Us, 0)} / ${fmt(live.barToBrokerP99Us, 0)} µs`, 'the desk journals every order before it sends it'],
    [
      'Order requests that waited behind a journal fsync',
      `${fmt(live.barToOrderBehindFsyncShare * 100, 2)} %`,
      `${fmt(live.durableCommitsPerBar, 3)} fsynced commits per bar (mean ${fmt(live.durableCommitMeanMs, 2)} ms), ${fmt(live.relaxedCommitsPerBar, 2)} without fsync`,
    ],
    ...marketDataRows(md, fmt),
    ['Bar rate under dashboard load ÷ idle', fmt(loaded.barRateUnderLoadRatio), `${fmt(loaded.load.requests ?? 0, 0)} requests in ${fmt((loaded.load.ms ?? 0) / 1000, 1)} s, ${loaded.load.sseOpened ?? 0} streams admitted`],
    ['Bar → order request under load, p99', `${fmt(loaded.barToOrderP99UnderLoadUs, 0)} µs`, `idle p99 ${fmt(loaded.idle.p99Us, 0)} µs`],
    [`Resident memory after ${fmt(live.rss.at(-1)!.bars, 0)} bars`, `${fmt(live.rssMbAfter1MBars, 1)} MB`, `RSS / live JS heap: ${live.rss.map((r) => `${r.mb.toFixed(0)}/${r.heapMb.toFixed(0)}`).join(' ')} MB`],
  ];
  const ratio = (a: number | null, b: number | null) => (a === null || b === null ? '—' : `${fmt(b / a, 1)}×`);
  const native = z.zscoreNativeNsPerEl;
  const ratios = [
    `native batch vs TypeScript batch: ${ratio(native, z.zscoreTsNsPerEl)} faster`,
    `native batch vs memory copy: ${z.zscoreNativeToMemcpy === null ? '—' : `${span(z.zscoreNativeToMemcpy, 2)}×`} the copy's time, per repeat, the two interleaved (kernel: ${z.zscoreKernel ?? '—'})`,
    `native tick moments vs memory copy of their input: ${z.momentsNativeNsPerEl === null ? '—' : fmt(z.momentsNativeNsPerEl / z.momentsMemcpyNsPerEl, 1)}× the copy's time`,
    `native batch vs NumPy: ${ratio(native, numpyNs)} faster`,
    `walk-forward ${wf.rows.at(-1)!.folds} folds vs 1 fold: ${fmt(wf.ratio)}× the time`,
    `live push: ${z.zscorePushNativeNs !== null && z.zscorePushNativeNs > z.zscorePushTsNs ? 'TypeScript (a Node-API call costs more than the whole update)' : 'native'}`,
  ];
  process.stdout.write(`${table(['Benchmark', 'Result', 'Notes'], rows)}\n\n${ratios.join('\n')}\nZ-Score batch implementation in use: ${z.zscoreImpl}\n`);
  return 0;
}

await runMain(main);
