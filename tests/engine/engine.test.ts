import { describe, expect, test } from 'bun:test';
import { MINUTE, nextSessionStart } from '../../src/domain/session.ts';
import { TradingEngine } from '../../src/engine/engine.ts';
import type { EngineSettings } from '../../src/engine/settings.ts';
import { settings, T0 } from '../../src/testing/builders.ts';

// T0 = Tuesday 2026-01-06 14:30 UTC, in the session that opened 2026-01-05 23:00 UTC.
const NEXT_SESSION = nextSessionStart(T0); // 2026-01-06T23:00Z
const engine = (s: Partial<EngineSettings> = {}) => new TradingEngine(settings(s));

/** An engine holding a long 1 @ 5000 entered at T0 (default $0.62 commission per side). */
function longAt5000(s: Partial<EngineSettings> = {}): TradingEngine {
  const e = engine(s);
  e.openPosition('long', 1, 5000, T0);
  return e;
}

describe('entries and marking to market', () => {
  test('flat with an entry signal: enter at the next open; an exit signal while flat does nothing', () => {
    expect(engine().onBarClose(T0, 5000, 'enter_long')).toEqual({ type: 'enter', side: 'long' });
    expect(engine().onBarClose(T0, 5000, 'enter_short')).toEqual({ type: 'enter', side: 'short' });
    expect(engine().onBarClose(T0, 5000, 'exit')).toBeNull();
    expect(engine().onBarClose(T0, 5000, 'none')).toBeNull();
  });

  test('in a position, an entry signal adds nothing', () => {
    expect(longAt5000().onBarClose(T0, 5001, 'enter_long')).toBeNull();
  });

  test('equity at the close = capital + realised + open P&L − entry commission; the peak follows it up', () => {
    const e = longAt5000();
    e.onBarClose(T0, 5010, 'none');
    // 40 ticks × 125 = 5000 cents − 62 commission → $10,049.38
    expect(e.state.equityCents).toBe(1_004_938);
    expect(e.state.peakEquityCents).toBe(1_004_938);
    e.onBarClose(T0 + MINUTE, 5005, 'none');
    expect(e.equity).toBe(10_024.38);
    expect(e.state.peakEquityCents).toBe(1_004_938);
  });

  test('a closed trade: (exit − entry) in ticks × $1.25 − 2 × commission, in cents', () => {
    const e = engine();
    e.openPosition('long', 1, 5000.25, T0);
    const trade = e.closePosition(5010, T0 + 2 * MINUTE, 'end_of_data');
    // 39 ticks × 125 = 4875 − 124 = 4751
    expect(trade).toMatchObject({ side: 'long', qty: 1, entryPrice: 5000.25, exitPrice: 5010, commissionCents: 124, pnlCents: 4751, exitTime: T0 + 2 * MINUTE });
    expect(e.state.realisedCents).toBe(4751);
    expect(e.positionState).toBe('flat');
  });

  test('the open position has its bracket: $200 stop and $300 target', () => {
    expect(longAt5000().state.position).toMatchObject({ stop: 4960, target: 5060, entryCommissionCents: 62 });
  });
});

describe('one decision per bar, first match wins: drawdown → daily loss → max hold → signal', () => {
  test('drawdown before daily loss: both breached → exit for drawdown and halt', () => {
    const e = longAt5000({ maxDrawdown: 300, dailyLossLimit: 200 });
    // 100 points × $5 = $500 + $0.62 below the peak, and −$500.62 for the session
    expect(e.onBarClose(T0, 4900, 'exit')).toEqual({ type: 'exit', reason: 'drawdown' });
    expect(e.state.halt).toMatchObject({ reason: 'drawdown', since: T0 });
    expect(e.tradingState(T0)).toBe('HALTED');
  });

  test('daily loss before max hold: both due → exit for daily loss and block entries for the session', () => {
    const e = longAt5000({ dailyLossLimit: 200 });
    // −50 points = −$250.62 ≤ −$200, and held 120 min
    expect(e.onBarClose(T0 + 120 * MINUTE, 4950, 'exit')).toEqual({ type: 'exit', reason: 'daily_loss' });
    expect(e.state.halt?.reason).toBe('daily_loss');
    expect(e.tradingState(T0 + 120 * MINUTE)).toBe('REDUCING');
  });

  test('max hold before signal: at 120 minutes the exit is max_hold even when the strategy says exit', () => {
    expect(longAt5000().onBarClose(T0 + 120 * MINUTE, 5000, 'exit')).toEqual({ type: 'exit', reason: 'max_hold' });
    expect(longAt5000().onBarClose(T0 + 120 * MINUTE, 5000, 'none')).toEqual({ type: 'exit', reason: 'max_hold' });
  });

  test('before max hold, the strategy decides the exit', () => {
    expect(longAt5000().onBarClose(T0 + 119 * MINUTE, 5000, 'exit')).toEqual({ type: 'exit', reason: 'signal' });
    expect(longAt5000().onBarClose(T0 + 119 * MINUTE, 5000, 'none')).toBeNull();
  });

  test('the limits trip exactly at the limit', () => {
    // maxDrawdown $125.62: 25 points × $5 + $0.62 below the peak
    expect(longAt5000({ maxDrawdown: 125.62 }).onBarClose(T0, 4975, 'none')).toEqual({ type: 'exit', reason: 'drawdown' });
    expect(longAt5000({ maxDrawdown: 125.63 }).onBarClose(T0, 4975, 'none')).toBeNull();
    expect(longAt5000({ dailyLossLimit: 125.62 }).onBarClose(T0, 4975, 'none')).toEqual({ type: 'exit', reason: 'daily_loss' });
    expect(longAt5000({ dailyLossLimit: 125.63 }).onBarClose(T0, 4975, 'none')).toBeNull();
  });

  test("the daily loss counts this session's realised P&L only", () => {
    const lose400 = (e: TradingEngine, at: number) => {
      e.openPosition('long', 1, 5000, at);
      e.closePosition(4920.25, at + MINUTE, 'stop'); // −319 ticks = −$398.75 − $1.24 = −$399.99
    };
    const sameSession = engine();
    lose400(sameSession, T0);
    sameSession.openPosition('long', 1, 5000, T0 + 10 * MINUTE);
    // −$399.99 realised, −$20.62 open: −$420.61 > −$500 → nothing; −$100.62 open → −$500.61 → daily loss
    expect(sameSession.onBarClose(T0 + 11 * MINUTE, 4996, 'none')).toBeNull();
    expect(sameSession.onBarClose(T0 + 12 * MINUTE, 4980, 'none')).toEqual({ type: 'exit', reason: 'daily_loss' });

    const nextSession = engine();
    lose400(nextSession, T0);
    nextSession.openPosition('long', 1, 5000, NEXT_SESSION);
    expect(nextSession.state.sessionRealisedCents).toBe(0);
    expect(nextSession.onBarClose(NEXT_SESSION + MINUTE, 4980, 'none')).toBeNull();
  });
});

describe('blocks stop entries, never exits', () => {
  test('paused: an entry signal is refused (EntryDenied), a position still exits on its signal and on max hold', () => {
    const flat = engine();
    flat.state.paused = true;
    expect(flat.onBarClose(T0, 5000, 'enter_long')).toEqual({ type: 'denied', reason: 'paused' });
    expect(flat.tradingState(T0)).toBe('REDUCING');
    const held = longAt5000();
    held.state.paused = true;
    expect(held.onBarClose(T0 + MINUTE, 5001, 'exit')).toEqual({ type: 'exit', reason: 'signal' });
    expect(held.onBarClose(T0 + 120 * MINUTE, 5001, 'none')).toEqual({ type: 'exit', reason: 'max_hold' });
  });

  test('halted: no entry; a position held while halted is exited', () => {
    const e = longAt5000({ maxDrawdown: 100 });
    expect(e.onBarClose(T0, 4975, 'none')).toEqual({ type: 'exit', reason: 'drawdown' });
    expect(e.onBarClose(T0 + MINUTE, 4975, 'none')).toEqual({ type: 'exit', reason: 'drawdown' });
    e.closePosition(4975, T0 + 2 * MINUTE, 'drawdown');
    expect(e.onBarClose(T0 + 2 * MINUTE, 4975, 'enter_long')).toEqual({ type: 'denied', reason: 'drawdown' });
    expect(e.onBarClose(T0 + 300 * MINUTE, 5100, 'enter_short')).toEqual({ type: 'denied', reason: 'drawdown' });
  });

  test('daily loss: no entries for the rest of the session, entries again in the next one', () => {
    const e = longAt5000({ dailyLossLimit: 100 });
    expect(e.onBarClose(T0, 4975, 'none')).toEqual({ type: 'exit', reason: 'daily_loss' });
    e.closePosition(4975, T0 + MINUTE, 'daily_loss');
    expect(e.onBarClose(T0 + 60 * MINUTE, 4990, 'enter_long')).toEqual({ type: 'denied', reason: 'daily_loss' });
    expect(e.tradingState(T0 + 60 * MINUTE)).toBe('REDUCING');
    expect(e.onBarClose(NEXT_SESSION, 4990, 'enter_long')).toEqual({ type: 'enter', side: 'long' });
  });

  test('loss streak: after the 3rd loss in a row, entries wait 30 minutes from its exit', () => {
    const e = engine();
    for (let i = 0; i < 3; i++) {
      e.openPosition('long', 1, 5000, T0 + 2 * i * MINUTE);
      e.closePosition(4999, T0 + (2 * i + 1) * MINUTE, 'signal');
    }
    const lastExit = T0 + 5 * MINUTE;
    expect(e.state.streak.pauseUntil).toBe(lastExit + 30 * MINUTE);
    expect(e.onBarClose(lastExit + 29 * MINUTE, 5000, 'enter_long')).toEqual({ type: 'denied', reason: 'cooldown' });
    expect(e.onBarClose(lastExit + 30 * MINUTE, 5000, 'enter_long')).toEqual({ type: 'enter', side: 'long' });
  });
});

describe('risk.drawdownReset: one rule for backtest and live', () => {
  function haltedByDrawdown(drawdownReset: 'manual' | 'session'): TradingEngine {
    const e = longAt5000({ maxDrawdown: 100, drawdownReset });
    e.onBarClose(T0, 4975, 'none');
    e.closePosition(4975, T0 + MINUTE, 'drawdown');
    return e;
  }

  test("'session': the drawdown halt is cleared when the next session begins, and the peak is re-based", () => {
    const e = haltedByDrawdown('session');
    e.beginBar(NEXT_SESSION - MINUTE);
    expect(e.state.halt?.reason).toBe('drawdown');
    e.drainChanges();
    e.beginBar(NEXT_SESSION);
    expect(e.state.halt).toBeNull();
    expect(e.state.peakEquityCents).toBe(e.state.equityCents);
    expect(e.tradingState(NEXT_SESSION)).toBe('ACTIVE');
    expect(e.drainChanges().map((c) => c.type)).toEqual(['HaltCleared', 'SessionStarted']);
  });

  test("'manual' (the default): the halt survives every later session until a reset", () => {
    for (const e of [haltedByDrawdown('manual'), (() => { const x = longAt5000({ maxDrawdown: 100 }); x.onBarClose(T0, 4975, 'none'); x.closePosition(4975, T0 + MINUTE, 'drawdown'); return x; })()]) {
      e.beginBar(NEXT_SESSION + 24 * 60 * MINUTE);
      expect(e.state.halt?.reason).toBe('drawdown');
      expect(e.tradingState(NEXT_SESSION + 24 * 60 * MINUTE)).toBe('HALTED');
      expect(e.onBarClose(NEXT_SESSION + 24 * 60 * MINUTE, 4975, 'enter_long')).toEqual({ type: 'denied', reason: 'drawdown' });
      e.reset(NEXT_SESSION + 24 * 60 * MINUTE + MINUTE);
      expect(e.state.halt).toBeNull();
    }
  });

  test('a manual or supervisor halt blocks entries in this and later sessions, whatever drawdownReset says', () => {
    for (const drawdownReset of ['manual', 'session'] as const) {
      const e = engine({ drawdownReset });
      e.onBarClose(T0, 5000, 'none');
      e.trip('supervisor', T0, 'position kept failing');
      expect([e.onBarClose(T0 + MINUTE, 5000, 'enter_long'), e.onBarClose(NEXT_SESSION, 5000, 'enter_long')]).toEqual([
        { type: 'denied', reason: 'supervisor' },
        { type: 'denied', reason: 'supervisor' },
      ]);
    }
  });

  test('a halt that needs a reset is never weakened by a later one that clears by itself', () => {
    const e = engine({ drawdownReset: 'session' });
    e.onBarClose(T0, 5000, 'none');
    e.trip('manual', T0, 'operator');
    e.trip('daily_loss', T0 + MINUTE, 'loss');
    e.trip('store', T0 + MINUTE, 'disk full');
    expect(e.state.halt?.reason).toBe('manual');
  });

  test('changes are announced as values, in order: Halted, then HaltCleared on reset', () => {
    const e = haltedByDrawdown('manual');
    const first = e.drainChanges();
    expect(first.find((c) => c.type === 'Halted')).toMatchObject({ type: 'Halted', halt: { reason: 'drawdown', since: T0 } });
    e.reset(T0 + 2 * MINUTE);
    expect(e.drainChanges()).toContainEqual({ type: 'HaltCleared', reason: 'drawdown', time: T0 + 2 * MINUTE, cause: 'reset' });
    expect(e.drainChanges()).toEqual([]);
  });
});
