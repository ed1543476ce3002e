import { describe, expect, test } from 'bun:test';
import { haltsOf, type HaltRecord } from '../../src/backtest/halt-summary.ts';
import type { BacktestResult } from '../../src/domain/research.ts';
import { formatHalts } from '../../src/research/report-text.ts';

const base: Pick<BacktestResult, 'halts' | 'sessionsHalted'> = { halts: [], sessionsHalted: 0 };
const T = Date.UTC(2026, 0, 6, 15, 30);

describe('halts of a result', () => {
  test('none reported: no halts, not halted', () => {
    expect(haltsOf(base)).toEqual({ halts: [], sessionsHalted: 0, haltedToEnd: false });
  });

  test('a halt that never cleared means halted to the end; one that cleared does not', () => {
    const cleared: HaltRecord = { time: T, reason: 'daily_loss', detail: 'session P&L -500.00 reached the limit 500.00', clearedAt: T + 3 * 3600_000 };
    const forever: HaltRecord = { time: T + 86_400_000, reason: 'drawdown', detail: 'equity 9000.00 is 1000.00 below peak 10000.00', clearedAt: null };
    expect(haltsOf({ ...base, halts: [cleared], sessionsHalted: 1 })).toEqual({ halts: [cleared], sessionsHalted: 1, haltedToEnd: false });
    const h = haltsOf({ ...base, halts: [cleared, forever], sessionsHalted: 4 });
    expect(h.haltedToEnd).toBe(true);
    expect(formatHalts(h)).toContain('Halts: 2, entries refused in 4 sessions · HALTED to the end of the run');
    expect(formatHalts(h)).toMatch(/2026-01-07T15:30:00Z +drawdown +never \(rest of run\) +equity 9000.00 is 1000.00 below peak 10000.00/);
  });
});
