import type { Bar, BarSeries } from '../domain/bar.ts';
import { MES } from '../domain/instrument.ts';
import { DAY, MINUTE, toNyWallMs } from '../domain/session.ts';
import { checkStepMinutes, nextClose, nextOpen, openSegments } from './calendar.ts';
import { Rng } from './rng.ts';
import { BASE_VOLUME, GAP_FACTOR, INTRADAY_SIGMA, REGIMES, REGIME_OPTIONS, REGIME_PARAMS, TRANSITIONS, type MarketRegime, type RegimeOption, type RegimeParams } from './regimes.ts';

export interface SimulateOptions {
  /** Number of open stretches of the Globex calendar to fill (a session is ~23 h). */
  readonly days: number;
  readonly seed: number;
  readonly regime: RegimeOption;
  /** UTC ms; the first bar is the first open bar at or after it. */
  readonly start?: number;
  readonly startPrice?: number;
  /** Bar length in minutes, dividing 60. */
  readonly barMinutes?: number;
}

export type SimulatorOptions = Omit<SimulateOptions, 'days'>;

/** Sunday 2026-01-04 18:00 New York: the start of the session of Monday 2026-01-05. */
export const DEFAULT_START = Date.UTC(2026, 0, 4, 23);
export const DEFAULT_START_PRICE = 5000;

const TICKS_PER_POINT = 1 / MES.tickSize;
/** σ at which a minute trades BASE_VOLUME contracts. */
const SIGMA_REF = 0.0003;
/** Keeps one extreme shock from turning the GARCH variance into nonsense. */
const MAX_GARCH_VARIANCE = 25;

/**
 * An endless stream of simulated MES bars on the Globex calendar. Internally it always walks
 * one-minute steps and builds longer bars from them, so a 5-minute series is exactly the
 * aggregate of the 1-minute series of the same seed.
 *
 * Model per minute: log return = drift − pull × (y − anchor) + σ_regime × intraday(minute) × √h × z,
 * with h a GARCH(1,1) variance multiplier (mean 1) for volatility clustering; high and low are
 * drawn from the exact extremes of a Brownian bridge between open and close. At each reopen the
 * price gaps by a share of the diffusion over the closed hours.
 */
export class MarketSimulator {
  readonly barMinutes: number;
  private readonly rng: Rng;
  private regimeIndex: number;
  private params: RegimeParams;
  private regimeLeft = Number.POSITIVE_INFINITY;
  private anchor: number;
  private y: number;
  private h = 1;
  private t: number;
  private segClose: number;
  private wallMinute: number;
  private lastCloseTicks: number;
  // The bar just built, kept in fields so the batch path allocates nothing per bar.
  private bTime = 0;
  private bOpen = 0;
  private bHigh = 0;
  private bLow = 0;
  private bClose = 0;
  private bVolume = 0;
  // The minute just simulated, in ticks.
  private mHigh = 0;
  private mLow = 0;
  private mVolume = 0;

  constructor(opts: SimulatorOptions) {
    this.barMinutes = checkStepMinutes(opts.barMinutes ?? 1);
    if (!REGIME_OPTIONS.includes(opts.regime)) throw new RangeError(`regime must be one of ${REGIME_OPTIONS.join(', ')}, got '${opts.regime}'`);
    const startPrice = opts.startPrice ?? DEFAULT_START_PRICE;
    if (!(startPrice >= 1 && startPrice < 1e6)) throw new RangeError(`start price must be from 1 to 1000000, got ${startPrice}`);
    this.rng = new Rng(opts.seed);
    const switching = opts.regime === 'switching';
    this.regimeIndex = switching ? Math.floor(this.rng.uniform() * REGIMES.length) : REGIMES.indexOf(opts.regime as MarketRegime);
    this.params = REGIME_PARAMS[REGIMES[this.regimeIndex]!];
    if (switching) this.regimeLeft = this.drawRegimeMinutes();
    this.lastCloseTicks = Math.max(1, Math.round(startPrice * TICKS_PER_POINT));
    this.y = Math.log(this.lastCloseTicks / TICKS_PER_POINT);
    this.anchor = this.y;
    this.t = firstBarTime(opts.start ?? DEFAULT_START, this.barMinutes);
    this.segClose = nextClose(this.t);
    this.wallMinute = wallMinuteOfDay(this.t);
  }

  /** The regime that drives the next minute. */
  get regime(): MarketRegime {
    return REGIMES[this.regimeIndex]!;
  }

  next(): Bar {
    this.advance();
    return { time: this.bTime, open: this.bOpen, high: this.bHigh, low: this.bLow, close: this.bClose, volume: this.bVolume };
  }

  /** Writes the next bar into row `i` of the columns. */
  nextInto(s: BarSeries, i: number): void {
    this.advance();
    s.time[i] = this.bTime;
    s.open[i] = this.bOpen;
    s.high[i] = this.bHigh;
    s.low[i] = this.bLow;
    s.close[i] = this.bClose;
    s.volume[i] = this.bVolume;
  }

  private advance(): void {
    let high = 0;
    let low = Number.POSITIVE_INFINITY;
    let volume = 0;
    for (let k = 0; k < this.barMinutes; k++) {
      const open = this.stepMinute();
      if (k === 0) {
        this.bTime = this.t - MINUTE;
        this.bOpen = open / TICKS_PER_POINT;
      }
      if (this.mHigh > high) high = this.mHigh;
      if (this.mLow < low) low = this.mLow;
      volume += this.mVolume;
    }
    this.bHigh = high / TICKS_PER_POINT;
    this.bLow = low / TICKS_PER_POINT;
    this.bClose = this.lastCloseTicks / TICKS_PER_POINT;
    this.bVolume = volume;
  }

  /** Simulates one open minute; returns its open in ticks and leaves t at the next minute. */
  private stepMinute(): number {
    if (this.t >= this.segClose) this.reopen();
    if (--this.regimeLeft <= 0) this.switchRegime();
    const p = this.params;
    const rng = this.rng;
    const sigma = p.sigma * INTRADAY_SIGMA[this.wallMinute]! * Math.sqrt(this.h);
    const z = rng.normal();
    const zVolume = rng.normal();
    const dy = p.drift - p.meanReversion * (this.y - this.anchor) + sigma * z;
    // Extremes of a Brownian bridge from 0 to dy with variance σ²: exact, from one uniform each.
    const v2 = 2 * sigma * sigma;
    const up = 0.5 * (dy + Math.sqrt(dy * dy - v2 * Math.log(rng.uniform())));
    const down = 0.5 * (dy - Math.sqrt(dy * dy - v2 * Math.log(rng.uniform())));
    const open = this.lastCloseTicks;
    const y0 = this.y;
    this.y = y0 + dy;
    const close = Math.max(1, Math.round(Math.exp(this.y) * TICKS_PER_POINT));
    const hi = Math.round(Math.exp(y0 + up) * TICKS_PER_POINT);
    const lo = Math.round(Math.exp(y0 + down) * TICKS_PER_POINT);
    this.mHigh = Math.max(open, close, hi);
    this.mLow = Math.max(1, Math.min(open, close, lo));
    const intensity = (sigma / SIGMA_REF) ** 1.3;
    this.mVolume = Math.max(1, Math.round(BASE_VOLUME * intensity * Math.exp(0.4 * zVolume - 0.08) * (0.7 + 0.3 * Math.abs(z))));
    const h = 1 - p.garchAlpha - p.garchBeta + (p.garchAlpha * z * z + p.garchBeta) * this.h;
    this.h = h > MAX_GARCH_VARIANCE ? MAX_GARCH_VARIANCE : h;
    this.lastCloseTicks = close;
    this.t += MINUTE;
    this.wallMinute = this.wallMinute === 1439 ? 0 : this.wallMinute + 1;
    return open;
  }

  /** Jumps over the closed hours to the next open; the price gaps there. */
  private reopen(): void {
    const reopen = nextOpen(this.segClose);
    const closedMinutes = (reopen - this.segClose) / MINUTE;
    const gapSigma = GAP_FACTOR * this.params.sigma * Math.sqrt(this.h * closedMinutes);
    this.y += gapSigma * this.rng.normal();
    this.lastCloseTicks = Math.max(1, Math.round(Math.exp(this.y) * TICKS_PER_POINT));
    this.t = reopen;
    this.segClose = nextClose(reopen);
    this.wallMinute = wallMinuteOfDay(reopen);
  }

  private switchRegime(): void {
    const row = TRANSITIONS[REGIMES[this.regimeIndex]!];
    let u = this.rng.uniform();
    let next = row.length - 1;
    for (let j = 0; j < row.length; j++) {
      u -= row[j]!;
      if (u < 0) {
        next = j;
        break;
      }
    }
    this.regimeIndex = next;
    this.params = REGIME_PARAMS[REGIMES[next]!];
    this.anchor = this.y;
    this.regimeLeft = this.drawRegimeMinutes();
  }

  private drawRegimeMinutes(): number {
    return Math.max(1, Math.round(-Math.log(this.rng.uniform()) * this.params.meanMinutes));
  }
}

/**
 * `days` open stretches of simulated bars as columns. The batch path is the incremental
 * simulator writing straight into preallocated arrays: same seed, same numbers as `next()`.
 */
export function simulateBars(opts: SimulateOptions, onProgress?: (done: number, total: number) => void): BarSeries {
  if (!Number.isInteger(opts.days) || opts.days < 1) throw new RangeError(`days must be a whole number ≥ 1, got ${opts.days}`);
  const sim = new MarketSimulator(opts);
  const stepMs = sim.barMinutes * MINUTE;
  const first = firstBarTime(opts.start ?? DEFAULT_START, sim.barMinutes);
  let total = 0;
  for (const seg of openSegments(first, opts.days)) total += Math.round((seg.close - seg.open) / stepMs);
  const s: BarSeries = {
    length: total,
    time: new Float64Array(total),
    open: new Float64Array(total),
    high: new Float64Array(total),
    low: new Float64Array(total),
    close: new Float64Array(total),
    volume: new Float64Array(total),
  };
  const every = 1 << 15;
  onProgress?.(0, total);
  for (let i = 0; i < total; i++) {
    sim.nextInto(s, i);
    if (onProgress && (i + 1) % every === 0) onProgress(i + 1, total);
  }
  onProgress?.(total, total);
  return s;
}

function firstBarTime(start: number, barMinutes: number): number {
  if (!Number.isFinite(start)) throw new RangeError(`start must be a time in epoch ms, got ${start}`);
  const step = barMinutes * MINUTE;
  return nextOpen(Math.ceil(start / step) * step);
}

function wallMinuteOfDay(utcMs: number): number {
  const wall = toNyWallMs(utcMs);
  return Math.floor((wall - Math.floor(wall / DAY) * DAY) / MINUTE);
}
