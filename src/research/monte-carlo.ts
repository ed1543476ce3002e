import { Rng } from '../market/rng.ts';
import { quantileSorted } from './stats.ts';

/**
 * Seeded Monte Carlo of a run (README "Research"):
 *  - trade bootstrap: n trades drawn with replacement from the run's n trade P&Ls, in the order drawn;
 *  - trade order: the run's own trades in a random order (net P&L unchanged, the path is not);
 *  - daily bootstrap: as many sessions as the run had, drawn with replacement from its session P&Ls.
 * For each simulated path: net P&L and max drawdown (largest fall of the cumulative P&L from its
 * running peak, the start counting as a peak). Intervals are the 5th and 95th percentiles (type 7),
 * with the median.
 */

export interface Interval {
  readonly p5: number;
  readonly p50: number;
  readonly p95: number;
}

export interface McMethod {
  readonly netPnl: Interval;
  readonly maxDrawdown: Interval;
  /** Share of paths that lost money. */
  readonly lossProbability: number;
}

export interface MonteCarlo {
  readonly seed: number;
  readonly paths: number;
  readonly trades: McMethod | null;
  readonly tradeOrder: McMethod | null;
  readonly days: McMethod | null;
}

/** Max drawdown and final value of the cumulative sum of `steps` (dollars). */
export function pathStats(steps: ArrayLike<number>): { net: number; maxDrawdown: number } {
  let eq = 0;
  let peak = 0;
  let dd = 0;
  for (let i = 0; i < steps.length; i++) {
    eq += steps[i]!;
    if (eq > peak) peak = eq;
    if (peak - eq > dd) dd = peak - eq;
  }
  return { net: eq, maxDrawdown: dd };
}

const cents = (x: number) => Math.round(x * 100) / 100;
const interval = (xs: Float64Array): Interval => {
  xs.sort();
  return { p5: cents(quantileSorted(xs, 0.05)), p50: cents(quantileSorted(xs, 0.5)), p95: cents(quantileSorted(xs, 0.95)) };
};

function simulate(source: readonly number[], paths: number, draw: (rng: Rng, out: Float64Array) => void, rng: Rng): McMethod | null {
  if (source.length === 0) return null;
  const net = new Float64Array(paths);
  const dd = new Float64Array(paths);
  const path = new Float64Array(source.length);
  let losses = 0;
  for (let k = 0; k < paths; k++) {
    draw(rng, path);
    const s = pathStats(path);
    net[k] = s.net;
    dd[k] = s.maxDrawdown;
    if (s.net < -1e-9) losses++;
  }
  return { netPnl: interval(net), maxDrawdown: interval(dd), lossProbability: losses / paths };
}

const pick = (rng: Rng, n: number) => rng.nextUint32() % n;

/** `tradePnl` and `dailyPnl` in dollars. */
export function monteCarlo(tradePnl: readonly number[], dailyPnl: readonly number[], opts: { seed: number; paths?: number }): MonteCarlo {
  const paths = opts.paths ?? 2000;
  const rng = new Rng(opts.seed);
  const bootstrap = (src: readonly number[]) => (r: Rng, out: Float64Array) => {
    for (let i = 0; i < out.length; i++) out[i] = src[pick(r, src.length)]!;
  };
  const shuffle = (r: Rng, out: Float64Array) => {
    out.set(tradePnl);
    // Fisher–Yates.
    for (let i = out.length - 1; i > 0; i--) {
      const j = pick(r, i + 1);
      const x = out[i]!;
      out[i] = out[j]!;
      out[j] = x;
    }
  };
  return {
    seed: opts.seed,
    paths,
    trades: simulate(tradePnl, paths, bootstrap(tradePnl), rng),
    tradeOrder: simulate(tradePnl, paths, shuffle, rng),
    days: simulate(dailyPnl, paths, bootstrap(dailyPnl), rng),
  };
}
