import { afterEach, describe, expect, test } from 'bun:test';
import type { AuditEntry } from '../../src/store/audit.ts';
import { flush } from '../actors/helpers.ts';
import { activeService, telegram, web, type Harness } from './helpers.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function start(): Promise<Harness> {
  h = (await activeService()).h;
  return h;
}

const audit = (): AuditEntry[] => h.repos.audit.recent(50).reverse();

describe('every command is audited', () => {
  test('when commands run from two channels, then each lands in the audit table with its source, principal, outcome and result', async () => {
    await start();

    const paused = await h.app.pause(telegram);
    const resumed = await h.app.resume(web);
    const reset = await h.app.resetBreaker(telegram);
    const flat = await h.app.flatten(web);

    expect(audit().map(({ source, principal, command, ok }) => ({ source, principal, command, ok }))).toEqual([
      { source: 'telegram', principal: '4242', command: 'pause', ok: true },
      { source: 'web', principal: 'token', command: 'resume', ok: true },
      { source: 'telegram', principal: '4242', command: 'resetBreaker', ok: true },
      { source: 'web', principal: 'token', command: 'flatten', ok: true },
    ]);
    expect(audit().map((e) => e.result)).toEqual([paused, resumed, reset, flat]);
  });

  test('when a command fails, then the failure is audited with its message and returned, not thrown', async () => {
    await start();
    h.sim.injectDisconnect('gateway restart');
    await flush();

    const result = await h.app.flatten(web);

    expect(result.ok).toBe(false);
    expect(result.message).toContain('flatten failed');
    expect(result.message).toContain('not connected');
    expect(audit().at(-1)).toMatchObject({ command: 'flatten', ok: false, result: { ok: false, message: result.message } });
  });
});

describe('pause and resume', () => {
  test('when paused, then entries stop, the state says PAUSED and the message says positions keep their protection', async () => {
    await start();

    const result = await h.app.pause(web);
    await flush();

    expect(result).toEqual({ ok: true, message: 'paused: no new entries; open positions keep their stop and target' });
    expect(h.core.engine.state.paused).toBe(true);
    expect(h.system.get('strategy')!.getSnapshot().value).toBe('paused');
    expect(h.app.status().trading).toEqual({ kind: 'PAUSED' });
  });

  test('when paused twice, then the second is a no-op that says so', async () => {
    await start();
    await h.app.pause(web);

    const again = await h.app.pause(telegram);

    expect(again).toEqual({ ok: true, message: 'already paused: no new entries' });
    expect(h.core.engine.state.paused).toBe(true);
  });

  test('when paused, then no entry is placed while bars run; after resume entries come back', async () => {
    await start();
    await h.app.pause(web);
    const before = h.repos.orders.recent(1000).length;

    await h.bars(150);
    const whilePaused = h.repos.orders.recent(1000).length;
    const resumed = await h.app.resume(web);
    await h.bars(150);

    expect(whilePaused).toBe(before);
    expect(resumed).toEqual({ ok: true, message: 'resumed: entries allowed (subject to the circuit breaker)' });
    expect(h.core.engine.state.paused).toBe(false);
    expect(h.repos.orders.recent(1000).length).toBeGreaterThan(whilePaused);
  });

  test('when resumed while running, then it is a no-op that says so', async () => {
    await start();

    const result = await h.app.resume(web);

    expect(result).toEqual({ ok: true, message: 'already running: entries allowed' });
    expect(h.system.get('strategy')!.getSnapshot().value).toBe('ready');
  });

  test('when a reconcile found the broker position changed by hand, then entries halt (reconcile) until a flatten and a reset', async () => {
    await start();
    await h.sim.placeOrder({ ref: 'BY-HAND', action: 'buy', type: 'market', qty: 1 });
    await h.bars(1);
    h.system.send('connection', { type: 'ReconcileRequested' });
    await flush();
    expect(h.core.engine.state.halt).toMatchObject({ reason: 'reconcile', detail: 'broker position 1 contracts, journal 0' });
    expect(h.app.status().trading).toEqual({ kind: 'HALTED', reason: 'reconcile' });

    const flattening = h.app.flatten(web);
    await flush();
    await h.bars(1);
    expect((await flattening).ok).toBe(true);
    expect(await h.sim.positions()).toEqual([]);
    const result = await h.app.resetBreaker(web);
    await flush();

    expect(result.ok).toBe(true);
    expect(h.core.engine.state.halt).toBeNull();
    expect(h.app.status().trading).toEqual({ kind: 'PAUSED' });
  });
});

describe('reset breaker', () => {
  test('when the breaker is closed, then reset says so and changes nothing', async () => {
    await start();

    const result = await h.app.resetBreaker(web);

    expect(result).toEqual({ ok: true, message: 'breaker already closed' });
    expect(h.repos.breaker.recent(10)).toEqual([]);
  });

  test('when the supervisor halted trading, then reset closes the breaker, lifts the halt and records who did it', async () => {
    await start();
    await h.bars(1);
    h.core.halt('supervisor', h.core.lastBar!.time, 'position kept failing');
    await flush();
    expect(h.core.engine.state.halt?.reason).toBe('supervisor');
    expect(h.app.breakers().state).toBe('halted');

    const result = await h.app.resetBreaker(telegram);

    expect(result).toEqual({ ok: true, message: 'breaker reset (was halted)' });
    expect(h.app.breakers().state).toBe('closed');
    expect(h.core.engine.state.halt).toBeNull();
    expect(h.repos.breaker.recent(1)[0]).toMatchObject({ kind: 'reset', reason: 'manual', detail: 'supervisor' });
  });
});
