import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Logger, LogFields } from '../../src/domain/log.ts';
import { Throttle } from '../../src/web/security/throttle.ts';
import { bearerPost, dashboard, ORIGIN, TOKEN, type Web } from './helpers.ts';

describe('Throttle: failed guesses per client', () => {
  test('five failures are free, then each failure doubles the lockout up to the ceiling', () => {
    let now = 0;
    const t = new Throttle(() => now, { free: 5, baseMs: 1000, maxMs: 4000 });
    const lockouts = Array.from({ length: 9 }, () => t.failed('a').lockoutMs);
    expect(lockouts).toEqual([0, 0, 0, 0, 0, 1000, 2000, 4000, 4000]);
    expect(t.lockedFor('a')).toBe(4000);
    expect(t.lockedFor('b')).toBe(0);
    now += 4000;
    expect(t.lockedFor('a')).toBe(0);
  });

  test('a success clears the record; a quiet hour forgets it', () => {
    let now = 0;
    const t = new Throttle(() => now, { free: 1, forgetMs: 60_000 });
    t.failed('a');
    expect(t.failed('a').lockoutMs).toBe(1000);
    t.succeeded('a');
    expect(t.failed('a').lockoutMs).toBe(0);
    now += 60_000;
    expect(t.failed('a').lockoutMs).toBe(0);
  });

  test('memory stays bounded under a spray of addresses: the stalest record goes', () => {
    const t = new Throttle(() => 0, { free: 0, maxClients: 2 });
    t.failed('a');
    t.failed('b');
    t.failed('c');
    expect(t.lockedFor('a')).toBe(0);
    expect(t.lockedFor('c')).toBeGreaterThan(0);
  });
});

describe('token guesses against the dashboard', () => {
  let w: Web;
  let now = 1_000_000;
  const warnings: Array<{ event: string; fields?: LogFields }> = [];
  const log: Logger = { debug() {}, info() {}, error() {}, warn: (event, fields) => void warnings.push({ event, ...(fields ? { fields } : {}) }) };
  beforeAll(async () => {
    w = await dashboard({ now: () => now, log });
  });
  afterAll(async () => {
    await w.close();
  });
  const refusedRows = () => w.h.repos.audit.recent(10_000).filter((r) => !r.ok);

  test('after five wrong bearer tokens even the right one is refused with 429 until the lockout ends', async () => {
    for (let i = 0; i < 5; i++) expect((await w.request('/api/commands/pause', bearerPost(undefined, `guess-${i}`))).status).toBe(401);
    const sixth = await w.request('/api/commands/pause', bearerPost(undefined, 'guess-5'));
    expect(sixth.status).toBe(401);
    expect(((await sixth.json()) as { message: string }).message).toContain('next try allowed in 1 s');

    const locked = await w.request('/api/commands/pause', bearerPost());
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('1');
    expect(locked.headers.get('x-frame-options')).toBe('DENY');
    expect(w.h.core.engine.state.paused).toBe(false);

    now += 1000;
    expect((await w.request('/api/commands/pause', bearerPost())).status).toBe(200);
    expect(w.h.core.engine.state.paused).toBe(true);
    await w.request('/api/commands/resume', bearerPost());
  });

  test('every wrong token is audited and logged with the client, never the token; a lockout is reported once', async () => {
    const before = refusedRows().length;
    const logged = warnings.length;
    for (let i = 0; i < 6; i++) await w.request('/api/commands/pause', bearerPost(undefined, `secret-guess-${i}`));
    for (let i = 0; i < 20; i++) await w.request('/api/commands/pause', bearerPost(undefined, `more-${i}`));
    const rows = refusedRows().slice(0, refusedRows().length - before);
    expect(rows.length).toBe(6 + 1);
    expect(rows.filter((r) => JSON.stringify(r.result).includes('429 locked_out')).length).toBe(1);
    expect(rows.every((r) => r.principal === 'address local' && r.command === 'POST /api/commands/pause')).toBe(true);
    expect(warnings.length - logged).toBe(7);
    expect(warnings.at(-1)!.event).toBe('web.refused');
    expect(JSON.stringify([rows, warnings])).not.toContain('guess');
    now += 60 * 60_000;
  });

  test('the login form is limited the same way, and its refusals are audited', async () => {
    const form = (token: string) => w.request('/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN }, body: `token=${encodeURIComponent(token)}` });
    const before = refusedRows().length;
    for (let i = 0; i < 6; i++) expect((await form(`nope-${i}`)).status).toBe(401);
    const locked = await form(TOKEN);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('set-cookie')).toBeNull();
    expect(await locked.text()).toContain('too many wrong tokens');
    expect(refusedRows().length - before).toBe(7);
    expect(refusedRows()[0]!.command).toBe('POST /login');
    now += 2000;
    expect((await form(TOKEN)).status).toBe(303);
  });
});
