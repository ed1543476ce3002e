import { afterEach, describe, expect, test } from 'bun:test';
import { CHILD_IDS, type ChildId } from '../../src/actors/system.ts';
import { liveHarness } from '../../src/testing/live-harness.ts';

type Harness = Awaited<ReturnType<typeof liveHarness>>;
let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const flush = () => new Promise((r) => setTimeout(r, 5));

/** An event whose reading throws: the child that processes it fails, whatever child it is. */
const poison = () => ({
  get type(): string {
    throw new Error('poisoned event');
  },
});

async function openPosition(): Promise<Harness> {
  const harness = await liveHarness({ warmup: 100, config: { sim: { seed: 11, regime: 'volatile' }, trading: { params: { lookback: 20, entry: 1.5, exit: 0.2 } }, risk: { stopLossPerContract: 400, takeProfitPerContract: 600, maxDrawdown: 100_000, dailyLossLimit: 90_000 } } });
  for (let i = 0; i < 400 && harness.core.engine.state.position === null; i++) await harness.bars(1);
  expect(harness.core.engine.state.position).not.toBeNull();
  return harness;
}

describe('supervisor escalation flattens through the broker, whichever child kept failing', () => {
  for (const id of CHILD_IDS as readonly ChildId[]) {
    test(`when ${id} fails past the restart limit, then trading halts (supervisor) and the broker ends flat with no order working`, async () => {
      h = await openPosition();
      const harness = h;
      for (let i = 0; i < 6 && harness.system.get(id); i++) {
        harness.system.get(id)!.send(poison() as never);
        await flush();
      }
      expect(harness.app.actors().find((a) => a.id === id)?.failed).toBe(true);
      // The flatten's market order fills at the next open.
      for (let i = 0; i < 3; i++) {
        await harness.bars(1);
        await flush();
      }

      expect(harness.core.engine.state.halt?.reason).toBe('supervisor');
      expect(await harness.sim.positions()).toEqual([]);
      expect(await harness.sim.openOrders()).toEqual([]);
      expect(harness.core.engine.state.position).toBeNull();
      const alerts = (harness.store.db.query('SELECT text FROM outbox ORDER BY id').all() as { text: string }[]).map((r) => r.text);
      expect(alerts.some((t) => t.startsWith(`Supervisor: ${id} failed repeatedly`))).toBe(true);
      expect(alerts.some((t) => /^Supervisor escalation .*: flat: closed 1 contract/.test(t))).toBe(true);
    }, 30_000);
  }
});
