import { afterAll, describe, expect, test } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildService } from '../../src/testing/child-service.ts';
import { crashConfig, storeOf } from '../../src/testing/crash-runs.ts';
import { checkInvariants } from '../../src/testing/invariants.ts';

// A real full disk and a real read-only file system: a small tmpfs, which needs root (CI runs as root).
const ROOT = join(import.meta.dir, '..', '..');
const base = mkdtempSync(join(tmpdir(), 'qs-faults-'));
const mnt = join(base, 'mnt');
mkdirSync(mnt);
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mnt]).status === 0;
afterAll(() => {
  if (mounted) spawnSync('umount', ['-l', mnt]);
  rmSync(base, { recursive: true, force: true });
});

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const start = (config: string) => new ChildService(['--config', config], { cwd: ROOT });
async function exitOf(child: ChildService): Promise<{ code: number; stderr: string }> {
  const code = await child.proc.exited;
  return { code, stderr: await child.stderr() };
}
/** One line naming the file, exit 2, no stack trace. */
function expectOneLine(r: { code: number; stderr: string }, file: string): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(file);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

describe('store open errors: one line naming the file and the fix, exit 2, the file unchanged', () => {
  test('a second service on the same store is refused with the holder’s pid; the first keeps trading', async () => {
    const dir = join(base, 'locked');
    const config = crashConfig(dir);
    const first = start(config);
    await first.waitFor(/connection\.ready/);
    const second = await exitOf(start(config));
    expectOneLine(second, storeOf(dir));
    expect(second.stderr).toContain(`in use by another Quant Scalper service (pid ${first.proc.pid}`);
    await first.waitFor(/order\.bracket/, 20_000, first.output.length);
    first.proc.kill('SIGTERM');
    expect(await first.proc.exited).toBe(0);
    expect(checkInvariants(storeOf(dir))).toEqual([]);
  });

  test('a corrupt (non-SQLite) file', async () => {
    const dir = join(base, 'corrupt');
    const config = crashConfig(dir);
    writeFileSync(storeOf(dir), 'not a database, but someone’s notes'.repeat(20));
    const before = sha(storeOf(dir));
    expectOneLine(await exitOf(start(config)), storeOf(dir));
    expect(sha(storeOf(dir))).toBe(before);
  });

  test('a directory that cannot be created', async () => {
    const dir = join(base, 'nodir');
    const config = crashConfig(dir);
    writeFileSync(join(dir, 'a-file'), '');
    const bad = join(dir, 'a-file', 'sub', 'qs.db');
    writeFileSync(config, readFileSync(config, 'utf8').replace(storeOf(dir), bad));
    const r = await exitOf(start(config));
    expectOneLine(r, bad);
  });

  test.skipIf(!mounted)('a read-only file system', async () => {
    const dir = join(mnt, 'ro');
    const config = crashConfig(join(base, 'ro-config'));
    writeFileSync(config, readFileSync(config, 'utf8').replace(storeOf(join(base, 'ro-config')), storeOf(dir)));
    const first = start(config);
    await first.waitFor(/connection\.ready/);
    first.proc.kill('SIGTERM');
    expect(await first.proc.exited).toBe(0);
    const before = sha(storeOf(dir));
    expect(spawnSync('mount', ['-o', 'remount,ro', mnt]).status).toBe(0);
    try {
      expectOneLine(await exitOf(start(config)), storeOf(dir));
      expect(sha(storeOf(dir))).toBe(before);
    } finally {
      spawnSync('mount', ['-o', 'remount,rw', mnt]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!mounted)('disk full while trading', () => {
  test('the stop stays at the venue, every channel says HALTED (store), and trading resumes by itself once space is free', async () => {
    const dir = join(mnt, 'full');
    const config = crashConfig(join(base, 'full-config'), 40);
    writeFileSync(config, readFileSync(config, 'utf8').replace(storeOf(join(base, 'full-config')), storeOf(dir)).replace('stopLossPerContract: 40', 'stopLossPerContract: 400'));
    const child = start(config);
    const url = (await child.waitFor(/web\.listening url=(\S+)/))[1]!;
    await child.waitFor(/Entered (long|short)/);

    // Fill the file system to the last byte.
    const junk = join(mnt, 'junk');
    spawnSync('dd', ['if=/dev/zero', `of=${junk}`, 'bs=64k']);
    await child.waitFor(/store\.unwritable/, 20_000);
    await Bun.sleep(300);

    const status = (await (await fetch(`${url}/api/status`)).json()) as { trading: { kind: string; reason?: string } };
    expect(status.trading).toEqual({ kind: 'HALTED', reason: 'store' });
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(503);
    // Nothing that protects the position was cancelled while the journal could not record its replacement.
    expect(child.output).not.toMatch(/order\.cancel ref=E\d+-S/);

    rmSync(junk);
    await child.waitFor(/store\.writable/, 20_000, child.output.indexOf('store.unwritable'));
    await Bun.sleep(500);
    const after = (await (await fetch(`${url}/api/status`)).json()) as { trading: { kind: string; reason?: string } };
    expect(after.trading.kind).not.toBe('HALTED');
    expect((await fetch(`${url}/health`)).status).toBe(200);

    child.proc.kill('SIGTERM');
    expect(await child.proc.exited).toBe(0);
    expect(checkInvariants(storeOf(dir))).toEqual([]);
  }, 90_000);
});
