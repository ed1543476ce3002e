import { describe, expect, test } from 'bun:test';
import { dollarsToTicksWithin, fromCents, fromTicks, hasSubCent, isOnGrid, moveCents, roundToTick, toCents, toTicks } from '../../src/domain/money.ts';

describe('prices in ticks (MES: 0.25 per tick, $1.25 per tick)', () => {
  test('toTicks and fromTicks convert exactly on the grid', () => {
    expect(toTicks(5000)).toBe(20000);
    expect(toTicks(5000.25)).toBe(20001);
    expect(toTicks(4999.75)).toBe(19999);
    expect(fromTicks(20001)).toBe(5000.25);
    expect(fromTicks(toTicks(6123.5))).toBe(6123.5);
  });

  test('isOnGrid accepts quarter points and refuses anything else', () => {
    for (const p of [5000, 5000.25, 5000.5, 5000.75, 0.25]) expect(isOnGrid(p)).toBe(true);
    for (const p of [5000.1, 5000.125, 5000.3, Number.NaN, Number.POSITIVE_INFINITY]) expect(isOnGrid(p)).toBe(false);
  });

  test('roundToTick goes to the nearest quarter point', () => {
    // 5000.12 / 0.25 = 20000.48 → 20000; 5000.13 / 0.25 = 20000.52 → 20001
    expect(roundToTick(5000.12)).toBe(5000);
    expect(roundToTick(5000.13)).toBe(5000.25);
  });
});

describe('money in integer cents', () => {
  test('moveCents: ticks moved × 125 cents × qty × direction', () => {
    // 5000 → 5010.25 is 41 ticks = 41 × $1.25 = $51.25
    expect(moveCents(5000, 5010.25, 1, 1)).toBe(5125);
    expect(moveCents(5000, 5010.25, 1, -1)).toBe(-5125);
    expect(moveCents(5000, 5010.25, 2, 1)).toBe(10250);
    expect(moveCents(5010.25, 5000, 1, -1)).toBe(5125);
  });

  test('moveCents sums many trades without floating-point dust', () => {
    let cents = 0;
    for (let i = 0; i < 1000; i++) cents += moveCents(5000.25, 5000.5, 1, 1);
    // 1000 × 1 tick × 125 cents
    expect(cents).toBe(125_000);
  });

  test('toCents rounds half away from zero; fromCents is exact division', () => {
    expect(toCents(47.51)).toBe(4751);
    expect(toCents(0.125)).toBe(13);
    expect(toCents(-0.125)).toBe(-13);
    expect(toCents(-2.5)).toBe(-250);
    expect(fromCents(-20249)).toBe(-202.49);
  });

  test('toCents rounds the decimal as written, half away from zero, not its binary neighbour', () => {
    // 1.005 is stored as 1.00499999…: × 100 would give 100.4999… → 100
    expect(toCents(1.005)).toBe(101);
    expect(toCents(0.145)).toBe(15);
    expect(toCents(0.625)).toBe(63);
    expect(toCents(-1.005)).toBe(-101);
    expect(toCents(-0.625)).toBe(-63);
    expect(toCents(1.0049)).toBe(100);
    expect(toCents(0)).toBe(0);
    expect(toCents(1e-7)).toBe(0);
    expect(toCents(1.5e21)).toBe(1.5e23);
    expect(() => toCents(Number.NaN)).toThrow('dollars must be a finite number, got NaN');
  });

  test('toCents: every x.xx5 from 0.005 to 99.995 rounds up in magnitude, every x.xx4 down', () => {
    let wrong = 0;
    for (let tenthCents = 5; tenthCents < 100_000; tenthCents += 10) {
      const half = Number(`${Math.floor(tenthCents / 1000)}.${String(tenthCents % 1000).padStart(3, '0')}`);
      const below = Number(`${Math.floor((tenthCents - 1) / 1000)}.${String((tenthCents - 1) % 1000).padStart(3, '0')}`);
      const up = (tenthCents + 5) / 10;
      if (toCents(half) !== up || toCents(-half) !== -up || toCents(below) !== up - 1) wrong++;
    }
    expect(wrong).toBe(0);
  });

  test('toCents of a whole number of cents is that number', () => {
    for (let c = -100_000; c <= 100_000; c += 7) expect(toCents(c / 100)).toBe(c);
  });

  test('hasSubCent: a fraction of a cent as written', () => {
    expect(hasSubCent(0.625)).toBe(true);
    expect(hasSubCent(1.005)).toBe(true);
    expect(hasSubCent(0.62)).toBe(false);
    expect(hasSubCent(2)).toBe(false);
  });

  test('dollarsToTicksWithin: whole ticks of $1.25 within the amount, rounded down', () => {
    expect(dollarsToTicksWithin(200)).toBe(160); // $200 / $1.25 = 160 ticks = 40 points
    expect(dollarsToTicksWithin(300)).toBe(240); // 60 points
    expect(dollarsToTicksWithin(212)).toBe(169); // 21200 / 125 = 169.6 → 169 ($211.25)
    expect(dollarsToTicksWithin(203)).toBe(162); // 162.4 → 162 ($202.50)
    expect(dollarsToTicksWithin(201.25)).toBe(161); // exactly 161 ticks
    expect(dollarsToTicksWithin(1.005)).toBe(1); // 101 cents < one tick: the one-tick minimum
  });

  test('dollarsToTicksWithin never gives less than one tick', () => {
    expect(dollarsToTicksWithin(0.5)).toBe(1); // 0.4 tick
    expect(dollarsToTicksWithin(0)).toBe(1);
  });
});
