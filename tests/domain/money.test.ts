import { describe, expect, test } from 'bun:test';
import { dollarsToTicks, fromCents, fromTicks, isOnGrid, moveCents, roundToTick, toCents, toTicks } from '../../src/domain/money.ts';

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

  test('dollarsToTicks: dollars per contract / $1.25, to the nearest tick', () => {
    expect(dollarsToTicks(200)).toBe(160); // $200 / $1.25 = 160 ticks = 40 points
    expect(dollarsToTicks(300)).toBe(240); // 60 points
    expect(dollarsToTicks(212)).toBe(170); // 21200 / 125 = 169.6 → 170
    expect(dollarsToTicks(211.5)).toBe(169); // 21150 / 125 = 169.2 → 169
  });

  test('dollarsToTicks never gives less than one tick', () => {
    expect(dollarsToTicks(0.5)).toBe(1); // 0.4 tick
    expect(dollarsToTicks(0)).toBe(1);
  });
});
