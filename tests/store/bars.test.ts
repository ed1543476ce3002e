import { describe, expect, test } from 'bun:test';
import { seriesFromBars, type Bar } from '../../src/domain/bar.ts';
import { BarsRepository } from '../../src/store/bars.ts';
import { useTempStore } from './temp-store.ts';

const T0 = Date.UTC(2024, 0, 2, 14, 0);
const MIN = 60_000;
const bar = (m: number, close = 5000 + m * 0.25): Bar => ({ time: T0 + m * MIN, open: close, high: close + 1, low: close - 1, close, volume: m });
const bars = (from: number, to: number, close?: (m: number) => number) => seriesFromBars(Array.from({ length: to - from }, (_, i) => bar(from + i, close?.(from + i))));

describe('bar store', () => {
  const t = useTempStore();
  const repo = () => {
    const r = new BarsRepository(t.store);
    r.ensureContract({ contract: 'MESH24', symbol: 'MES', lastTradeDay: Date.UTC(2024, 2, 15) }, 1);
    return r;
  };

  test('bars spanning several hours load back identical, after a restart too', () => {
    const s = bars(0, 200);
    repo().write('MESH24', s, 'test');
    t.reopen();
    const back = new BarsRepository(t.store).load('MESH24');
    expect(back.length).toBe(200);
    for (const k of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) expect([...back[k]]).toEqual([...s[k]]);
  });

  test('a second write merges: same times replaced, others kept', () => {
    const r = repo();
    r.write('MESH24', bars(0, 90), 'first');
    const w = r.write('MESH24', bars(60, 120, () => 6000), 'second');
    expect(w).toEqual({ bars: 60, replaced: 30 });
    const back = r.load('MESH24');
    expect(back.length).toBe(120);
    expect(back.close[59]).toBe(5000 + 59 * 0.25);
    expect(back.close[60]).toBe(6000);
    expect([...back.time]).toEqual(Array.from({ length: 120 }, (_, i) => T0 + i * MIN));
  });

  test('load cuts to [from, to) inside an hour', () => {
    const r = repo();
    r.write('MESH24', bars(0, 180), 'x');
    const s = r.load('MESH24', T0 + 30 * MIN, T0 + 95 * MIN);
    expect(s.length).toBe(65);
    expect(s.time[0]).toBe(T0 + 30 * MIN);
    expect(s.time[64]).toBe(T0 + 94 * MIN);
  });

  test('ranges list each contract with bars: from, to, count', () => {
    const r = repo();
    r.ensureContract({ contract: 'MES', symbol: 'MES', lastTradeDay: null }, 1);
    r.write('MESH24', bars(5, 15), 'x');
    expect(r.ranges()).toEqual([{ contract: 'MESH24', symbol: 'MES', lastTradeDay: Date.UTC(2024, 2, 15), from: T0 + 5 * MIN, to: T0 + 14 * MIN, bars: 10 }]);
  });

  test('a failing write keeps what was stored', () => {
    const r = repo();
    r.write('MESH24', bars(0, 10), 'x');
    // Bars for a contract never registered break the foreign key half-way through: nothing of it stays.
    expect(() => r.write('MESZ99', bars(0, 100), 'y')).toThrow();
    expect(r.ranges().map((x) => [x.contract, x.bars])).toEqual([['MESH24', 10]]);
  });

  test('history requests are remembered, empty answers listed', () => {
    const r = repo();
    r.recordRequest('MESH24', T0, 0, 1);
    r.recordRequest('MESH24', T0 + 86_400_000, 1380, 1);
    expect(r.requested('MESH24', T0)).toBe(true);
    expect(r.requested('MESH24', T0 + 2 * 86_400_000)).toBe(false);
    expect(r.emptyRequests('MESH24')).toEqual([T0]);
  });
});
