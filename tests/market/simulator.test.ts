import { describe, expect, test } from 'bun:test';
import type { BarSeries } from '../../src/domain/bar.ts';
import { isOnGrid } from '../../src/domain/money.ts';
import { MINUTE, fromNyWallMs } from '../../src/domain/session.ts';
import { BarAggregator } from '../../src/market/aggregate.ts';
import { isMarketOpen } from '../../src/market/calendar.ts';
import { DEFAULT_START, MarketSimulator, simulateBars } from '../../src/market/simulator.ts';
import { globexOpenByIntl } from './ny-clock.ts';

const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
const ny = (y: number, mo: number, d: number, h = 12) => fromNyWallMs(Date.UTC(y, mo - 1, d, h));

function firstDifference(a: BarSeries, b: BarSeries): string | null {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  for (const c of COLUMNS) for (let i = 0; i < a.length; i++) if (a[c][i] !== b[c][i]) return `${c}[${i}] ${a[c][i]} vs ${b[c][i]}`;
  return null;
}

/** Every broken invariant as a readable line (empty when all hold). */
function invariantViolations(s: BarSeries, stepMs = MINUTE): string[] {
  const bad: string[] = [];
  for (let i = 0; i < s.length && bad.length < 10; i++) {
    const [t, o, h, l, c, v] = [s.time[i]!, s.open[i]!, s.high[i]!, s.low[i]!, s.close[i]!, s.volume[i]!];
    const at = `bar ${i} ${new Date(t).toISOString()}`;
    if (![o, h, l, c].every((p) => isOnGrid(p))) bad.push(`${at}: off grid ${o} ${h} ${l} ${c}`);
    if (!(l > 0 && l <= Math.min(o, c) && h >= Math.max(o, c))) bad.push(`${at}: OHLC ${o} ${h} ${l} ${c}`);
    if (!(Number.isInteger(v) && v >= 1)) bad.push(`${at}: volume ${v}`);
    if (t % stepMs !== 0) bad.push(`${at}: not on the bar clock`);
    if (!isMarketOpen(t)) bad.push(`${at}: market closed`);
    if (i > 0 && t <= s.time[i - 1]!) bad.push(`${at}: time not rising`);
    if (i > 0 && t - s.time[i - 1]! === stepMs && o !== s.close[i - 1]) bad.push(`${at}: open ${o} ≠ previous close ${s.close[i - 1]} inside a session`);
  }
  return bad;
}

describe('simulateBars determinism', () => {
  test('the same options give identical bars', () => {
    const opts = { days: 5, seed: 7, regime: 'switching' } as const;
    expect(firstDifference(simulateBars(opts), simulateBars(opts))).toBeNull();
  });

  test('another seed gives different bars on the same calendar', () => {
    const a = simulateBars({ days: 5, seed: 7, regime: 'switching' });
    const b = simulateBars({ days: 5, seed: 8, regime: 'switching' });
    expect(b.time).toEqual(a.time);
    expect(firstDifference(a, b)).toStartWith('open');
  });

  test('the incremental simulator yields the same bars as the batch function', () => {
    const batch = simulateBars({ days: 3, seed: 11, regime: 'volatile' });
    const sim = new MarketSimulator({ seed: 11, regime: 'volatile' });
    const bars = Array.from({ length: batch.length }, () => sim.next());
    expect(bars.map((b) => b.close)).toEqual([...batch.close]);
    expect(bars.map((b) => b.time)).toEqual([...batch.time]);
    expect(bars.map((b) => b.volume)).toEqual([...batch.volume]);
  });
});

describe('simulateBars calendar and size', () => {
  test('by default 20 sessions from Sunday 2026-01-04 18:00 New York: 20 × 23 h of minutes, less the MLK Day halt', () => {
    const s = simulateBars({ days: 20, seed: 1, regime: 'sideways' });
    // 2026-01-19 (Martin Luther King Jr. Day) halts at 13:00 instead of 17:00: 4 hours fewer.
    expect(s.length).toBe(20 * 23 * 60 - 4 * 60);
    expect(s.time[0]).toBe(DEFAULT_START);
    expect(new Date(s.time[0]!).toISOString()).toBe('2026-01-04T23:00:00.000Z');
    expect(new Date(s.time[s.length - 1]!).toISOString()).toBe('2026-01-30T21:59:00.000Z');
  });

  test('the first bar opens at the start price', () => {
    expect(simulateBars({ days: 1, seed: 1, regime: 'bullish' }).open[0]).toBe(5000);
    expect(simulateBars({ days: 1, seed: 1, regime: 'bullish', startPrice: 4321.25 }).open[0]).toBe(4321.25);
  });

  test('a start inside the daily halt begins at the 18:00 reopen', () => {
    const s = simulateBars({ days: 1, seed: 1, regime: 'bullish', start: fromNyWallMs(Date.UTC(2026, 2, 3, 17, 25)) });
    expect(new Date(s.time[0]!).toISOString()).toBe('2026-03-03T23:00:00.000Z');
  });

  for (const [month, start] of [
    ['March', ny(2026, 2, 25)],
    ['November', ny(2026, 10, 21)],
  ] as const) {
    test(`over the ${month} DST switch no bar falls in closed hours by the Intl clock`, () => {
      const s = simulateBars({ days: 15, seed: 3, regime: 'switching', start });
      const closed = [...s.time].filter((t) => !globexOpenByIntl(t));
      expect(closed.map((t) => new Date(t).toISOString())).toEqual([]);
      expect(s.length).toBe(14 * 23 * 60 + 5 * 60); // the first session starts at noon, 5 h before its close
    });
  }
});

describe('simulateBars bar invariants', () => {
  test('over a year of switching regimes every bar is on grid, OHLC-consistent, open and continuous', () => {
    const s = simulateBars({ days: 250, seed: 99, regime: 'switching' });
    // 2026's 13:00 holiday halts (MLK, Presidents, Memorial Day, Juneteenth, July 3, Labor Day,
    // Thanksgiving) are 4 h short each; the day after Thanksgiving closes at 13:15.
    expect(s.length).toBe(250 * 23 * 60 - 7 * 4 * 60 - (3 * 60 + 45));
    expect(invariantViolations(s)).toEqual([]);
  });

  test('a low start price never produces a zero or negative low', () => {
    const s = simulateBars({ days: 20, seed: 5, regime: 'volatile', startPrice: 1 });
    expect(invariantViolations(s)).toEqual([]);
  });

  test('5-minute bars hold the same invariants', () => {
    expect(invariantViolations(simulateBars({ days: 10, seed: 4, regime: 'switching', barMinutes: 5 }), 5 * MINUTE)).toEqual([]);
  });
});

describe('simulateBars gaps', () => {
  test('the price gaps at reopens and never inside a session', () => {
    const s = simulateBars({ days: 40, seed: 21, regime: 'switching' });
    let reopens = 0;
    let gapped = 0;
    for (let i = 1; i < s.length; i++) {
      if (s.time[i]! - s.time[i - 1]! === MINUTE) continue;
      reopens++;
      if (s.open[i] !== s.close[i - 1]) gapped++;
    }
    expect(reopens).toBe(39);
    expect(gapped).toBeGreaterThan(reopens / 2);
  });

  test('weekend gaps are larger than daily-halt gaps on average', () => {
    let weekend = 0;
    let weekendN = 0;
    let daily = 0;
    let dailyN = 0;
    for (let seed = 0; seed < 10; seed++) {
      const s = simulateBars({ days: 40, seed, regime: 'sideways' });
      for (let i = 1; i < s.length; i++) {
        const closedFor = s.time[i]! - s.time[i - 1]!;
        const size = Math.abs(s.open[i]! - s.close[i - 1]!);
        if (closedFor > 24 * 60 * MINUTE) (weekend += size), weekendN++;
        else if (closedFor > MINUTE) (daily += size), dailyN++;
      }
    }
    expect(weekend / weekendN).toBeGreaterThan(3 * (daily / dailyN));
  });
});

describe('simulateBars bar length', () => {
  test('5-minute bars are exactly the 1-minute bars of the same seed aggregated on the clock', () => {
    const one = simulateBars({ days: 3, seed: 8, regime: 'switching' });
    const five = simulateBars({ days: 3, seed: 8, regime: 'switching', barMinutes: 5 });
    const agg = new BarAggregator({ periodMinutes: 5 });
    const built = [];
    for (let i = 0; i < one.length; i++) {
      built.push(...agg.push({ time: one.time[i]!, open: one.open[i]!, high: one.high[i]!, low: one.low[i]!, close: one.close[i]!, volume: one.volume[i]! }));
    }
    const last = agg.flush(Number.POSITIVE_INFINITY);
    if (last) built.push(last);
    expect(five.length).toBe(one.length / 5);
    expect(built.map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume])).toEqual(
      Array.from({ length: five.length }, (_, i) => [five.time[i]!, five.open[i]!, five.high[i]!, five.low[i]!, five.close[i]!, five.volume[i]!]),
    );
  });
});

describe('simulateBars options', () => {
  test('bad options are refused with the reason', () => {
    expect(() => simulateBars({ days: 0, seed: 1, regime: 'bullish' })).toThrow(/days/);
    expect(() => simulateBars({ days: 1.5, seed: 1, regime: 'bullish' })).toThrow(/days/);
    expect(() => simulateBars({ days: 1, seed: 1, regime: 'bullish', barMinutes: 7 })).toThrow(/dividing 60/);
    expect(() => simulateBars({ days: 1, seed: 1, regime: 'crash' as never })).toThrow(/regime must be one of/);
    expect(() => simulateBars({ days: 1, seed: 1, regime: 'bullish', startPrice: 0 })).toThrow(/start price/);
  });

  test('progress is reported up to the total', () => {
    const calls: Array<[number, number]> = [];
    const s = simulateBars({ days: 30, seed: 1, regime: 'bullish' }, (done, total) => calls.push([done, total]));
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.at(-1)).toEqual([s.length, s.length]);
    expect(calls.every(([d], i) => i === 0 || d > calls[i - 1]![0])).toBe(true);
  });
});
