import { moments, normCdf, normInv, sampleVariance } from './stats.ts';

/**
 * Deflated Sharpe Ratio (Bailey & López de Prado, "The Deflated Sharpe Ratio: Correcting for
 * Selection Bias, Backtest Overfitting and Non-Normality", J. Portfolio Management 40(5), 2014):
 *
 *   SR₀ = √V[SRₙ] · ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e)))      γ = Euler–Mascheroni
 *   DSR = Φ( (SR̂ − SR₀) √(T − 1) / √(1 − γ₃ SR̂ + (γ₄ − 1)/4 · SR̂²) )
 *
 * SR̂ the chosen set's Sharpe per period (not annualised), T its number of returns, γ₃ and γ₄ their
 * skewness and kurtosis, N the number of sets tried and V[SRₙ] the variance of their Sharpe ratios.
 * DSR is the probability that the true Sharpe is above what the best of N unskilled trials would show.
 */

export const EULER_GAMMA = 0.5772156649015329;

export interface DsrInput {
  /** Per-period Sharpe of the chosen set. */
  readonly sharpe: number;
  readonly observations: number;
  readonly trials: number;
  /** Variance of the per-period Sharpe ratios across the trials. */
  readonly sharpeVariance: number;
  readonly skew: number;
  readonly kurtosis: number;
}

/** Expected maximum per-period Sharpe of `trials` unskilled trials (SR₀). 0 with one trial. */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (trials <= 1) return 0;
  return Math.sqrt(sharpeVariance) * ((1 - EULER_GAMMA) * normInv(1 - 1 / trials) + EULER_GAMMA * normInv(1 - 1 / (trials * Math.E)));
}

export function deflatedSharpe(input: DsrInput): number {
  const sr0 = expectedMaxSharpe(input.trials, input.sharpeVariance);
  const sr = input.sharpe;
  const denom = Math.sqrt(1 - input.skew * sr + ((input.kurtosis - 1) / 4) * sr * sr);
  // A very positive skew can make the variance term negative: no meaningful probability then.
  if (!(denom > 0)) return Number.NaN;
  return normCdf(((sr - sr0) * Math.sqrt(input.observations - 1)) / denom);
}

export interface DsrReport {
  /** Probability (0…1); null when it cannot be computed (fewer than 3 sessions, no spread of returns). */
  readonly dsr: number | null;
  readonly trials: number;
  readonly sessions: number;
  /** The chosen set's Sharpe and the benchmark SR₀, both annualised by √252 like the Sharpe metric. */
  readonly sharpe: number | null;
  readonly benchmarkSharpe: number | null;
  readonly skew: number | null;
  readonly kurtosis: number | null;
}

const ANNUAL = Math.sqrt(252);

/** Per-period Sharpe: mean / sample σ; null with fewer than 2 returns or σ = 0. */
export function periodSharpe(r: readonly number[]): number | null {
  if (r.length < 2) return null;
  const v = sampleVariance(r);
  if (!(v > 0)) return null;
  return r.reduce((a, b) => a + b, 0) / r.length / Math.sqrt(v);
}

/** DSR of `chosen` given the daily returns of every set tried (the chosen one among them). */
export function dsrOfGrid(allReturns: readonly (readonly number[])[], chosen: number): DsrReport {
  const trials = allReturns.length;
  const r = allReturns[chosen] ?? [];
  const sr = periodSharpe(r);
  const srs = allReturns.map(periodSharpe).filter((x): x is number => x !== null);
  const v = srs.length >= 2 ? sampleVariance(srs) : 0;
  if (sr === null || r.length < 3) return { dsr: null, trials, sessions: r.length, sharpe: sr === null ? null : sr * ANNUAL, benchmarkSharpe: null, skew: null, kurtosis: null };
  const { skew, kurtosis } = moments(r);
  const sr0 = expectedMaxSharpe(trials, v);
  const dsr = deflatedSharpe({ sharpe: sr, observations: r.length, trials, sharpeVariance: v, skew, kurtosis });
  return { dsr: Number.isNaN(dsr) ? null : dsr, trials, sessions: r.length, sharpe: sr * ANNUAL, benchmarkSharpe: sr0 * ANNUAL, skew, kurtosis };
}
