import { describe, expect, test } from 'bun:test';
import { continuousSeries, rollTime } from '../../src/data/continuous.ts';
import { datedContract, parseContract, quarterliesCovering, thirdFriday } from '../../src/data/contracts.ts';
import { seriesFromBars } from '../../src/domain/bar.ts';
import { BarsRepository } from '../../src/store/bars.ts';
import { useTempStore } from '../store/temp-store.ts';

const DAY = 86_400_000;
const H24 = datedContract(2024, 3);
const M24 = datedContract(2024, 6);

/** One bar at 15:00 UTC each day of [fromDay, toDay) with a constant close. */
function daily(fromMs: number, days: number, close: number) {
  return seriesFromBars(Array.from({ length: days }, (_, i) => ({ time: fromMs + i * DAY + 15 * 3_600_000, open: close, high: close + 1, low: close - 1, close, volume: 1 })));
}

describe('dated contracts', () => {
  test('quarterly expiry is the third Friday; MESH6 resolves near the dates given', () => {
    expect(new Date(thirdFriday(2024, 3)).toISOString().slice(0, 10)).toBe('2024-03-15');
    expect(new Date(thirdFriday(2026, 3)).toISOString().slice(0, 10)).toBe('2026-03-20');
    expect(parseContract('MESH6', Date.UTC(2025, 11, 1))?.name).toBe('MESH26');
    expect(parseContract('MESH6', Date.UTC(2016, 0, 1))?.name).toBe('MESH16');
    expect(parseContract('ESH6', 0)).toBeNull();
  });

  test('the contracts covering a range are those the live rule trades in it', () => {
    const names = quarterliesCovering(Date.UTC(2024, 0, 1), Date.UTC(2024, 11, 31), 8).map((c) => c.name);
    expect(names).toEqual(['MESH24', 'MESM24', 'MESU24', 'MESZ24', 'MESH25']);
  });
});

describe('continuous series', () => {
  const t = useTempStore();
  const rollDays = 8;
  const roll = rollTime(H24.lastTradeDay, rollDays);

  function store(): BarsRepository {
    const r = new BarsRepository(t.store);
    for (const c of [H24, M24]) r.ensureContract({ contract: c.name, symbol: 'MES', lastTradeDay: c.lastTradeDay }, 1);
    // Both contracts trade through March: H at 5000, M at 5020 (a 20-point gap at the roll).
    r.write(H24.name, daily(Date.UTC(2024, 1, 1), 44, 5000), 'test');
    r.write(M24.name, daily(Date.UTC(2024, 1, 20), 60, 5020), 'test');
    return r;
  }

  test('switches contract where live trading does, and lists the roll', () => {
    const c = continuousSeries(store(), 'MES', { rollDays, adjust: 'none' });
    expect(c.contracts).toEqual(['MESH24', 'MESM24']);
    expect(c.rolls).toHaveLength(1);
    expect(c.rolls[0]).toMatchObject({ from: 'MESH24', to: 'MESM24', gap: 20 });
    expect(new Date(c.rolls[0]!.time).toISOString()).toBe('2024-03-07T15:00:00.000Z');
    expect(new Date(roll).toISOString().slice(0, 10)).toBe('2024-03-07');
    const before = [...c.series.time].filter((x) => x < roll).length;
    expect([...c.series.close.subarray(0, before)].every((x) => x === 5000)).toBe(true);
    expect([...c.series.close.subarray(before)].every((x) => x === 5020)).toBe(true);
    expect([...c.series.time].every((x, i, a) => i === 0 || x > a[i - 1]!)).toBe(true);
  });

  test('back-adjusted by difference: earlier bars move by the gap, the last contract stays as traded', () => {
    const c = continuousSeries(store(), 'MES', { rollDays, adjust: 'difference' });
    expect(new Set(c.series.close)).toEqual(new Set([5020]));
  });

  test('ratio adjustment scales and rounds to the tick grid', () => {
    const c = continuousSeries(store(), 'MES', { rollDays, adjust: 'ratio' });
    expect(c.series.close[0]).toBe(5020);
    expect(c.series.high[0]).toBe(Math.round(((5001 * 5020) / 5000) * 4) / 4);
  });

  test('--from / --to cut the series', () => {
    const c = continuousSeries(store(), 'MES', { rollDays, adjust: 'none', from: Date.UTC(2024, 2, 1), to: Date.UTC(2024, 2, 10) });
    expect(c.series.length).toBe(9);
    expect(c.rolls).toHaveLength(1);
  });

  test('without dated contracts: the series stored under the symbol, as given', () => {
    const r = new BarsRepository(t.store);
    r.ensureContract({ contract: 'MES', symbol: 'MES', lastTradeDay: null }, 1);
    r.write('MES', daily(Date.UTC(2024, 0, 1), 5, 4000), 'test');
    const c = continuousSeries(r, 'MES', { rollDays, adjust: 'difference' });
    expect([c.series.length, c.rolls.length, c.series.close[0]]).toEqual([5, 0, 4000]);
  });
});
