import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { EngineSnapshotSchema } from '../../src/actors/engine-snapshot.ts';
import { parseVenueState } from '../../src/broker/sim/venue-state.ts';
import { openStore } from '../../src/store/db.ts';
import { createRepositories } from '../../src/store/repositories.ts';
import { ChildService } from '../../src/testing/child-service.ts';

const ROOT = join(import.meta.dir, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'qs-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dbPath = join(dir, 'qs.db');
const configPath = join(dir, 'config.yaml');
writeFileSync(
  configPath,
  `store: { path: ${dbPath} }
web: { port: 0 }
sim: { barIntervalMs: 15, seed: 3, regime: volatile }
trading: { params: { lookback: 20, entry: 1.5, exit: 0.2 } }
risk: { maxDrawdown: 100000, dailyLossLimit: 100000, consecutiveLossLimit: 1000 }
`,
);

function readState() {
  const store = openStore(dbPath);
  try {
    const repos = createRepositories(store);
    const venue = parseVenueState(repos.facts.get('simVenue', v.unknown()));
    return {
      engine: repos.facts.get('engine', EngineSnapshotSchema)!,
      venue,
      orders: repos.orders.recent(10_000),
      fills: repos.fills.since(0),
      trades: repos.trades.recent({ limit: 10_000, offset: 0 }),
      daily: repos.dailyPnl.range(0, Number.MAX_SAFE_INTEGER),
    };
  } finally {
    store.close();
  }
}

describe('kill -9 mid-trade and restart', () => {
  test('recovers position, resting orders and daily P&L from SQLite and the broker, and carries on without a duplicate order', async () => {
    // Run until a position is open with its bracket resting, then kill -9.
    const first = new ChildService(['--config', configPath], { cwd: ROOT });
    await first.waitFor(/trade\.closed/);
    await first.waitFor(/order\.placed ref=E\d+-T /, 20_000, first.output.length);
    first.proc.kill('SIGKILL');
    expect(await first.proc.exited).not.toBe(0);

    const killed = readState();
    expect(killed.engine.position).not.toBeNull();
    const tradesBefore = killed.trades.length;
    expect(tradesBefore).toBeGreaterThan(0);

    const second = new ChildService(['--config', configPath], { cwd: ROOT });
    const rec = await second.waitFor(/reconcile\.done position=(\w+)/);
    expect(rec[1]).toBe(killed.engine.position!.side);
    // It carries on trading after the restart.
    await second.waitFor(/trade\.closed/, 30_000, second.output.indexOf('reconcile.done'));
    second.proc.kill('SIGTERM');
    expect(await second.proc.exited).toBe(0);
    expect(second.output).toContain('service.stopped reason=SIGTERM');

    const after = readState();
    // Nothing journalled before the kill was lost.
    expect(after.trades.length).toBeGreaterThan(tradesBefore);
    for (const t of killed.trades) expect(after.trades.some((u) => u.exitRef === t.exitRef && u.pnlCents === t.pnlCents)).toBe(true);
    // Every order the venue ever saw is one we journalled, and no client ref was placed twice at the venue.
    const journalled = new Set(after.orders.map((o) => o.ref));
    const venueRefs = after.venue.orders.map((o) => o.ref);
    for (const ref of venueRefs) expect(journalled.has(ref)).toBe(true);
    expect(new Set(venueRefs).size).toBe(venueRefs.length);
    // At most one protective bracket works at a time.
    const working = after.venue.orders.filter((o) => o.status === 'submitted' || o.status === 'partially_filled');
    expect(working.filter((o) => o.type === 'stop').length).toBeLessThanOrEqual(1);
    expect(working.filter((o) => o.type === 'limit').length).toBeLessThanOrEqual(1);
    // Every execution at the venue is in our journal (fills made while we were down were adopted).
    const fills = new Set(after.fills.map((f) => f.execId));
    for (const e of after.venue.executions) expect(fills.has(e.execId)).toBe(true);
    // The engine's money agrees with the journal: realised = Σ trades, and so does each session's P&L.
    expect(after.engine.realisedCents).toBe(after.trades.reduce((a, t) => a + t.pnlCents, 0));
    for (const d of after.daily) {
      expect(d.realisedCents).toBe(after.trades.filter((t) => t.sessionStart === d.sessionStart).reduce((a, t) => a + t.pnlCents, 0));
    }
    // The broker's position equals the journal's.
    const venueQty = after.venue.lots.reduce((a, l) => a + l.qty, 0);
    const p = after.engine.position;
    expect(venueQty).toBe(p === null ? 0 : p.side === 'long' ? p.qty : -p.qty);
  }, 90_000);
});
