import { runBacktest } from '../backtest/run.ts';
import type { BarSeries } from '../domain/bar.ts';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../engine/settings.ts';
import { zOfMoments } from '../indicators/tick-moments.ts';
import { rollingTickMoments } from '../indicators/zscore.ts';
import { ColumnCache } from '../strategy/types.ts';
import { zscoreStrategy } from '../strategy/zscore.ts';
import { bareLoopZScore, DIGEST_SEED, digestTrade, type BareLoopResult } from './bare-loop.ts';

/**
 * The shared engine path (runBacktest → TradingEngine) against the bench's bare loop of the same
 * rules, on the same bars and the same indicator columns, interleaved in one process so both see
 * the same machine. The columns (one moments kernel call per lookback) are computed once, outside
 * both timings, as a grid search shares them; the kernel has its own row.
 */

/** Limits so wide that no halt ends trading early (the bare loop has no halts: checked). */
export const UNHALTED: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, maxDrawdown: 1e9, dailyLossLimit: 1e9 };

/** Warm-up runs of each side before timing (see benchEngineVsBare). */
const WARMUP_RUNS = 30;

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function spread(xs: readonly number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, min: s[0]!, max: s.at(-1)! };
}

export interface EngineVsBare {
  readonly bars: number;
  readonly trades: number;
  readonly netPnl: number;
  readonly repeats: number;
  /** ns per bar. */
  readonly engine: Spread;
  readonly bare: Spread;
  /** engine / bare of each repeat (the two timed back to back). */
  readonly ratio: Spread;
  /**
   * engine's fastest repeat / bare loop's fastest: the floor of each. When one side is slowed for
   * part of a run (another process on the core, or code the JIT threw out), the per-repeat ratio
   * moves with it (a busy machine once printed 1.8× for a floor of 3.65×); the floors do not.
   */
  readonly floorRatio: number;
  /** Repeats whose bare loop took more than 1.5× its fastest: when not 0, trust floorRatio. */
  readonly bareSlowRepeats: number;
}

export function benchEngineVsBare(series: BarSeries, opts: { repeats?: number; settings?: EngineSettings } = {}): EngineVsBare {
  const settings = opts.settings ?? UNHALTED;
  const repeats = Math.max(1, opts.repeats ?? 7);
  const p = zscoreStrategy.defaults as { lookback: number; entry: number; exit: number };
  const cache = new ColumnCache(series);
  const moments = cache.get(`moments:${p.lookback}`, () => rollingTickMoments(series.close, p.lookback));
  const z = cache.get(`moments-z:${p.lookback}`, () => zOfMoments(moments));
  const cols = { moments, z };
  const engineRun = () => runBacktest({ series, strategy: zscoreStrategy, params: zscoreStrategy.defaults, settings, cache });
  const bareRun = () => bareLoopZScore(series, cols, p, settings);

  // Same trades, same P&L to the cent, or the reference measures something else.
  const res = engineRun();
  if (res.halts.length !== 0) throw new Error(`bench: the engine run halted (${res.halts[0]!.reason}); the bare loop has no halts, widen the limits`);
  const expected: BareLoopResult = {
    trades: res.trades.length,
    netCents: res.trades.reduce((a, t) => a + t.pnlCents, 0),
    digest: res.trades.reduce((d, t) => digestTrade(d, t.exitTime, t.pnlCents), DIGEST_SEED),
    maxDrawdownCents: Math.round(res.metrics.maxDrawdown * 100),
  };
  const got = bareRun();
  if (got.trades !== expected.trades || got.netCents !== expected.netCents || got.digest !== expected.digest || got.maxDrawdownCents !== expected.maxDrawdownCents) {
    throw new Error(`bench: the bare loop does not reproduce the engine: ${JSON.stringify(got)} vs ${JSON.stringify(expected)}`);
  }
  // JavaScriptCore compiles a long loop in tiers, and its best code for the bare loop can arrive
  // only after a few dozen runs (before that it measured 2–3× slower): both sides are warmed well
  // past that, or the ratio flatters the engine.
  for (let w = 0; w < WARMUP_RUNS; w++) {
    engineRun();
    bareRun();
  }
  const e: number[] = [];
  const b: number[] = [];
  const r: number[] = [];
  // Wall time, best of a burst of BURST runs each, the two sides interleaved within the burst.
  // A run is 10–50 ms: the process's CPU time is counted in scheduler ticks of a few ms, too
  // coarse for it, while the best of a burst drops the runs another process interrupted. Each
  // repeat's ratio comes from the same second of the machine, so a slower phase cancels out.
  const BURST = 3;
  const ns = (f: () => unknown) => {
    const t0 = performance.now();
    f();
    return ((performance.now() - t0) * 1e6) / series.length;
  };
  for (let i = 0; i < repeats; i++) {
    let en = Number.POSITIVE_INFINITY;
    let bn = Number.POSITIVE_INFINITY;
    for (let k = 0; k < BURST; k++) {
      // Alternate which side goes first, so neither always runs on a warmer cache.
      if ((i + k) % 2 === 0) {
        en = Math.min(en, ns(engineRun));
        bn = Math.min(bn, ns(bareRun));
      } else {
        bn = Math.min(bn, ns(bareRun));
        en = Math.min(en, ns(engineRun));
      }
    }
    e.push(en);
    b.push(bn);
    r.push(en / bn);
  }
  const bare = spread(b);
  const engine = spread(e);
  const bareSlowRepeats = b.filter((x) => x > 1.5 * bare.min).length;
  return { bars: series.length, trades: expected.trades, netPnl: expected.netCents / 100, repeats, engine, bare, ratio: spread(r), floorRatio: engine.min / bare.min, bareSlowRepeats };
}
