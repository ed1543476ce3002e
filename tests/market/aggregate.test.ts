import { describe, expect, test } from 'bun:test';
import type { Bar } from '../../src/domain/bar.ts';
import { BarAggregator } from '../../src/market/aggregate.ts';

const T0 = Date.UTC(2026, 0, 5, 15, 0); // 10:00 New York
const SEC = 1000;
const MIN = 60 * SEC;

function bar(time: number, o: Partial<Omit<Bar, 'time'>> = {}): Bar {
  const open = o.open ?? 5000;
  const close = o.close ?? open;
  return { time, open, close, high: o.high ?? Math.max(open, close), low: o.low ?? Math.min(open, close), volume: o.volume ?? 1 };
}

const feed = (agg: BarAggregator, bars: Bar[]) => bars.flatMap((b) => agg.push(b));

describe('BarAggregator', () => {
  test('twelve 5-second bars make one 1-minute bar, emitted when the next minute starts', () => {
    const agg = new BarAggregator({ periodMinutes: 1 });
    const fives = Array.from({ length: 12 }, (_, k) => bar(T0 + k * 5 * SEC, { open: 5000 + k * 0.25, close: 5000.25 + k * 0.25, volume: k + 1 }));
    fives[4] = bar(T0 + 20 * SEC, { open: 5001, close: 5001.25, high: 5010, low: 4990, volume: 5 });
    expect(feed(agg, fives)).toEqual([]);
    const out = agg.push(bar(T0 + MIN, { open: 5003 }));
    expect(out).toEqual([{ time: T0, open: 5000, high: 5010, low: 4990, close: 5003, volume: 78 }]);
  });

  test('1-minute bars make 5-minute bars timed at the period start; empty periods make no bar', () => {
    const agg = new BarAggregator({ periodMinutes: 5 });
    const out = feed(agg, [
      bar(T0, { open: 5000, close: 5001 }),
      bar(T0 + 1 * MIN, { open: 5001, close: 4999, volume: 3 }),
      bar(T0 + 3 * MIN, { open: 4999, close: 5002, volume: 2 }),
      // no bars 10:04–10:11: a feed gap spanning a whole period
      bar(T0 + 12 * MIN, { open: 5004, close: 5005 }),
      bar(T0 + 14 * MIN, { open: 5005, close: 5006 }),
      bar(T0 + 15 * MIN, { open: 5006, close: 5007 }),
    ]);
    expect(out).toEqual([
      { time: T0, open: 5000, high: 5002, low: 4999, close: 5002, volume: 6 },
      { time: T0 + 10 * MIN, open: 5004, high: 5006, low: 5004, close: 5006, volume: 2 },
    ]);
    expect(agg.pending).toEqual({ time: T0 + 15 * MIN, open: 5006, high: 5007, low: 5006, close: 5007, volume: 1 });
  });

  test('flush emits the pending bar only once its period has ended', () => {
    const agg = new BarAggregator({ periodMinutes: 5 });
    agg.push(bar(T0 + 2 * MIN));
    expect(agg.flush(T0 + 5 * MIN - 1)).toBeNull();
    expect(agg.flush(T0 + 5 * MIN)?.time).toBe(T0);
    expect(agg.flush(T0 + 6 * MIN)).toBeNull();
    expect(agg.pending).toBeNull();
  });

  test('flush waits for the grace period after the end', () => {
    const agg = new BarAggregator({ periodMinutes: 1, graceMs: 2 * SEC });
    agg.push(bar(T0 + 50 * SEC));
    expect(agg.flush(T0 + MIN)).toBeNull();
    expect(agg.flush(T0 + MIN + 2 * SEC)?.time).toBe(T0);
  });

  test('with the source bar length known, the bar ending the period completes it at once', () => {
    const agg = new BarAggregator({ periodMinutes: 1, sourceBarMs: 5 * SEC });
    expect(agg.push(bar(T0 + 50 * SEC))).toEqual([]);
    expect(agg.push(bar(T0 + 55 * SEC, { volume: 4 }))).toEqual([{ time: T0, open: 5000, high: 5000, low: 5000, close: 5000, volume: 5 }]);
    expect(agg.flush(T0 + 2 * MIN)).toBeNull();
  });

  test('a bar that arrives after its period was emitted is dropped and counted, not merged', () => {
    const agg = new BarAggregator({ periodMinutes: 1 });
    agg.push(bar(T0));
    expect(agg.flush(T0 + MIN)?.volume).toBe(1);
    expect(agg.push(bar(T0 + 55 * SEC, { volume: 9 }))).toEqual([]);
    expect(agg.dropped).toBe(1);
    expect(agg.pending).toBeNull();
    agg.push(bar(T0 + 2 * MIN + 5 * SEC));
    expect(agg.push(bar(T0 + MIN + 30 * SEC))).toEqual([]);
    expect(agg.dropped).toBe(2);
    expect(agg.pending?.time).toBe(T0 + 2 * MIN);
  });

  test('flush(Infinity) hands over the last bar at the end of a replay', () => {
    const agg = new BarAggregator({ periodMinutes: 15 });
    agg.push(bar(T0 + 3 * MIN, { volume: 7 }));
    expect(agg.flush(Number.POSITIVE_INFINITY)).toEqual({ time: T0, open: 5000, high: 5000, low: 5000, close: 5000, volume: 7 });
  });

  test('periods that do not divide an hour and sources longer than the period are refused', () => {
    expect(() => new BarAggregator({ periodMinutes: 7 })).toThrow(/dividing 60/);
    expect(() => new BarAggregator({ periodMinutes: 1, sourceBarMs: 5 * MIN })).toThrow(/sourceBarMs/);
  });
});
