import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import * as v from 'valibot';
import { MAX_SERVER_VERSION } from '../../src/broker/ib-sim/versions.ts';
import * as R from '../../src/web/response-schemas.ts';
import { createWebApp } from '../../src/web/server.ts';
import { until } from '../broker/ib/harness.ts';
import { paperOnGateway } from './ib-service.ts';

/**
 * Paper mode on the fake gateway: the status names the front month the IB adapter resolved, with
 * its last trading day and the days left, in /api/status as its documented schema says.
 */
let p: Awaited<ReturnType<typeof paperOnGateway>>;
beforeAll(async () => {
  p = await paperOnGateway(MAX_SERVER_VERSION);
  await until(() => p.state('strategy').matches('ready'), 'warm-up from history', 10_000);
}, 30_000);
afterAll(async () => {
  await p.service.shutdown('test');
  await p.gw.close();
  rmSync(p.dir, { recursive: true, force: true });
});

describe('/api/status in paper mode', () => {
  test('names the contract in use and its expiry: MESH6, last trading day 2026-03-20, 74 days from the market’s 2026-01-05', async () => {
    const web = createWebApp(p.service.app);
    const res = await web.handle(new Request('http://localhost/api/status'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as v.InferOutput<typeof R.Status>;
    expect(v.safeParse(R.Status, body).success).toBe(true);
    const conId = p.service.broker.tradedContract()!.conId;
    expect(body.contract).toEqual({ localSymbol: 'MESH6', conId, exchange: 'CME', expiry: '2026-03-20', daysToExpiry: 74, rollDays: 8, inRollWindow: false });
    web.feed.stop();
  });

  test('while the link is down the contract is not reported (the adapter forgets it until it reconnects)', async () => {
    await p.service.broker.disconnect();
    expect(p.service.app.status().contract).toBeNull();
  });
});
