import { describe, expect, test } from 'bun:test';
import { contractStatus } from '../../src/app/contract-status.ts';

const mesh6 = { localSymbol: 'MESH6', conId: 700_202_603, lastTradeDate: '20260320', exchange: 'CME' };

describe('the contract in use, as the operator reads it', () => {
  test('no contract (sim, or not resolved yet) is null', () => {
    expect(contractStatus(null, Date.UTC(2026, 0, 5), 8)).toBeNull();
  });

  test('days to expiry count New York calendar days by the market clock', () => {
    // Monday 2026-01-05 10:00 New York → Friday 2026-03-20: 74 days.
    const s = contractStatus(mesh6, Date.UTC(2026, 0, 5, 15), 8)!;
    expect(s).toEqual({ localSymbol: 'MESH6', conId: 700_202_603, exchange: 'CME', expiry: '2026-03-20', daysToExpiry: 74, rollDays: 8, inRollWindow: false });
    // 2026-01-05 23:30 New York is 04:30 UTC on the 6th: still the 5th in New York.
    expect(contractStatus(mesh6, Date.UTC(2026, 0, 6, 4, 30), 8)!.daysToExpiry).toBe(74);
  });

  test('the roll window begins rollDays before the last trading day', () => {
    expect(contractStatus(mesh6, Date.UTC(2026, 2, 11, 15), 8)!).toMatchObject({ daysToExpiry: 9, inRollWindow: false });
    expect(contractStatus(mesh6, Date.UTC(2026, 2, 12, 15), 8)!).toMatchObject({ daysToExpiry: 8, inRollWindow: true });
    expect(contractStatus(mesh6, Date.UTC(2026, 2, 20, 13), 8)!).toMatchObject({ daysToExpiry: 0, inRollWindow: true });
  });

  test('a last trading day that is not YYYYMMDD shows as unknown, never as a roll', () => {
    expect(contractStatus({ ...mesh6, lastTradeDate: '' }, Date.UTC(2026, 0, 5), 8)).toMatchObject({ expiry: null, daysToExpiry: null, inRollWindow: false });
  });
});

test('the window opens at the instant the IB adapter rolls: UTC midnight rollDays before the last trading day', () => {
  // 2026-03-11 21:00 New York is 2026-03-12 01:00 UTC: still the 11th in New York (9 days), but the adapter has rolled.
  expect(contractStatus(mesh6, Date.UTC(2026, 2, 12, 1), 8)!).toMatchObject({ daysToExpiry: 9, inRollWindow: true });
  expect(contractStatus(mesh6, Date.UTC(2026, 2, 11, 23, 59), 8)!).toMatchObject({ inRollWindow: false });
});
