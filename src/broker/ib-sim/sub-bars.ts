import type { Bar } from '../../domain/bar.ts';
import { roundToTick } from '../../domain/money.ts';

/** IB's real-time bars are 5 seconds long: twelve of them make the simulator's one-minute bar. */
export const REAL_TIME_BAR_SECONDS = 5;

/**
 * Splits a one-minute bar into twelve 5-second bars whose aggregate is exactly that bar (same
 * open, high, low, close, volume), so a client that aggregates IB real-time bars back to
 * minutes sees the bars the paper exchange filled against. The price path goes open → the
 * nearer extreme → the other extreme → close, moving linearly on the tick grid in between.
 */
export function splitMinuteBar(bar: Bar, parts = 60 / REAL_TIME_BAR_SECONDS): Bar[] {
  const up = bar.close >= bar.open;
  const [first, second] = up ? [bar.low, bar.high] : [bar.high, bar.low];
  const a = Math.floor(parts / 3);
  const b = Math.floor((2 * parts) / 3);
  const knots: ReadonlyArray<readonly [number, number]> = [[0, bar.open], [a, first], [b, second], [parts, bar.close]];
  const points: number[] = [];
  for (let i = 0; i <= parts; i++) {
    const k = knots.findIndex(([at], j) => j + 1 < knots.length && i >= at && i <= knots[j + 1]![0]);
    const [x0, y0] = knots[k]!;
    const [x1, y1] = knots[k + 1]!;
    points.push(x1 === x0 ? y1 : roundToTick(y0 + ((y1 - y0) * (i - x0)) / (x1 - x0)));
  }
  const baseVolume = Math.floor(bar.volume / parts);
  const step = (60_000 / parts);
  const out: Bar[] = [];
  for (let i = 0; i < parts; i++) {
    const o = points[i]!;
    const c = points[i + 1]!;
    const volume = i === parts - 1 ? bar.volume - baseVolume * (parts - 1) : baseVolume;
    out.push({ time: bar.time + i * step, open: o, high: Math.max(o, c), low: Math.min(o, c), close: c, volume });
  }
  return out;
}
