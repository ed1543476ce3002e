import { expect, test } from 'bun:test';
import { join } from 'node:path';
import { startFakeGateway } from '../../../src/broker/ib-sim/gateway.ts';

/**
 * Third-party clients at their own version ranges rehearse against the fake gateway — contract
 * details, history, 5-second bars, a bracket, executions with commission reports, positions, a
 * cancel: ib_async (offers 157..178) and IB's own Python client (ibapi 9.81, offers 100..157).
 * They run where `QS_TWS_PYTHON` (or `QS_PYTHON`) names a Python that has them (`pip install ib_async
 * ibapi==9.81.1.post1`; test-only, never a runtime dependency) and are skipped otherwise; the
 * TypeScript path is covered without them by the other tests.
 */

const python = process.env.QS_TWS_PYTHON || process.env.QS_PYTHON;
const usable = python !== undefined && python !== '' && Bun.spawnSync([python, '-c', 'import ib_async'], { stdout: 'ignore', stderr: 'ignore' }).exitCode === 0;

/** Runs a rehearsal script against `port`; its findings by step. */
async function rehearse(script: string, port: number): Promise<Record<string, Record<string, unknown>>> {
  const proc = Bun.spawn([python!, join(import.meta.dir, script), String(port)], { stdout: 'pipe', stderr: 'pipe' });
  const timer = setTimeout(() => proc.kill(), 60_000);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${script} exited ${code}: ${stderr.slice(-2000)}`);
  const steps = stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { step: string });
  return Object.fromEntries(steps.map((o) => [o.step, o])) as Record<string, Record<string, unknown>>;
}

// ib_async's own range: its lowest, the one current gateways often pick, its highest.
test.skipIf(!usable).each([157, 176, 178])('ib_async at server version %i trades a bracket through the fake gateway', async (version) => {
  const gw = await startFakeGateway({ port: 0, barIntervalMs: 150, quietMs: 5, maxVersion: version });
  try {
    const steps = await rehearse('ib_async_rehearsal.py', gw.port);
    expect(steps.connected).toMatchObject({ serverVersion: version, accounts: ['DU1234567'] });
    expect(steps.details).toMatchObject({ count: 4, expiry: '20260320', lastTradeTime: '08:30:00', localSymbol: 'MESH6' });
    expect(steps.history!.count as number).toBeGreaterThan(100);
    expect(String(steps.history!.last)).toMatch(/^2026-01-0\d/);
    expect(steps.realtime!.count as number).toBeGreaterThan(12);
    expect(steps.ticks).toMatchObject({ marketDataType: 1 });
    expect((steps.ticks!.ask as number) - (steps.ticks!.bid as number)).toBe(0.25);
    expect(steps.placed).toMatchObject({ transmit: [false, false, true] });
    expect(steps.filled).toMatchObject({ status: 'Filled', children: ['Submitted', 'Submitted'], commission: 0.62 });
    expect((steps.account!.positions as unknown[][])[0]).toEqual([steps.details!.conId, 1]);
    expect(steps.account!.executions).toContain(steps.filled!.execId);
    expect(steps.cancelled).toMatchObject({ take: 'Cancelled' });
  } finally {
    await gw.close();
  }
}, 90_000);

/** IB's own Python client (`pip install ibapi`, 9.81: v100..157) with IB's documented bracket, at both ends of its range. */
const ibapi = usable && Bun.spawnSync([python!, '-c', 'import ibapi'], { stdout: 'ignore', stderr: 'ignore' }).exitCode === 0;

test.skipIf(!ibapi).each([100, 157])("IB's own client (ibapi) at server version %i places IB's bracket through the fake gateway", async (version) => {
  const gw = await startFakeGateway({ port: 0, barIntervalMs: 150, quietMs: 5, maxVersion: version });
  try {
    const steps = await rehearse('ibapi_rehearsal.py', gw.port);
    expect(steps.connected).toMatchObject({ serverVersion: version });
    expect(steps.details).toMatchObject({ count: 4, expiry: '20260320', lastTradeTime: '08:30:00' });
    expect(steps.history!.count as number).toBeGreaterThan(100);
    expect(steps.filled).toMatchObject({ status: ['Filled', 'Submitted', 'Submitted'], commission: [0.62] });
    expect(steps.account!.positions).toEqual([[steps.details!.conId, 1]]);
    expect((steps.account!.executions as string[]).length).toBe(1);
    expect(steps.cancelled).toMatchObject({ take: 'Cancelled', errors: [] });
  } finally {
    await gw.close();
  }
}, 90_000);
