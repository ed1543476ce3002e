import { afterEach, describe, expect, test } from 'bun:test';
import { CHILD_IDS } from '../../src/actors/system.ts';
import { createWebApp } from '../../src/web/server.ts';
import { activeService, breakStrategyUntilEscalated, type Harness } from '../app/helpers.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

interface HealthBody {
  healthy: boolean;
  mode: string;
  connection: string;
  trading: { kind: string; reason?: string };
  actors: Array<{ id: string; state: string; failed: boolean; restarts: number; lastError: string | null }>;
}

async function health(): Promise<{ status: number; body: HealthBody }> {
  const res = await createWebApp(h.app).handle(new Request('http://localhost/health'));
  return { status: res.status, body: (await res.json()) as HealthBody };
}

describe('GET /health', () => {
  test('when every actor runs, then it answers 200 and lists each actor with its state', async () => {
    h = (await activeService()).h;

    const { status, body } = await health();

    expect(status).toBe(200);
    expect(body).toMatchObject({ healthy: true, mode: 'sim', connection: 'ready.watching', trading: { kind: 'ACTIVE' } });
    expect(body.actors.map((a) => a.id).sort()).toEqual([...CHILD_IDS].sort());
    expect(body.actors.find((a) => a.id === 'strategy')).toMatchObject({ state: 'ready', failed: false, restarts: 0, lastError: null });
    expect(body.actors.find((a) => a.id === 'connection')?.state).toBe('ready.watching');
  });

  test('when an actor was restarted but runs again, then it is still healthy and shows the restart', async () => {
    h = (await activeService()).h;
    // A malformed event (no bar) makes the strategy actor throw: the supervisor restarts it.
    h.system.send('strategy', { type: 'BarClosed' } as never);
    await h.bars(1);

    const { status, body } = await health();

    expect(status).toBe(200);
    expect(body.actors.find((a) => a.id === 'strategy')).toMatchObject({ failed: false, restarts: 1 });
  });

  test('when the supervisor has given up on a child, then it answers 503 and names the failed actor', async () => {
    h = (await activeService()).h;
    await breakStrategyUntilEscalated(h);

    const { status, body } = await health();

    expect(status).toBe(503);
    expect(body.healthy).toBe(false);
    expect(body.actors.find((a) => a.id === 'strategy')).toMatchObject({ state: 'stopped', failed: true, lastError: 'strategy bug' });
    expect(body.actors.filter((a) => a.failed).map((a) => a.id)).toEqual(['strategy']);
    expect(body.trading).toEqual({ kind: 'HALTED', reason: 'supervisor' });
  });
});
