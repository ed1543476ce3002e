import { describe, expect, test } from 'bun:test';
import * as v from 'valibot';
import { TradingCore, type FillApplication } from '../../src/actors/trading-core.ts';
import { barAt, type Bar } from '../../src/domain/bar.ts';
import { sessionStart } from '../../src/domain/session.ts';
import type { Side } from '../../src/domain/trading.ts';
import { TradingEngine, type Decision } from '../../src/engine/engine.ts';
import type { EntryDenied, RiskChange } from '../../src/engine/risk-state.ts';
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
  const changes: RiskChange[] = [];
  c.onRisk((batch) => void changes.push(...batch));
  const decided: number[] = [];
  c.onDecided((b) => void decided.push(b.time));
  return {
    core: c,
    seen: strategy.seen,
    log,
    changes,
    decided,
    /** Risk changes other than the session rolling on. */
    risk: () => changes.filter((e) => e.type !== 'SessionStarted'),
    /** A bar as the strategy actor runs it: decide, persist, announce. */
    decide(b: Bar): Decision | EntryDenied | null {
      const d = c.onBar(b);
      c.commitBar();
      c.announce();
      return d;
    },
  };
}

/** An order's fills as the order desk applies them: inside a transaction with the engine snapshot. */
function apply(c: TradingCore, f: Partial<FillApplication> & Pick<FillApplication, 'orderRef' | 'reason' | 'action' | 'price' | 'time'>) {
  return c.transact(() => c.applyFill({ qty: 1, tradeRef: f.orderRef, ...f }));
}
const enter = (c: TradingCore, side: Side, price: number, time: number, ref = `E${time}`) => apply(c, { orderRef: ref, reason: 'entry', action: side === 'long' ? 'buy' : 'sell', price, time });
const exit = (c: TradingCore, action: 'buy' | 'sell', price: number, time: number, ref: string, reason: FillApplication['reason'] = null) => apply(c, { orderRef: ref, reason, action, price, time });

describe('one trading core', () => {
  test('when fed the same bars and fills, then its decisions and state equal the bare engine’s', () => {
    const series = simulateBars({ days: 1, seed: 3, regime: 'volatile' });
    const params = { lookback: 20, entry: 1.5, exit: 0.3 };
    const s = settings({ stopLossPerContract: 25, takeProfitPerContract: 40 });
    const live = new TradingCore(s, zscoreStrategy, params, store.repos, memoryLogger());
    const engine = new TradingEngine(s);
    const strategy = zscoreStrategy.create(params);
    const liveDecisions: Array<Decision | EntryDenied | null> = [];
    const engineDecisions: Array<Decision | EntryDenied | null> = [];

    for (let i = 0; i < 600; i++) {
      const b = barAt(series, i);
      const mine = live.onBar(b);
      const theirs = engine.onBarClose(b.time, b.close, strategy.onBar(b.close, engine.positionState));
      liveDecisions.push(mine);
      engineDecisions.push(theirs);
      // Both fill at this close, so the next bar sees the same position.
      if (theirs?.type === 'enter') {
        engine.openPosition(theirs.side, 1, b.close, b.time);
        enter(live, theirs.side, b.close, b.time);
      } else if (theirs?.type === 'exit') {
        const side = engine.state.position!.side;
        engine.closePosition(b.close, b.time, theirs.reason);
        exit(live, side === 'long' ? 'sell' : 'buy', b.close, b.time, `X${b.time}`, theirs.reason);
      }
    }

    expect(liveDecisions.filter((d) => d?.type === 'enter').length).toBeGreaterThan(3);
    expect(liveDecisions).toEqual(engineDecisions);
    expect(live.engine.state).toEqual(engine.state);
  });
});

describe('applying fills', () => {
  test('when an entry fill is applied, then the engine opens that position with its bracket levels', () => {
    const c = core({ settings: { stopLossPerContract: 200, takeProfitPerContract: 300 } });

    const effect = enter(c.core, 'long', 5000, T0);

    expect(effect).toEqual({ kind: 'opened', position: expect.objectContaining({ side: 'long', qty: 1, entryPrice: 5000, stop: 4960, target: 5060 }) });
    expect(c.core.engine.state.position).toMatchObject({ side: 'long', qty: 1, entryPrice: 5000 });
  });

  test('when a closing fill is applied, then the trade is journalled under the order’s trade ref with the reason its ref implies', () => {
    const c = core();
    enter(c.core, 'long', 5000, at(0, 0).time, 'E0');

    const effect = exit(c.core, 'sell', 5002, at(1, 0).time, 'E0-T');

    expect(effect).toMatchObject({ kind: 'closed', rest: null, trade: { pnlCents: 2 * 500 - 124, exitReason: 'target' } });
    expect(store.repos.trades.recent({ limit: 10, offset: 0 })).toEqual([expect.objectContaining({ exitRef: 'E0-T', pnlCents: 876, exitReason: 'target' })]);
    expect(store.repos.dailyPnl.get(sessionStart(T0))).toMatchObject({ realisedCents: 876, trades: 1, wins: 1 });
  });

  test('when a fill closes part of the position, then a trade is booked for that part and the rest stays open', () => {
    const c = core();
    apply(c.core, { orderRef: 'E0', reason: 'entry', action: 'buy', qty: 2, price: 5000, time: T0 });

    const effect = apply(c.core, { orderRef: 'E0-S', reason: 'stop', action: 'sell', qty: 1, price: 4990, time: T0 + MINUTE });

    expect(effect).toMatchObject({ kind: 'closed', trade: { qty: 1, exitReason: 'stop' }, rest: { side: 'long', qty: 1 } });
    expect(c.core.engine.state.position?.qty).toBe(1);
  });

  test.each<[string, () => FillApplication]>([
    ['an entry while a position is open', () => ({ orderRef: 'E9', tradeRef: 'E9', reason: 'entry', action: 'buy', qty: 1, price: 5001, time: T0 + MINUTE })],
    ['a closing fill for the wrong side', () => ({ orderRef: 'X9', tradeRef: 'X9', reason: 'signal', action: 'buy', qty: 1, price: 5001, time: T0 + MINUTE })],
  ])('when %s is applied, then it is unmatched and the position is unchanged', (_, fill) => {
    const c = core();
    enter(c.core, 'long', 5000, T0);
    const before = structuredClone(c.core.engine.state.position);

    const effect = c.core.transact(() => c.core.applyFill(fill()));

    expect(effect).toEqual({ kind: 'unmatched', why: expect.any(String) });
    expect(c.core.engine.state.position).toEqual(before);
  });

  test('when a closing fill arrives while flat, then it is unmatched and no trade is journalled', () => {
    const c = core();
    c.decide(at(0, 5000));

    const effect = exit(c.core, 'sell', 5000, T0, 'X1', 'signal');

    expect(effect).toEqual({ kind: 'unmatched', why: 'X1 sell 1 filled while flat' });
    expect(store.repos.trades.count()).toBe(0);
  });

  test('when the same exit is applied by a core restored from before it, then the journal and daily P&L count it once', () => {
    const first = core();
    enter(first.core, 'long', 5000, at(0, 0).time, 'E0');
    const stale = core();
    exit(first.core, 'sell', 4998, at(1, 0).time, 'E0-S');

    exit(stale.core, 'sell', 4998, at(1, 0).time, 'E0-S');

    expect(store.repos.trades.count()).toBe(1);
    expect(store.repos.dailyPnl.get(sessionStart(T0))).toMatchObject({ realisedCents: -2 * 500 - 124, trades: 1, losses: 1 });
  });
});

describe('one transaction per change', () => {
  test('when the work of a transaction throws, then the engine is put back as it was and nothing is announced', () => {
    const c = core();
    c.decide(at(0, 5000));
    c.changes.length = 0;
    const before = structuredClone(c.core.engine.state);

    const run = () =>
      c.core.transact(() => {
        c.core.applyFill({ orderRef: 'E1', tradeRef: 'E1', reason: 'entry', action: 'buy', qty: 1, price: 5000, time: at(1, 0).time });
        c.core.engine.trip('manual', at(1, 0).time, 'operator');
        throw new Error('disk I/O error');
      });

    expect(run).toThrow('disk I/O error');
    expect(c.core.engine.state).toEqual(before);
    expect(c.changes).toEqual([]);
    expect(c.core.engine.drainChanges()).toEqual([]);
  });

  test('when the snapshot write itself fails, then the position the fill opened is not kept in memory', () => {
    const c = core();
    const set = store.repos.facts.set.bind(store.repos.facts);
    store.repos.facts.set = () => {
      throw new Error('database or disk is full');
    };

    expect(() => enter(c.core, 'long', 5000, T0)).toThrow('database or disk is full');
    store.repos.facts.set = set;

    expect(c.core.engine.state.position).toBeNull();
    store.reopen();
    expect(core().core.engine.state.position).toBeNull();
  });

  test('when a commit leaves the engine as the store holds it, then the snapshot is not written again', () => {
    const c = core();
    c.decide(at(0, 5000));
    const engineWrites: unknown[] = [];
    const set = store.repos.facts.set.bind(store.repos.facts);
    store.repos.facts.set = (key, schema, value, time) => {
      if (key === 'engine') engineWrites.push(value);
      set(key, schema, value, time);
    };

    c.decide(at(1, 5000));
    c.core.transact(() => undefined);
    c.core.halt('manual', T0 + 2 * MINUTE, 'operator');
    store.repos.facts.set = set;

    expect(engineWrites).toEqual([expect.objectContaining({ halt: expect.objectContaining({ reason: 'manual' }) })]);
    store.reopen();
    expect(core().core.engine.state.halt?.reason).toBe('manual');
  });

  test('when a transaction inside another is rolled back with it, then the next commit writes the snapshot again', () => {
    const c = core();
    c.decide(at(0, 5000));
    const rolledBack = () =>
      store.repos.transaction(() => {
        c.core.halt('manual', T0 + MINUTE, 'operator');
        throw new Error('outer work failed');
      });
    expect(rolledBack).toThrow('outer work failed');
    expect(store.repos.facts.get('engine', v.unknown())).toMatchObject({ halt: null });

    c.core.transact(() => undefined);

    expect(store.repos.facts.get('engine', v.unknown())).toMatchObject({ halt: expect.objectContaining({ reason: 'manual' }) });
  });

  test('when a transaction commits, then its changes are announced once, after the commit', () => {
    const c = core();
    const seenWhenAnnounced: unknown[] = [];
    c.core.onRisk(() => void seenWhenAnnounced.push(store.repos.facts.get('engine', v.unknown())));

    c.core.halt('manual', T0, 'operator');

    expect(c.risk()).toEqual([{ type: 'Halted', halt: { reason: 'manual', since: T0, session: sessionStart(T0), detail: 'operator' } }]);
    expect(seenWhenAnnounced).toEqual([expect.objectContaining({ halt: expect.objectContaining({ reason: 'manual' }) })]);
  });
});

describe('persisted facts', () => {
  test('when a new core starts on the same store, then it restores position, realised and session P&L and the pause', () => {
    const first = core();
    first.decide(at(0, 5000));
    enter(first.core, 'long', 5000, T0 + MINUTE, 'E1');
    exit(first.core, 'sell', 5010, T0 + 2 * MINUTE, 'X1', 'signal');
    enter(first.core, 'short', 5012, T0 + 3 * MINUTE, 'E3');
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

  test('when a core starts on an empty store, then it starts flat with nothing realised and no halt', () => {
    const c = core();

    expect(c.core.engine.state).toMatchObject({ position: null, realisedCents: 0, paused: false, halt: null });
  });

  test('when paused or halted before the first bar, then that is persisted too, in the session of that time', () => {
    const first = core();

    first.core.halt('manual', T0, 'operator');
    first.core.setPaused(true, T0);
    const second = core();

    expect(second.core.engine.state).toMatchObject({ paused: true, halt: { reason: 'manual', since: T0, session: sessionStart(T0) }, sessionStart: sessionStart(T0) });
  });

  test('when a bar at or before the last decided one arrives after a restart, then it only updates the indicators', () => {
    const first = core();
    first.decide(at(0, 5000));
    first.decide(at(1, 5001));
    const second = core({ advice: { 5001: 'enter_long', 5002: 'enter_long' } });

    const replayed = second.core.onBar(at(1, 5001));
    const older = second.core.onBar(at(0, 5000));
    const fresh = second.core.onBar(at(2, 5002));

    expect(replayed).toBeNull();
    expect(older).toBeNull();
    expect(second.seen).toEqual([5001, 5000, 5002]);
    expect(fresh).toEqual({ type: 'enter', side: 'long' });
    expect(second.log.lines.filter((l) => l.event === 'core.bar_replayed')).toHaveLength(2);
    expect(second.decided).toEqual([at(2, 0).time]);
  });

  test('when warming up, then history feeds the strategy and its listeners without a decision', () => {
    const c = core({ advice: { 5000: 'enter_long' } });
    const warmed: number[] = [];
    c.core.onWarmUp((bars) => void warmed.push(...bars.map((b) => b.time)));

    c.core.warmUp([at(0, 5000), at(1, 5000)]);

    expect(c.seen).toEqual([5000, 5000]);
    expect(warmed).toEqual([at(0, 0).time, at(1, 0).time]);
    expect(c.decided).toEqual([]);
    expect(c.changes).toEqual([]);
    expect(c.core.onBar(at(0, 5000))).toEqual({ type: 'enter', side: 'long' });
  });

  test('when the store failed and a later write succeeds before the probe, then a restart does not come back halted for the store', () => {
    const first = core();
    first.decide(at(0, 5000));
    first.core.storeFailed(at(0, 0).time, 'the journal cannot be written: disk full');

    first.decide(at(1, 5000));
    store.reopen();
    const second = core();

    expect(second.core.engine.state.halt).toBeNull();
  });
});

describe('risk changes', () => {
  test('when the open loss reaches the daily limit, then it decides a daily_loss exit and announces the halt once', () => {
    const c = core({ settings: { dailyLossLimit: 50 } });
    c.decide(at(0, 5000));
    enter(c.core, 'long', 5000, at(1, 0).time);

    const decision = c.decide(at(2, 4985));
    c.decide(at(3, 4984));

    expect(decision).toEqual({ type: 'exit', reason: 'daily_loss' });
    expect(c.risk()).toEqual([{ type: 'Halted', halt: { reason: 'daily_loss', since: at(2, 0).time, session: sessionStart(T0), detail: expect.stringContaining('session P&L -75.62') } }]);
  });

  test('when equity falls the max drawdown below its peak, then it decides a drawdown exit and announces the halt', () => {
    const c = core({ settings: { maxDrawdown: 40 } });
    c.decide(at(0, 5000));
    enter(c.core, 'short', 5000, at(1, 0).time);

    const decision = c.decide(at(2, 5010));

    expect(decision).toEqual({ type: 'exit', reason: 'drawdown' });
    expect(c.risk()).toEqual([{ type: 'Halted', halt: { reason: 'drawdown', since: at(2, 0).time, session: sessionStart(T0), detail: expect.stringContaining('below peak') } }]);
  });

  test('when the losing streak reaches its limit, then a cooldown is announced until exit time + pause and an entry is denied for it', () => {
    const c = core({ settings: { consecutiveLossLimit: 2, consecutiveLossPauseMinutes: 30 }, advice: { 5000: 'enter_long' } });
    enter(c.core, 'long', 5000, at(0, 0).time, 'E0');
    exit(c.core, 'sell', 4999, at(1, 0).time, 'E0-S');
    expect(c.risk()).toEqual([]);
    enter(c.core, 'long', 5000, at(2, 0).time, 'E2');

    exit(c.core, 'sell', 4999, at(3, 0).time, 'E2-S');

    expect(c.risk()).toEqual([{ type: 'CooldownStarted', until: at(3, 0).time + 30 * MINUTE, time: at(3, 0).time }]);
    expect(c.decide(at(4, 5000))).toEqual({ type: 'denied', reason: 'cooldown' });
  });

  test('when a bar opens a new session, then SessionStarted is announced with the bar’s session', () => {
    const c = core();

    c.decide(at(0, 5000));

    expect(c.changes).toEqual([{ type: 'SessionStarted', sessionStart: sessionStart(T0), time: T0 }]);
  });

  test('when the store fails and recovers, then entries halt for the store at once and the halt clears by itself', () => {
    const c = core({ advice: { 5000: 'enter_long' } });
    c.decide(at(0, 4999));

    c.core.storeFailed(at(0, 0).time, 'the journal cannot be written: disk full');
    const whileDown = c.core.onBar(at(1, 5000));
    c.core.storeRecovered(at(1, 0).time);

    expect(whileDown).toEqual({ type: 'denied', reason: 'store' });
    expect(c.risk()).toEqual([
      { type: 'Halted', halt: expect.objectContaining({ reason: 'store', since: at(0, 0).time }) },
      { type: 'HaltCleared', reason: 'store', time: at(1, 0).time, cause: 'store_ok' },
    ]);
  });
});

describe('operator and supervisor halts', () => {
  const NEXT_SESSION = sessionStart(T0) + 24 * 60 * MINUTE;

  test('when halted, then entries are denied, in this session or the next, until the risk is reset', () => {
    const c = core({ advice: { 5000: 'enter_long' } });
    c.decide(at(0, 4999));

    c.core.halt('supervisor', at(0, 0).time, 'strategy kept failing');
    const sameSession = c.decide(at(1, 5000));
    const nextSession = c.decide(bar({ time: NEXT_SESSION + MINUTE, close: 5000 }));
    const restarted = core({ advice: { 5000: 'enter_long' } }).core.onBar(bar({ time: NEXT_SESSION + 2 * MINUTE, close: 5000 }));
    c.core.resetRisk(NEXT_SESSION + 3 * MINUTE);
    const afterReset = c.decide(bar({ time: NEXT_SESSION + 3 * MINUTE, close: 5000 }));

    expect(sameSession).toEqual({ type: 'denied', reason: 'supervisor' });
    expect(nextSession).toEqual({ type: 'denied', reason: 'supervisor' });
    expect(restarted).toEqual({ type: 'denied', reason: 'supervisor' });
    expect(afterReset).toEqual({ type: 'enter', side: 'long' });
    expect(c.risk()).toContainEqual({ type: 'HaltCleared', reason: 'supervisor', time: NEXT_SESSION + 3 * MINUTE, cause: 'reset' });
  });

  test('when paused, then entries are denied for the pause until resumed', () => {
    const c = core({ advice: { 5000: 'enter_long' } });
    c.decide(at(0, 4999));

    c.core.setPaused(true, at(0, 0).time);
    const paused = c.decide(at(1, 5000));
    c.core.setPaused(false, at(1, 0).time);
    const resumed = c.decide(at(2, 5000));

    expect(paused).toEqual({ type: 'denied', reason: 'paused' });
    expect(resumed).toEqual({ type: 'enter', side: 'long' });
  });
});
