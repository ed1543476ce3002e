import { describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Subprocess } from 'bun';
import type { GatewayState } from '../../src/broker/ib-sim/state-file.ts';
import { checkInvariants, type VenueView } from '../../src/testing/invariants.ts';
import { until } from '../broker/ib/harness.ts';
import { paperService } from './ib-service.ts';
import { venueOrder } from './ib-venue.ts';

/**
 * A rehearsal that restarts `gateway:sim` mid-trade: the gateway is a real child process with
 * `--state`, the paper service runs the real @stoqey/ib client against it over TCP, the gateway
 * is killed with -9 while a position and its stop are open, and a new process started with the
 * same state file resumes the account: the service reconnects, the position and its stop are
 * still there, the invariants hold, and trading carries on with no execution id reused.
 */

const ROOT = join(import.meta.dir, '..', '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** `bun src/cli/gateway-sim.ts`, resolved once it says it listens; its output is collected. */
async function gatewayProcess(port: number, stateFile: string, version: number): Promise<{ proc: Subprocess<'ignore', 'pipe', 'pipe'>; output: () => string }> {
  const proc = Bun.spawn(['bun', 'src/cli/gateway-sim.ts', '--port', String(port), '--state', stateFile, '--seed', '11', '--regime', 'volatile', '--bar-interval-ms', '100', '--max-version', String(version)], {
    cwd: ROOT,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let text = '';
  void (async () => {
    for await (const chunk of proc.stdout) text += new TextDecoder().decode(chunk);
  })();
  await until(() => text.includes('listening on 127.0.0.1'), 'the gateway process to listen', 15_000);
  return { proc, output: () => text };
}

/** The account as the gateway process last saved it. */
function savedVenue(file: string): { venue: VenueView; state: GatewayState } {
  const state = JSON.parse(readFileSync(file, 'utf8')) as GatewayState;
  const orders = state.book.orders.filter((o) => o.clientId === 7 && (o.status === 'Submitted' || o.status === 'PreSubmitted')).map(venueOrder);
  const positionQty = state.book.exchange.lots.reduce((a, l) => a + l.qty, 0);
  return { venue: { positionQty, orders, realisedCents: state.book.exchange.realisedCents, duplicateRefs: 0 }, state };
}

/** The gateway process saves and the service journals independently: a check meets them in agreement within a few tries. */
async function invariantsSettle(db: string, file: string): Promise<string[]> {
  let last: string[] = [];
  for (let i = 0; i < 40; i++) {
    last = checkInvariants(db, savedVenue(file).venue);
    if (last.length === 0) return last;
    await Bun.sleep(10);
  }
  return last;
}

// The versions a real gateway negotiates with @stoqey/ib (and the oldest the fake speaks), as the other IB e2e suites.
describe.each([100, 176, 187, 193])('gateway:sim restarted as a new process with --state, server version %d', (version) => {
  test('kill -9 mid-trade, a new process on the same state file: the position and its stop carry on, the bot reconnects and trades on, no exec id reused', async () => {
    const port = await freePort();
    const gwDir = mkdtempSync(join(tmpdir(), 'qs-gw-state-'));
    const file = join(gwDir, 'gateway-state.json');
    let gw = await gatewayProcess(port, file, version);
    const { dir, clock, service, state, lines } = await paperService(port, 'DU1234567');
    const db = join(dir, 'paper.db');
    try {
      await until(() => state('strategy').matches('ready'), 'warm-up from history', 20_000);
      // Mid-trade: the journal has the entry, the saved account a position with its stop working.
      await until(
        () => {
          if (service.core.engine.state.position === null) return false;
          const { venue } = savedVenue(file);
          return venue.positionQty !== 0 && venue.orders.some((o) => o.type === 'stop');
        },
        'a position with its stop',
        60_000,
      );
      gw.proc.kill('SIGKILL');
      await gw.proc.exited;
      const before = savedVenue(file);
      expect(before.venue.positionQty).not.toBe(0);
      const stop = before.venue.orders.find((o) => o.type === 'stop')!;
      expect(stop.qty - stop.filledQty).toBe(Math.abs(before.venue.positionQty));
      const oldExecIds = before.state.book.executions.map((e) => e.execId);
      const fillsBefore = service.repos.fills.since(0).length;
      await until(() => !state('connection').matches('ready'), 'the bot to notice the gateway gone', 10_000);

      gw = await gatewayProcess(port, file, version);
      expect(gw.output()).toContain(`server versions 100..${version}`);
      expect(gw.output()).toMatch(new RegExp(`resumed account DU1234567 from .*: ${before.venue.positionQty} contract\\(s\\), ${before.state.book.orders.filter((o) => o.status === 'Submitted' || o.status === 'PreSubmitted').length} working order\\(s\\)`));
      const end = performance.now() + 20_000;
      while (!state('connection').matches('ready')) {
        if (performance.now() > end) throw new Error(`no reconnect; connection is ${JSON.stringify(state('connection').value)}`);
        clock.increment(1_000);
        await Bun.sleep(20);
      }
      // The stop the killed process had working is still the journal's, and the books agree.
      expect(await invariantsSettle(db, file)).toEqual([]);
      const barAtReconnect = service.core.lastBar?.time ?? 0;

      // Trading carries on: new bars, later fills, no execution id of the old process again.
      await until(() => service.repos.fills.since(0).length >= fillsBefore + 2, 'later trades after the restart', 60_000);
      await until(() => (service.core.lastBar?.time ?? 0) > barAtReconnect, 'bars after the restart');
      const execIds = service.repos.fills.since(0).map((f) => f.execId);
      expect(new Set(execIds).size).toBe(execIds.length);
      const fresh = savedVenue(file).state.book.executions.map((e) => e.execId).filter((id) => !oldExecIds.includes(id));
      expect(fresh.length).toBeGreaterThanOrEqual(2);
      for (const id of fresh) expect(execIds).toContain(id);
      expect(lines.filter((l) => l.includes('"code":9209'))).toEqual([]);
      expect(lines.filter((l) => l.includes('position_mismatch'))).toEqual([]);
      expect(await invariantsSettle(db, file)).toEqual([]);
    } finally {
      await service.shutdown('test');
      gw.proc.kill('SIGTERM');
      await gw.proc.exited;
      rmSync(dir, { recursive: true, force: true });
      rmSync(gwDir, { recursive: true, force: true });
    }
  }, 180_000);
});
