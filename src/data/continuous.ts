import type { BarSeries } from '../domain/bar.ts';
import { MES } from '../domain/instrument.ts';
import type { BarsRepository, StoredContract } from '../store/bars.ts';

export const ADJUSTMENTS = ['difference', 'ratio', 'none'] as const;
export type Adjustment = (typeof ADJUSTMENTS)[number];

const DAY = 86_400_000;

/** Where the series changes contract: at `time` from `from` to `to`; `gap` = to's close − from's close then. */
export interface RollPoint {
  readonly time: number;
  readonly from: string;
  readonly to: string;
  /** Time of the bar both contracts have that the gap is measured at; null when they share none (not adjusted). */
  readonly measuredAt: number | null;
  readonly gap: number;
  readonly ratio: number;
}

export interface ContinuousSeries {
  readonly series: BarSeries;
  readonly rolls: readonly RollPoint[];
  /** The contracts the bars came from, oldest first. */
  readonly contracts: readonly string[];
}

/**
 * The roll time of a contract under the live rule (src/broker/ib/contract.ts `pickFrontMonth`):
 * the contract is traded while now < last trade day − rollDays days.
 */
export const rollTime = (lastTradeDay: number, rollDays: number) => lastTradeDay - rollDays * DAY;

const TICK = MES.tickSize;
const onGrid = (p: number) => Math.round(p / TICK) * TICK;

function concat(parts: readonly BarSeries[]): { length: number; time: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array } {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = { length: n, time: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let at = 0;
  for (const p of parts) {
    for (const k of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) out[k].set(p[k], at);
    at += p.length;
  }
  return out;
}

/** The last bar time ≤ `t` in `s`, or −1. */
function lastAtOrBefore(s: BarSeries, t: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s.time[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * A symbol's continuous series from the store. With dated contracts stored, each contract's bars
 * are taken from the previous roll to its own (the live rule), and earlier contracts are shifted
 * by the gap at each roll (difference, the default: prices stay on the tick grid) or scaled by
 * its ratio (rounded back to the grid), or left as traded (none). Without dated contracts, the
 * series stored under the bare symbol is returned as it was imported.
 */
export function continuousSeries(repo: BarsRepository, symbol: string, opts: { rollDays: number; adjust: Adjustment; from?: number; to?: number }): ContinuousSeries {
  const from = opts.from ?? Number.NEGATIVE_INFINITY;
  const to = opts.to ?? Number.POSITIVE_INFINITY;
  const all = repo.contracts().filter((c) => c.symbol === symbol);
  const dated = all.filter((c): c is StoredContract & { lastTradeDay: number } => c.lastTradeDay !== null).sort((a, b) => a.lastTradeDay - b.lastTradeDay);
  if (dated.length === 0) {
    const plain = all.find((c) => c.contract === symbol);
    return { series: repo.load(plain?.contract ?? symbol, from, to), rolls: [], contracts: plain ? [plain.contract] : [] };
  }
  const parts: Array<{ contract: string; bars: BarSeries; full: BarSeries }> = [];
  let start = Number.NEGATIVE_INFINITY;
  for (const c of dated) {
    const end = rollTime(c.lastTradeDay, opts.rollDays);
    const a = Math.max(start, from);
    const b = Math.min(end, to);
    start = end;
    if (a >= b) continue;
    // A day before the window too, so the gap at the roll can be measured on a shared bar.
    const full = repo.load(c.contract, a - DAY, b);
    const i = full.time.findIndex((t) => t >= a);
    if (i < 0) continue;
    const bars = sliceFrom(full, i);
    if (bars.length > 0) parts.push({ contract: c.contract, bars, full });
  }
  const rolls: RollPoint[] = [];
  for (let k = 1; k < parts.length; k++) {
    const old = parts[k - 1]!;
    const next = parts[k]!;
    const lastOld = old.bars.length - 1;
    const j = lastAtOrBefore(next.full, old.bars.time[lastOld]!);
    // The shared bar: the latest time both have, at or before the old contract's last bar.
    let measuredAt: number | null = null;
    let gap = 0;
    let ratio = 1;
    if (j >= 0) {
      const t = next.full.time[j]!;
      const oi = lastAtOrBefore(old.bars, t);
      if (oi >= 0 && old.bars.time[oi] === t) {
        measuredAt = t;
        gap = next.full.close[j]! - old.bars.close[oi]!;
        ratio = next.full.close[j]! / old.bars.close[oi]!;
      }
    }
    rolls.push({ time: next.bars.time[0]!, from: old.contract, to: next.contract, measuredAt, gap, ratio });
  }
  const out = concat(parts.map((p) => p.bars));
  if (opts.adjust !== 'none' && rolls.length > 0) adjust(out, parts.map((p) => p.bars.length), rolls, opts.adjust);
  return { series: out, rolls, contracts: parts.map((p) => p.contract) };
}

function sliceFrom(s: BarSeries, i: number): BarSeries {
  return { length: s.length - i, time: s.time.subarray(i), open: s.open.subarray(i), high: s.high.subarray(i), low: s.low.subarray(i), close: s.close.subarray(i), volume: s.volume.subarray(i) };
}

/** Back-adjusts in place: the last contract stays as traded, each earlier one moves by every later roll. */
function adjust(s: ReturnType<typeof concat>, lengths: readonly number[], rolls: readonly RollPoint[], how: 'difference' | 'ratio'): void {
  let end = s.length;
  let shift = 0;
  let factor = 1;
  for (let k = lengths.length - 1; k >= 1; k--) {
    const start = end - lengths[k]!;
    end = start;
    const r = rolls[k - 1]!;
    shift += r.gap;
    factor *= r.ratio;
    const from = end - lengths[k - 1]!;
    for (let i = from; i < end; i++) {
      for (const col of [s.open, s.high, s.low, s.close]) col[i] = how === 'difference' ? col[i]! + shift : onGrid(col[i]! * factor);
    }
  }
}
