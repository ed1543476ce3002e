import * as v from 'valibot';
import { seriesFromBars, type Bar, type BarSeries } from '../domain/bar.ts';
import { MINUTE } from '../domain/session.ts';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../engine/settings.ts';
import type { Signal, StrategyDefinition } from '../strategy/types.ts';

/** Tuesday 2026-01-06 09:30 New York (14:30 UTC), mid-session. */
export const T0 = Date.parse('2026-01-06T14:30:00Z');

/** A bar with defaults for whatever the test does not care about. */
export function bar(fields: Partial<Bar> & { close: number }): Bar {
  const open = fields.open ?? fields.close;
  return {
    time: fields.time ?? T0,
    open,
    high: fields.high ?? Math.max(open, fields.close),
    low: fields.low ?? Math.min(open, fields.close),
    close: fields.close,
    volume: fields.volume ?? 100,
  };
}

/** Bars from [open, high, low, close] rows, one minute apart from `start`. */
export function bars(rows: ReadonlyArray<readonly [number, number, number, number]>, start = T0, stepMs = MINUTE): BarSeries {
  return seriesFromBars(rows.map(([open, high, low, close], i) => ({ time: start + i * stepMs, open, high, low, close, volume: 100 })));
}

/** Flat bars at one price, `n` of them. */
export function flatRows(n: number, price: number): Array<[number, number, number, number]> {
  return Array.from({ length: n }, () => [price, price, price, price] as [number, number, number, number]);
}

/** A strategy that advises `script[i]` at bar i of the run (and 'none' elsewhere). */
export function scripted(script: Readonly<Record<number, Signal>>): StrategyDefinition {
  return {
    name: 'scripted',
    description: 'test strategy following a script',
    schema: v.record(v.string(), v.number()),
    defaults: {},
    defaultGrid: {},
    check: () => [],
    warmupBars: () => 0,
    create() {
      let i = 0;
      return { onBar: () => script[i++] ?? 'none' };
    },
  };
}

export function settings(overrides: Partial<EngineSettings> = {}): EngineSettings {
  return { ...DEFAULT_ENGINE_SETTINGS, ...overrides };
}
