import { expect, test } from 'bun:test';
import { join } from 'node:path';
import { startFakeGateway } from '../../../src/broker/ib-sim/gateway.ts';

/**
 * A third-party client at its own version range: ib_async (Python; offers 157..178) rehearses
 * against the fake gateway — contract details, history, 5-second bars, a bracket, executions
 * with commission reports, positions, a cancel. It runs where `QS_PYTHON` names a Python that
 * has ib_async (`pip install ib_async`; test-only, never a runtime dependency) and is skipped
 * otherwise; the TypeScript path is covered without it by the other tests.
 */

const python = process.env.QS_PYTHON;
const usable = python !== undefined && python !== '' && Bun.spawnSync([python, '-c', 'import ib_async'], { stdout: 'ignore', stderr: 'ignore' }).exitCode === 0;

// ib_async's own range: its lowest, the one current gateways often pick, its highest.
test.skipIf(!usable).each([157, 176, 178])('ib_async at server version %i trades a bracket through the fake gateway', async (version) => {
  const gw = await startFakeGateway({ port: 0, barIntervalMs: 150, quietMs: 5, maxVersion: version });
  try {
    const proc = Bun.spawn([python!, join(import.meta.dir, 'ib_async_rehearsal.py'), String(gw.port)], { stdout: 'pipe', stderr: 'pipe' });
    const timer = setTimeout(() => proc.kill(), 60_000);
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    clearTimeout(timer);
    const steps = Object.fromEntries(stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => { const o = JSON.parse(l) as { step: string }; return [o.step, o]; })) as Record<string, Record<string, unknown>>;
    if (code !== 0) throw new Error(`ib_async exited ${code}: ${stderr.slice(-2000)}`);
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
