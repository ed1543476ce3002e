import { afterEach, describe, expect, test } from 'bun:test';
import { activeService, barsUntil, web, whileBarsRun, telegram, type Harness } from './helpers.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

/** A service holding a position with its bracket resting at the broker. */
async function holding(): Promise<Harness> {
  h = (await activeService()).h;
  await barsUntil(h, () => h.system.get('position')!.getSnapshot().matches('open'));
  return h;
}

const brokerQty = async () => (await h.sim.positions()).reduce((a, p) => a + p.qty, 0);

describe('flatten with a position open', () => {
  test('when flattened, then the bracket is cancelled, the position closes at the next open and the broker is flat', async () => {
    await holding();
    const position = h.core.engine.state.position!;
    const entryRef = h.system.get('position')!.getSnapshot().context.entryRef as string;
    expect(await h.sim.openOrders()).toHaveLength(2);
    const closesBefore = h.repos.trades.count();

    const result = await whileBarsRun(h, h.app.flatten(web));

    expect(result.ok).toBe(true);
    expect(result.message).toBe(`flat: cancelled 2 order(s), closed ${position.side} 1; the broker shows no position. New entries paused until resume.`);
    expect(result.details).toEqual({ cancelledOrders: 2, closed: { side: position.side, qty: 1 }, brokerPosition: 0 });
    expect(h.repos.orders.byRef(`${entryRef}-S`)?.status).toBe('cancelled');
    expect(h.repos.orders.byRef(`${entryRef}-T`)?.status).toBe('cancelled');
    expect(await h.sim.openOrders()).toEqual([]);
    expect(await brokerQty()).toBe(0);
    expect(h.core.engine.state.position).toBeNull();
    const [trade] = h.repos.trades.recent({ limit: 1, offset: 0 });
    expect(h.repos.trades.count()).toBe(closesBefore + 1);
    expect(trade).toMatchObject({ side: position.side, entryRef, exitReason: 'flatten' });
    expect(h.repos.orders.byRef(trade!.exitRef)).toMatchObject({ type: 'market', reason: 'flatten', status: 'filled' });
  });

  test('when flattened, then entries stay paused afterwards', async () => {
    await holding();

    await whileBarsRun(h, h.app.flatten(web));
    const ordersAfter = h.repos.orders.recent(1000).length;
    await h.bars(150);

    expect(h.core.engine.state.paused).toBe(true);
    expect(h.system.get('strategy')!.getSnapshot().value).toBe('paused');
    expect(h.app.status().trading).toEqual({ kind: 'PAUSED' });
    expect(h.repos.orders.recent(1000).length).toBe(ordersAfter);
  });

  test('when flattened from Telegram, then the pause records that it came from the flatten', async () => {
    await holding();

    await whileBarsRun(h, h.app.flatten(telegram));

    expect(h.system.transitions.recent('strategy').at(-1)).toMatchObject({ from: 'ready', to: 'paused', event: 'Pause' });
    expect(h.repos.audit.recent(1)[0]).toMatchObject({ source: 'telegram', principal: '4242', command: 'flatten', ok: true });
  });
});

describe('flatten when flat', () => {
  test('when nothing is open, then flatten succeeds, says so and pauses entries', async () => {
    h = (await activeService()).h;

    const result = await h.app.flatten(web);

    expect(result).toEqual({
      ok: true,
      message: 'flat: cancelled 0 order(s), no position was open; the broker shows no position. New entries paused until resume.',
      details: { cancelledOrders: 0, closed: null, brokerPosition: 0 },
    });
    expect(h.core.engine.state.paused).toBe(true);
    expect(h.system.get('position')!.getSnapshot().value).toBe('flat');
  });

  test('when flattened twice, then the second gives the same answer and places no order', async () => {
    await holding();
    await whileBarsRun(h, h.app.flatten(web));
    const orders = h.repos.orders.recent(1000).length;

    const first = await h.app.flatten(web);
    const second = await h.app.flatten(web);

    expect(first).toEqual(second);
    expect(second.ok).toBe(true);
    expect(second.message).toContain('no position was open');
    expect(h.repos.orders.recent(1000).length).toBe(orders);
    expect(h.repos.audit.recent(10).filter((e) => e.command === 'flatten')).toHaveLength(3);
  });
});
