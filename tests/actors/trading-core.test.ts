import { describe, expect, test } from 'bun:test';
import { TradingCore, type RiskEvent } from '../../src/actors/trading-core.ts';
import { barAt, type Bar } from '../../src/domain/bar.ts';
import { sessionStart } from '../../src/domain/session.ts';
import { TradingEngine, type Decision } from '../../src/engine/engine.ts';
import type { EngineSettings } from '../../src/engine/settings.ts';
import { simulateBars } from '../../src/market/simulator.ts';
import type { Signal, StrategyDefinition } from '../../src/strategy/types.ts';
import { zscoreStrategy } from '../../src/strategy/zscore.ts';
import { bar, scripted, settings, T0 } from '../../src/testing/builders.ts';
import { memoryLogger, useTempStore } from './helpers.ts';

const MINUTE = 60_000;
const at = (i: number, close: number): Bar => bar({ time: T0 + i * MINUTE, close });

/** A strategy that advises by close price and remembers every close it was fed. */
function advisor(advice: Readonly<Record<number, Signal>> = {}) {
  const seen: number[] = [];
  const def: StrategyDefinition = { ...scripted({}), name: 'advisor', create: () => ({ onBar: (close) => (seen.push(close), advice[close] ?? 'none') }) };
  return { def, seen };
}

const store = useTempStore();

function core(opts: { settings?: Partial<EngineSettings>; advice?: Record<number, Signal> } = {}) {
  const strategy = advisor(opts.advice);
  const log = memoryLogger();
  const c = new TradingCore(settings({ maxDrawdown: 100_000, dailyLossLimit: 100_000, ...opts.settings }), strategy.def, {}, store.repos, log);
  const events: RiskEvent[] = [];
  c.onRisk((e) => void events.push(e));
  return { core: c, seen: strategy.seen, log, events, risk: () => events.filter((e) => e.type !== 'tick') };
}

describe('one trading core', () => {
  test('when fed the same bars and fills, then its decisions equal the bare engine’s', () => {
    const series = simulateBars({ days: 1, seed: 3, regime: 'volatile' });
    const params = { lookback: 20, entry: 1.5, exit: 0.3 };
    const s = settings({ stopLossPerContract: 25, takeProfitPerContract: 40 });
    const live = new TradingCore(s, zscoreStrategy, params, store.repos, memoryLogger());
    const engine = new TradingEngine(s, { haltScope: 'session' });
    const strategy = zscoreStrategy.create(params);
    const liveDecisions: Array<Decision | null> = [];
    const engineDecisions: Array<Decision | null> = [];

    for (let i = 0; i < 600; i++) {
      const b = barAt(series, i);
      const mine = live.onBar(b);
      const theirs = engine.onBarClose(b.time, b.close, strategy.onBar(b.close, engine.positionState));
      liveDecisions.push(mine);
      engineDecisions.push(theirs);
      // Both fill at this close, so the next bar sees the same position.
      if (theirs?.type === 'enter') {
        engine.openPosition(theirs.side, 1, b.close, b.time);
        live.entryFilled(theirs.side, 1, b.close, b.time);
      } else if (theirs?.type === 'exit') {
        engine.closePosition(b.close, b.time, theirs.reason);
        live.exitFilled(b.close, b.time, theirs.reason, { entryRef: null, exitRef: `X${b.time}` });
      }
    }

    expect(liveDecisions.filter((d) => d?.type === 'enter').length).toBeGreaterThan(3);
    expect(liveDecisions).toEqual(engineDecisions);
    expect(live.engine.state).toEqual(engine.state);
  });
});

describe('persisted facts', () => {
  test('when a new core starts on the same store, then it restores position, realised and session P&L and the pause', () => {
    const first = core();
    first.core.onBar(at(0, 5000));
    first.core.entryFilled('long', 1, 5000, T0 + MINUTE);
    first.core.exitFilled(5010, T0 + 2 * MINUTE, 'signal', { entryRef: 'E1', exitRef: 'X1' });
    first.core.entryFilled('short', 1, 5012, T0 + 3 * MINUTE);
    first.core.setPaused(true, T0 + 3 * MINUTE);
    const before = structuredClone(first.core.engine.state);

    store.reopen();
    const second = core();

    expect(second.core.engine.state).toEqual(before);
    expect(second.core.engine.state.position).toMatchObject({ side: 'short', qty: 1, entryPrice: 5012 });
    expect(second.core.engine.state.realisedCents).toBe(50 * 100 - 124);
    expect(second.core.engine.state.sessionRealisedCents).toBe(50 * 100 - 124);
    expect(second.core.engine.state.paused).toBe(true);
    expect(second.log.lines.map((l) => l.event)).toContain('core.restored');
  });

  test('when a core starts on an empty store, then it starts flat with nothing realised', () => {
    const c = core();

    expect(c.core.engine.state).toMatchObject({ position: null, realisedCents: 0, paused: false, halted: false });
  });

  test('when paused or halted before the first bar, then that is persisted too', () => {
    const first = core();

    first.core.halt(T0);
    first.core.setPaused(true, T0);
    const second = core();

    expect(second.core.engine.state).toMatchObject({ paused: true, operatorHalt: true, sessionStart: sessionStart(T0) });
  });

  test('when a bar at or before the last decided one arrives after a restart, then it only updates the indicators', () => {
    const first = core();
    first.core.onBar(at(0, 5000));
    first.core.onBar(at(1, 5001));
    first.core.commitBar();
    const second = core({ advice: { 5001: 'enter_long', 5002: 'enter_long' } });

    const replayed = second.core.onBar(at(1, 5001));
    const older = second.core.onBar(at(0, 5000));
    const fresh = second.core.onBar(at(2, 5002));

    expect(replayed).toBeNull();
    expect(older).toBeNull();
    expect(second.seen).toEqual([5001, 5000, 5002]);
    expect(fresh).toEqual({ type: 'enter', side: 'long' });
    expect(second.log.lines.filter((l) => l.event === 'core.bar_replayed')).toHaveLength(2);
    expect(second.events.filter((e) => e.type === 'tick').map((e) => e.time)).toEqual([at(2, 0).time]);
  });

  test('when warming up, then history feeds the strategy without a decision or a persisted bar', () => {
    const c = core({ advice: { 5000: 'enter_long' } });

    c.core.warmUp([at(0, 5000), at(1, 5000)]);

    expect(c.seen).toEqual([5000, 5000]);
    expect(c.events).toEqual([]);
    expect(c.core.onBar(at(0, 5000))).toEqual({ type: 'enter', side: 'long' });
  });
});

describe('risk events', () => {
  test('when the open loss reaches the daily limit, then it decides a daily_loss exit and announces the halt once', () => {
    const c = core({ settings: { dailyLossLimit: 50 } });
    c.core.onBar(at(0, 5000));
    c.core.entryFilled('long', 1, 5000, at(1, 0).time);

    const decision = c.core.onBar(at(2, 4985));
    c.core.onBar(at(3, 4984));

    expect(decision).toEqual({ type: 'exit', reason: 'daily_loss' });
    expect(c.risk()).toEqual([{ type: 'halted', reason: 'daily_loss', time: at(2, 0).time, sessionStart: sessionStart(T0), detail: expect.stringContaining('session P&L -75.62') }]);
  });

  test('when equity falls the max drawdown below its peak, then it decides a drawdown exit and announces the halt', () => {
    const c = core({ settings: { maxDrawdown: 40 } });
    c.core.onBar(at(0, 5000));
    c.core.entryFilled('short', 1, 5000, at(1, 0).time);

    const decision = c.core.onBar(at(2, 5010));

    expect(decision).toEqual({ type: 'exit', reason: 'drawdown' });
    expect(c.risk()).toEqual([{ type: 'halted', reason: 'drawdown', time: at(2, 0).time, sessionStart: sessionStart(T0), detail: expect.stringContaining('below peak') }]);
  });

  test('when the losing streak reaches its limit, then a cooldown is announced until exit time + pause', () => {
    const c = core({ settings: { consecutiveLossLimit: 2, consecutiveLossPauseMinutes: 30 } });
    c.core.entryFilled('long', 1, 5000, at(0, 0).time);
    c.core.exitFilled(4999, at(1, 0).time, 'stop', { entryRef: 'E0', exitRef: 'E0-S' });
    expect(c.risk()).toEqual([]);
    c.core.entryFilled('long', 1, 5000, at(2, 0).time);

    c.core.exitFilled(4999, at(3, 0).time, 'stop', { entryRef: 'E2', exitRef: 'E2-S' });

    expect(c.risk()).toEqual([{ type: 'cooldown', until: at(3, 0).time + 30 * MINUTE, time: at(3, 0).time }]);
    expect(c.core.onBar(at(4, 5000))).toBeNull();
  });

  test('when a bar is decided, then a tick carries its time and session to the breaker', () => {
    const c = core();

    c.core.onBar(at(0, 5000));

    expect(c.events).toEqual([{ type: 'tick', time: T0, sessionStart: sessionStart(T0) }]);
  });
});

describe('operator and supervisor halts', () => {
  const NEXT_SESSION = sessionStart(T0) + 24 * 60 * MINUTE;

  test('when halted, then no entry is decided, in this session or the next, until the risk is reset', () => {
    const c = core({ advice: { 5000: 'enter_long' } });
    c.core.onBar(at(0, 4999));

    c.core.halt(at(0, 0).time);
    const sameSession = c.core.onBar(at(1, 5000));
    const nextSession = c.core.onBar(bar({ time: NEXT_SESSION + MINUTE, close: 5000 }));
    const restarted = core({ advice: { 5000: 'enter_long' } }).core.onBar(bar({ time: NEXT_SESSION + 2 * MINUTE, close: 5000 }));
    c.core.resetRisk(NEXT_SESSION + 3 * MINUTE);
    const afterReset = c.core.onBar(bar({ time: NEXT_SESSION + 3 * MINUTE, close: 5000 }));

    expect(sameSession).toBeNull();
    expect(nextSession).toBeNull();
    expect(restarted).toBeNull();
    expect(afterReset).toEqual({ type: 'enter', side: 'long' });
  });
});

describe('closing a position', () => {
  test('when the exit fills, then the trade is journalled with its refs and added to the session P&L', () => {
    const c = core();
    c.core.entryFilled('long', 1, 5000, at(0, 0).time);

    const trade = c.core.exitFilled(5002, at(1, 0).time, 'target', { entryRef: 'E0', exitRef: 'E0-T' });

    expect(trade.pnlCents).toBe(2 * 500 - 124);
    expect(store.repos.trades.recent({ limit: 10, offset: 0 })).toEqual([expect.objectContaining({ exitRef: 'E0-T', entryRef: 'E0', pnlCents: 876, exitReason: 'target' })]);
    expect(store.repos.dailyPnl.get(sessionStart(T0))).toMatchObject({ realisedCents: 876, trades: 1, wins: 1 });
  });

  test('when the same exit is reported to a core restored from before it, then the journal and daily P&L count it once', () => {
    const first = core();
    first.core.entryFilled('long', 1, 5000, at(0, 0).time);
    const stale = core();
    first.core.exitFilled(4998, at(1, 0).time, 'stop', { entryRef: 'E0', exitRef: 'E0-S' });

    stale.core.exitFilled(4998, at(1, 0).time, 'stop', { entryRef: 'E0', exitRef: 'E0-S' });

    expect(store.repos.trades.count()).toBe(1);
    expect(store.repos.dailyPnl.get(sessionStart(T0))).toMatchObject({ realisedCents: -2 * 500 - 124, trades: 1, losses: 1 });
  });
});
