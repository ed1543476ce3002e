import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeGateway, type FakeGateway } from '../../src/broker/ib-sim/gateway.ts';
import { ChildService } from '../../src/testing/child-service.ts';
import { checkInvariants } from '../../src/testing/invariants.ts';
import { gatewayVenue } from './ib-venue.ts';

// The crash-safety invariants on the IB path: a real `bun src/main.ts` in paper mode, the real
// @stoqey/ib client over TCP to the fake gateway, killed with -9 at random moments (mid-bracket
// included), restarted, and checked against the gateway's own book.
const ROOT = join(import.meta.dir, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'qs-ib-crash-'));
const KILLS = Number(process.env.QS_CI_IB_KILLS ?? 12);

let gw: FakeGateway;
let stepping = false;
afterAll(async () => {
  stepping = false;
  await gw?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The market moves only while the test lets it, so a check never races a fill. */
async function market(): Promise<void> {
  while (stepping) {
    await gw.step();
    await Bun.sleep(20);
  }
}

function config(port: number, account: string): string {
  const path = join(dir, 'paper.yaml');
  writeFileSync(
    path,
    `mode: paper
ib: { host: 127.0.0.1, port: ${port}, clientId: 7, account: ${account}, staleDataSeconds: 30 }
store: { path: ${join(dir, 'paper.db')} }
web: { port: 0 }
trading: { params: { lookback: 20, entry: 1.5, exit: 0.2 } }
risk: { stopLossPerContract: 40, takeProfitPerContract: 60, maxDrawdown: 100000, dailyLossLimit: 90000, consecutiveLossLimit: 1000 }
`,
  );
  return path;
}

describe('crash safety on the IB path (fake gateway over TCP)', () => {
  test(`kill -9 at ${KILLS} random moments, and a gateway restart with orders working, leave the gateway's book and the journal agreeing`, async () => {
    gw = await startFakeGateway({ port: 0, seed: 11, regime: 'volatile', quietMs: 5, warmupBars: 500 });
    const cfg = config(gw.port, gw.account);
    const start = () => new ChildService(['--config', cfg], { cwd: ROOT });
    let seed = 20261201;
    const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const violations: string[] = [];

    for (let i = 1; i <= KILLS; i++) {
      const child = start();
      await child.waitFor(/connection\.ready/, 30_000);
      stepping = true;
      const moving = market();
      await Bun.sleep(200 + Math.floor(rand() * 1500));
      child.proc.kill('SIGKILL');
      await child.proc.exited;
      stepping = false;
      await moving;

      const again = start();
      await again.waitFor(/reconcile\.done/, 30_000);
      await Bun.sleep(500);
      again.proc.kill('SIGTERM');
      expect(await again.proc.exited).toBe(0);
      for (const v of checkInvariants(join(dir, 'paper.db'), gatewayVenue(gw))) violations.push(`kill ${i}: ${v}`);
    }

    // The gateway goes away while the bracket works, and comes back: trading carries on.
    const child = start();
    await child.waitFor(/connection\.ready/, 30_000);
    stepping = true;
    const moving = market();
    await child.waitFor(/order\.bracket/, 60_000, child.output.length);
    await gw.restart({ downMs: 1500 });
    await child.waitFor(/connection\.ready reason=(restored|reconnect)|Connection restored/, 60_000, child.output.length);
    await Bun.sleep(800);
    stepping = false;
    await moving;
    await Bun.sleep(300);
    child.proc.kill('SIGTERM');
    expect(await child.proc.exited).toBe(0);
    for (const v of checkInvariants(join(dir, 'paper.db'), gatewayVenue(gw))) violations.push(`gateway restart: ${v}`);

    console.log(`IB path: ${KILLS} kills and a gateway restart, ${violations.length} invariant violations`);
    expect(violations).toEqual([]);
    expect(gw.book.exchange.executionsSince(0).length).toBeGreaterThan(2);
  }, 600_000);
});
