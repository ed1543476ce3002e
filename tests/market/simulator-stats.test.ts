import { describe, expect, test } from 'bun:test';
import type { BarSeries } from '../../src/domain/bar.ts';
import { MINUTE, toNyWallMs } from '../../src/domain/session.ts';
import { INTRADAY_SIGMA, type MarketRegime } from '../../src/market/regimes.ts';
import { MarketSimulator, simulateBars } from '../../src/market/simulator.ts';

/** Log returns close-to-close inside sessions (reopen gaps left out), with their bar index. */
function minuteReturns(s: BarSeries): { r: number[]; at: number[] } {
  const r: number[] = [];
  const at: number[] = [];
  for (let i = 1; i < s.length; i++) {
    if (s.time[i]! - s.time[i - 1]! !== MINUTE) continue;
    r.push(Math.log(s.close[i]! / s.close[i - 1]!));
    at.push(i);
  }
  return { r, at };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const stdev = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};
const nyMinuteOfDay = (t: number) => Math.floor((toNyWallMs(t) % 86_400_000) / MINUTE);

function autocorrelation(xs: readonly number[], lag: number): number {
  const m = mean(xs);
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    den += (xs[i]! - m) ** 2;
    if (i >= lag) num += (xs[i]! - m) * (xs[i - lag]! - m);
  }
  return num / den;
}

/** Log change from the first open to the last close of each seed's run. */
function sessionDrifts(regime: MarketRegime, seeds: number, days: number): number[] {
  return Array.from({ length: seeds }, (_, seed) => {
    const s = simulateBars({ days, seed: 1000 + seed, regime });
    return Math.log(s.close[s.length - 1]! / s.open[0]!);
  });
}

describe('regimes', () => {
  test('bullish drifts up and bearish down on average over many seeds', () => {
    const bull = sessionDrifts('bullish', 40, 10);
    const bear = sessionDrifts('bearish', 40, 10);
    const tStat = (xs: number[]) => mean(xs) / (stdev(xs) / Math.sqrt(xs.length));
    expect(tStat(bull)).toBeGreaterThan(2);
    expect(tStat(bear)).toBeLessThan(-2);
  });

  test('sideways stays closer to where it started than a trend', () => {
    const spread = (xs: number[]) => mean(xs.map(Math.abs));
    expect(spread(sessionDrifts('sideways', 30, 10))).toBeLessThan(spread(sessionDrifts('bullish', 30, 10)));
  });

  test('volatile has well over 1.5× the realised volatility of sideways', () => {
    const vol = (regime: MarketRegime) => stdev(minuteReturns(simulateBars({ days: 20, seed: 5, regime })).r);
    expect(vol('volatile')).toBeGreaterThan(1.5 * vol('sideways'));
  });

  test('a calm regime has an MES-like annualised volatility of 12–25 %', () => {
    const perMinute = stdev(minuteReturns(simulateBars({ days: 120, seed: 6, regime: 'bullish' })).r);
    const annual = perMinute * Math.sqrt(23 * 60 * 252);
    expect(annual).toBeGreaterThan(0.12);
    expect(annual).toBeLessThan(0.25);
  });

  test('switching visits every regime, each for hours to days on average', () => {
    const sim = new MarketSimulator({ seed: 5, regime: 'switching' });
    const stretches = new Map<MarketRegime, number[]>();
    let current = sim.regime;
    let length = 0;
    for (let i = 0; i < 120 * 23 * 60; i++) {
      sim.next();
      length++;
      if (sim.regime !== current) {
        stretches.set(current, [...(stretches.get(current) ?? []), length]);
        current = sim.regime;
        length = 0;
      }
    }
    expect([...stretches.keys()].sort()).toEqual(['bearish', 'bullish', 'sideways', 'volatile']);
    const all = [...stretches.values()].flat();
    expect(mean(all)).toBeGreaterThan(60);
    expect(mean(all)).toBeLessThan(5 * 23 * 60);
  });
});

describe('volatility structure', () => {
  test('volatility clusters: |returns| net of the time of day are autocorrelated', () => {
    const s = simulateBars({ days: 60, seed: 12, regime: 'bullish' });
    const { r, at } = minuteReturns(s);
    const scaled = r.map((x, k) => Math.abs(x) / INTRADAY_SIGMA[nyMinuteOfDay(s.time[at[k]!]!)]!);
    for (const lag of [1, 5, 30]) expect(autocorrelation(scaled, lag)).toBeGreaterThan(0.05);
  });

  test('the raw returns themselves are close to uncorrelated', () => {
    const { r } = minuteReturns(simulateBars({ days: 60, seed: 12, regime: 'volatile' }));
    expect(Math.abs(autocorrelation(r, 1))).toBeLessThan(0.05);
  });

  test('intraday volatility is U-shaped: busy at the 09:30 open and into the close, quiet at lunch and overnight', () => {
    const s = simulateBars({ days: 60, seed: 13, regime: 'sideways' });
    const { r, at } = minuteReturns(s);
    const volBetween = (fromMin: number, toMin: number) => stdev(r.filter((_, k) => {
      const m = nyMinuteOfDay(s.time[at[k]!]!);
      return m >= fromMin && m < toMin;
    }));
    const open = volBetween(9 * 60 + 30, 10 * 60);
    const lunch = volBetween(12 * 60, 13 * 60);
    const close = volBetween(15 * 60 + 30, 16 * 60);
    const night = volBetween(0, 3 * 60);
    expect(open).toBeGreaterThan(1.5 * lunch);
    expect(close).toBeGreaterThan(1.2 * lunch);
    expect(lunch).toBeGreaterThan(1.3 * night);
  });

  test('volume rises with volatility', () => {
    const s = simulateBars({ days: 30, seed: 14, regime: 'switching' });
    const range: number[] = [];
    const vol: number[] = [];
    for (let i = 0; i < s.length; i++) {
      range.push(s.high[i]! - s.low[i]!);
      vol.push(s.volume[i]!);
    }
    const mr = mean(range);
    const mv = mean(vol);
    let cov = 0;
    for (let i = 0; i < s.length; i++) cov += (range[i]! - mr) * (vol[i]! - mv);
    const corr = cov / s.length / (stdev(range) * stdev(vol));
    expect(corr).toBeGreaterThan(0.3);
  });
});
