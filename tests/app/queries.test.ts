import { afterEach, describe, expect, test } from 'bun:test';
import { CHILD_IDS } from '../../src/actors/system.ts';
import { toCents } from '../../src/domain/money.ts';
import { activeService, barsUntil, type Harness } from './helpers.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const cents = (dollars: number) => toCents(dollars);
const sum = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0);

describe('a fresh service', () => {
  test('when nothing has traded yet, then status, P&L, positions, trades, breakers and actors all show a clean start', async () => {
    h = (await activeService()).h;

    expect(h.app.status()).toMatchObject({ mode: 'sim', connection: 'ready.watching', trading: { kind: 'ACTIVE' }, position: null, lastBar: null });
    expect(h.app.pnl()).toMatchObject({ today: { realised: 0, unrealised: 0, total: 0 }, sinceStart: 0, week: 0, equity: 10_000, dailyLossUsed: 0, drawdown: 0 });
    expect(h.app.positions()).toEqual([]);
    expect(h.app.trades({ limit: 10 })).toEqual([]);
    expect(h.app.tradeCount()).toBe(0);
    expect(h.app.breakers()).toMatchObject({ state: 'closed', reason: null, events: [] });
    expect(h.app.actors().map((a) => a.id).sort()).toEqual([...CHILD_IDS].sort());
    expect(h.app.actors().every((a) => !a.failed && a.restarts === 0 && a.state !== 'stopped')).toBe(true);
  });
});

describe('after trading', () => {
  test('when trades have closed, then P&L since start, today and this week equal the sum of the journalled trades', async () => {
    h = (await activeService()).h;
    await barsUntil(h, () => h.app.tradeCount() >= 5);
    await barsUntil(h, () => h.core.engine.state.position === null);

    const trades = h.app.trades({ limit: 1000 });
    const pnl = h.app.pnl();
    const total = sum(trades.map((t) => t.pnlCents));
    const session = h.core.engine.state.sessionStart;
    const today = sum(trades.filter((t) => t.sessionStart === session).map((t) => t.pnlCents));

    expect(trades).toHaveLength(h.app.tradeCount());
    expect(cents(pnl.sinceStart)).toBe(total);
    expect(cents(pnl.today.realised)).toBe(today);
    expect(cents(pnl.week)).toBe(total);
    expect(cents(pnl.equity)).toBe(cents(10_000) + total);
    expect(pnl.today.unrealised).toBe(0);
    expect(pnl.session).toBe(session);
  });

  test('when a position is open, then positions, status and P&L agree on it and on its open P&L', async () => {
    h = (await activeService()).h;
    await barsUntil(h, () => h.app.tradeCount() >= 1 && h.system.get('position')!.getSnapshot().matches('open'));

    const [pos] = h.app.positions();
    const status = h.app.status();
    const pnl = h.app.pnl();
    const engine = h.core.engine.state.position!;
    const mark = h.core.lastBar!.close;

    expect(h.app.positions()).toHaveLength(1);
    expect(pos).toMatchObject({ side: engine.side, qty: engine.qty, entryPrice: engine.entryPrice, stop: engine.stop, target: engine.target, markPrice: mark });
    expect(status.position).toEqual(pos!);
    expect(status.pnl).toEqual(pnl);
    expect(pnl.today.unrealised).toBe(pos!.unrealised!);
    expect(cents(pnl.today.total)).toBe(cents(pnl.today.realised) + cents(pnl.today.unrealised));
    const brokerPosition = (await h.sim.positions())[0]!;
    expect(brokerPosition.qty).toBe(engine.side === 'long' ? engine.qty : -engine.qty);
    expect(brokerPosition.avgPrice).toBe(engine.entryPrice);
  });

  test('when trades are paged, then the pages are the newest first and do not overlap', async () => {
    h = (await activeService()).h;
    await barsUntil(h, () => h.app.tradeCount() >= 4);

    const first = h.app.trades({ limit: 2 });
    const second = h.app.trades({ limit: 2, offset: 2 });

    expect(first.map((t) => t.id)).not.toContain(second[0]!.id);
    expect(first[0]!.exitTime).toBeGreaterThanOrEqual(first[1]!.exitTime);
    expect(first[1]!.exitTime).toBeGreaterThanOrEqual(second[0]!.exitTime);
  });

  test('when the actors have moved, then the actors view shows each one’s current state and its transitions', async () => {
    h = (await activeService()).h;
    await barsUntil(h, () => h.system.get('position')!.getSnapshot().matches('open'));

    const position = h.app.actors().find((a) => a.id === 'position')!;

    expect(position.state).toMatch(/^open\.(long|short)$/);
    expect(position.context).toMatchObject({ qty: 1, stopRef: expect.stringMatching(/^E\d+-S$/) });
    expect(h.app.transitions('position').at(-1)!.to).toBe(position.state);
  });
});
