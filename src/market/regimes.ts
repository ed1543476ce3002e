/**
 * Parameters of the simulated MES market. Sizes are chosen to look like MES: an average
 * one-minute σ of about 0.03 % in calm markets (≈ 18 % a year over 23 h × 252 days), RTH minutes
 * far busier than overnight ones, and trends worth a fraction of a percent per session.
 */

export const REGIMES = ['bullish', 'bearish', 'sideways', 'volatile'] as const;
export type MarketRegime = (typeof REGIMES)[number];
export type RegimeOption = MarketRegime | 'switching';
export const REGIME_OPTIONS: readonly RegimeOption[] = [...REGIMES, 'switching'];

export interface RegimeParams {
  /** Drift of the log price per trading minute. */
  readonly drift: number;
  /** Average σ of a one-minute log return, before GARCH and the intraday profile. */
  readonly sigma: number;
  /** Pull of the log price back to where the regime began, per minute (0 = none). */
  readonly meanReversion: number;
  /** GARCH(1,1) weights on the last shock and the last variance. */
  readonly garchAlpha: number;
  readonly garchBeta: number;
  /** Mean length in trading minutes when regimes switch (hours to days). */
  readonly meanMinutes: number;
}

const SESSION_MINUTES = 23 * 60;

export const REGIME_PARAMS: Readonly<Record<MarketRegime, RegimeParams>> = {
  bullish: { drift: 0.002 / SESSION_MINUTES, sigma: 0.0003, meanReversion: 0, garchAlpha: 0.04, garchBeta: 0.955, meanMinutes: 2 * SESSION_MINUTES },
  bearish: { drift: -0.0025 / SESSION_MINUTES, sigma: 0.0004, meanReversion: 0, garchAlpha: 0.04, garchBeta: 0.955, meanMinutes: 1.5 * SESSION_MINUTES },
  sideways: { drift: 0, sigma: 0.00025, meanReversion: Math.LN2 / 240, garchAlpha: 0.04, garchBeta: 0.955, meanMinutes: 1.5 * SESSION_MINUTES },
  volatile: { drift: 0, sigma: 0.0007, meanReversion: 0, garchAlpha: 0.06, garchBeta: 0.93, meanMinutes: 8 * 60 },
};

/**
 * Where a regime goes when it ends (rows sum to 1; the diagonal is 0 because the time spent in
 * a regime is drawn separately). Order as in REGIMES.
 */
export const TRANSITIONS: Readonly<Record<MarketRegime, readonly number[]>> = {
  bullish: [0, 0.25, 0.55, 0.2],
  bearish: [0.3, 0, 0.4, 0.3],
  sideways: [0.4, 0.35, 0, 0.25],
  volatile: [0.3, 0.35, 0.35, 0],
};

/** Share of a closed stretch's diffusion that shows up as the gap at the reopen. */
export const GAP_FACTOR = 0.3;

/** Typical contracts per calm minute; volume scales with the bar's σ. */
export const BASE_VOLUME = 400;

/**
 * Relative σ of a minute by its New York wall-clock minute of day (0–1439): quiet Asian and
 * European hours, the 08:30 data releases, the 09:30 cash open decaying through the morning,
 * the lunch lull and the run into the 16:00 close; normalised so the mean variance over the 23
 * open hours is 1 and the regime σ stays the session average.
 */
export const INTRADAY_SIGMA: Float64Array = buildIntraday();

function rawProfile(minuteOfDay: number): number {
  const h = minuteOfDay / 60;
  if (h >= 18) return 0.45 + 0.5 * Math.exp(-(minuteOfDay - 18 * 60) / 10);
  if (h < 3) return 0.45;
  if (h < 8.5) return 0.6;
  if (h < 9.5) return 0.8 + 1.0 * Math.exp(-(minuteOfDay - 8.5 * 60) / 8);
  if (h < 16) {
    const open = 1.6 * Math.exp(-(minuteOfDay - 9.5 * 60) / 35);
    const lunch = h >= 12 && h < 13.5 ? -0.15 : 0;
    const close = h >= 14 ? 0.6 * ((minuteOfDay - 14 * 60) / 120) ** 2 : 0;
    return 1.0 + open + lunch + close;
  }
  if (h < 16.25) return 0.9;
  return 0.5;
}

function buildIntraday(): Float64Array {
  const out = new Float64Array(24 * 60);
  let sum = 0;
  let n = 0;
  for (let m = 0; m < out.length; m++) {
    const closed = m >= 17 * 60 && m < 18 * 60;
    const s = closed ? 0 : rawProfile(m);
    out[m] = s;
    if (!closed) {
      sum += s * s;
      n++;
    }
  }
  const norm = Math.sqrt(sum / n);
  for (let m = 0; m < out.length; m++) out[m] = out[m]! / norm;
  return out;
}
