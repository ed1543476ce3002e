import { describe, expect, test } from 'bun:test';
import { runBacktest } from '../../src/backtest/run.ts';
import { MINUTE } from '../../src/domain/session.ts';
import type { Signal } from '../../src/strategy/types.ts';
import { bars, flatRows, scripted, settings, T0 } from '../../src/testing/builders.ts';
import type { EngineSettings } from '../../src/engine/settings.ts';

type Row = [number, number, number, number];

function run(rows: Row[], script: Record<number, Signal>, s: Partial<EngineSettings> = {}, start = T0) {
  return runBacktest({ series: bars(rows, start), strategy: scripted(script), params: {}, settings: settings(s) });
}
const dollars = (cents: number) => cents / 100;

describe('backtest assumptions (README), default settings: 1 tick slippage, $0.62 commission, $200 stop, $300 target', () => {
  test('a long entered at the next open with slippage closes at the last close without slippage at end of data', () => {
    const r = run([[5000, 5000, 5000, 5000], [5000, 5005, 5000, 5004], [5004, 5010, 5003, 5010]], { 0: 'enter_long' });
    expect(r.trades).toHaveLength(1);
    const t = r.trades[0]!;
    expect(t).toMatchObject({ side: 'long', qty: 1, entryPrice: 5000.25, entryTime: T0 + MINUTE, exitPrice: 5010, exitTime: T0 + 2 * MINUTE, exitReason: 'end_of_data' });
    expect(t.commissionCents).toBe(124);
    expect(dollars(t.pnlCents)).toBe(47.51); // 9.75 pt × $5 − 2 × $0.62
    expect(r.metrics.netPnl).toBe(47.51);
  });

  test('when one bar touches both stop and target, the stop wins and fills at the stop minus slippage', () => {
    const r = run([[5000, 5000, 5000, 5000], [5000, 5000, 5000, 5000], [5000, 5070, 4950, 5000], ...flatRows(2, 5000)], { 0: 'enter_long' });
    const t = r.trades[0]!;
    expect(t.exitReason).toBe('stop');
    expect(t.exitPrice).toBe(4960); // stop 4960.25 (5000.25 − 40 pt) − 0.25
    expect(dollars(t.pnlCents)).toBe(-202.49);
    expect(t.exitTime).toBe(T0 + 2 * MINUTE);
  });

  test('a gap through the stop fills at the open minus slippage', () => {
    const r = run([[5000, 5000, 5000, 5000], [5000, 5000, 5000, 5000], [4950, 4955, 4940, 4950]], { 0: 'enter_long' });
    expect(r.trades[0]).toMatchObject({ exitReason: 'stop', exitPrice: 4949.75 });
    expect(dollars(r.trades[0]!.pnlCents)).toBe(-253.74);
  });

  test('the stop is live on the fill bar itself', () => {
    const r = run([[5000, 5000, 5000, 5000], [5000, 5001, 4955, 4990], ...flatRows(2, 4990)], { 0: 'enter_long' });
    expect(r.trades[0]).toMatchObject({ exitReason: 'stop', exitPrice: 4960, exitTime: T0 + MINUTE });
  });

  test('a target fills at its price, or at the better open on a gap, without slippage', () => {
    const hit = run([[5000, 5000, 5000, 5000], [5000, 5000, 5000, 5000], [5010, 5061, 5005, 5050]], { 0: 'enter_long' });
    expect(hit.trades[0]).toMatchObject({ exitReason: 'target', exitPrice: 5060.25 });
    expect(dollars(hit.trades[0]!.pnlCents)).toBe(298.76);
    const gap = run([[5000, 5000, 5000, 5000], [5000, 5000, 5000, 5000], [5070, 5075, 5065, 5070]], { 0: 'enter_long' });
    expect(gap.trades[0]).toMatchObject({ exitReason: 'target', exitPrice: 5070 });
    expect(dollars(gap.trades[0]!.pnlCents)).toBe(347.51);
  });

  test('a short mirrors the long: sells lower on entry, its stop above fills plus slippage', () => {
    const r = run([[5000, 5000, 5000, 5000], [5000, 5000, 5000, 5000], [5000, 5040, 4990, 5000]], { 0: 'enter_short' });
    expect(r.trades[0]).toMatchObject({ side: 'short', entryPrice: 4999.75, exitReason: 'stop', exitPrice: 5040 });
    expect(dollars(r.trades[0]!.pnlCents)).toBe(-202.49);
    const target = run([[5000, 5000, 5000, 5000], [5000, 5000, 5000, 5000], [4990, 4995, 4930, 4940]], { 0: 'enter_short' });
    expect(target.trades[0]).toMatchObject({ exitReason: 'target', exitPrice: 4939.75 });
  });

  test('a signal exit fills at the next open with slippage', () => {
    const r = run([[5000, 5000, 5000, 5000], [5000, 5000, 5000, 5002], [5002, 5006, 5001, 5005], [5006, 5006, 5006, 5006]], { 0: 'enter_long', 2: 'exit' });
    expect(r.trades[0]).toMatchObject({ exitReason: 'signal', exitPrice: 5005.75, exitTime: T0 + 3 * MINUTE });
  });

  test('max hold: once bar time − entry bar time ≥ maxHoldMinutes the position exits at the next open', () => {
    const r = run(flatRows(10, 5000), { 0: 'enter_long' }, { maxHoldMinutes: 5 });
    // entry bar 1; at bar 6 6m − 1m = 5m ≥ 5 → exit at bar 7's open.
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ exitReason: 'max_hold', exitTime: T0 + 7 * MINUTE, exitPrice: 4999.75 });
    expect(dollars(r.trades[0]!.pnlCents)).toBe(-3.74);
  });

  test('daily loss limit: exit, no entries for the rest of the session, trading again after 18:00 New York', () => {
    // 22:50 UTC in January = 17:50 New York; bar 10 (23:00 UTC) opens the next CME session.
    const start = Date.parse('2026-01-06T22:50:00Z');
    const rows: Row[] = [
      [5000, 5000, 5000, 5000],
      [5000, 5000, 4950, 4960], // stop: −202.49
      [4960, 4960, 4960, 4960],
      [4960, 4960, 4940, 4940], // open −101.87 → session −304.36 ≤ −300
      ...flatRows(8, 4940),
      [4940, 4940, 4940, 4940],
    ];
    const signals: Record<number, Signal> = { 0: 'enter_long', 2: 'enter_long', 5: 'enter_long', 9: 'enter_long', 10: 'enter_long' };
    const r = run(rows, signals, { dailyLossLimit: 300 }, start);
    expect(r.trades.map((t) => t.exitReason)).toEqual(['stop', 'daily_loss', 'end_of_data']);
    expect(r.trades[1]).toMatchObject({ exitPrice: 4939.75, exitTime: start + 4 * MINUTE });
    expect(dollars(r.trades[1]!.pnlCents)).toBe(-103.74);
    // the entries advised at bars 5 and 9 were blocked; the one at bar 10 (new session) fills at bar 11.
    expect(r.trades[2]!.entryTime).toBe(start + 11 * MINUTE);
  });

  test('three losses in a row pause entries for 30 minutes from the third exit', () => {
    const loser: Row = [5000, 5000, 4999, 5000]; // $5 stop = 1 point: 4999.25, fills 4999.00
    const rows: Row[] = flatRows(40, 5000);
    rows[1] = rows[3] = rows[5] = loser;
    const r = run(rows, { 0: 'enter_long', 2: 'enter_long', 4: 'enter_long', 6: 'enter_long', 34: 'enter_long', 35: 'enter_long' }, { stopLossPerContract: 5 });
    expect(r.trades.slice(0, 3).map((t) => [t.exitReason, t.pnlCents])).toEqual([['stop', -749], ['stop', -749], ['stop', -749]]);
    expect(r.trades).toHaveLength(4);
    // third exit at bar 5 → paused until bar 35; bars 6 and 34 were blocked.
    expect(r.trades[3]!.entryTime).toBe(T0 + 36 * MINUTE);
  });

  test('a winning trade resets the loss count', () => {
    const loser: Row = [5000, 5000, 4999, 5000];
    const winner: Row = [5000, 5002, 5000, 5002];
    const rows: Row[] = flatRows(12, 5000);
    rows[1] = rows[3] = loser;
    rows[5] = winner;
    rows[6] = [5002, 5002, 5002, 5002];
    rows[8] = loser;
    const r = run(rows, { 0: 'enter_long', 2: 'enter_long', 4: 'enter_long', 5: 'exit', 7: 'enter_long', 9: 'enter_long' }, { stopLossPerContract: 5 });
    // loss, loss, win, loss: never three in a row, so the entry at bar 9 fills at bar 10.
    expect(r.trades.map((t) => t.pnlCents > 0)).toEqual([false, false, true, false, false]);
    expect(r.trades[4]!.entryTime).toBe(T0 + 10 * MINUTE);
  });

  test('max drawdown halts trading for the rest of the run', () => {
    const rows: Row[] = [
      [5000, 5000, 5000, 5000],
      [5000, 5000, 4950, 4960], // −202.49
      [4960, 4960, 4960, 4960],
      [4960, 4960, 4940, 4940], // equity 9695.64: drawdown 304.36 ≥ 300
      ...flatRows(6, 4940),
    ];
    const r = run(rows, { 0: 'enter_long', 2: 'enter_long', 5: 'enter_long', 7: 'enter_short' }, { maxDrawdown: 300, dailyLossLimit: 1000 });
    expect(r.trades.map((t) => t.exitReason)).toEqual(['stop', 'drawdown']);
    expect(r.metrics.maxDrawdown).toBe(306.23); // after the exit at 4939.75: −202.49 − 103.74
    expect(r.metrics.maxDrawdownPct).toBeCloseTo(3.0623, 10);
  });

  test('position size is trading.contracts capped at risk.maxContracts, and P&L scales with it', () => {
    const r = run([[5000, 5000, 5000, 5000], [5000, 5000, 5000, 5000], [5010, 5010, 5010, 5010]], { 0: 'enter_long' }, { contracts: 3, maxContracts: 2 });
    expect(r.trades[0]!.qty).toBe(2);
    expect(dollars(r.trades[0]!.pnlCents)).toBe(2 * 9.75 * 5 - 4 * 0.62);
  });

  test('an entry advised at the last close is dropped; an open position closes at end of data', () => {
    const r = run(flatRows(3, 5000), { 2: 'enter_long' });
    expect(r.trades).toHaveLength(0);
    expect(r.metrics).toMatchObject({ trades: 0, winRate: null, profitFactor: null, expectancy: null, avgHoldMinutes: null, sharpe: null, sortino: null, netPnl: 0 });
  });
});
