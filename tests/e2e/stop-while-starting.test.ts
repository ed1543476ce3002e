import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildService } from '../../src/testing/child-service.ts';
import { crashConfig } from '../../src/testing/crash-runs.ts';

// systemd may stop the service at any moment, also while it is still starting (the dashboard's
// thread takes a few hundred ms to listen): the stop must then be a clean one, not a death.
const dir = mkdtempSync(join(tmpdir(), 'qs-stop-early-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.each([0, 50, 150, 300])('SIGTERM %i ms after service.starting: a clean stop, exit 0', async (delay) => {
  const child = new ChildService(['--config', crashConfig(join(dir, String(delay)))], { cwd: join(import.meta.dir, '..', '..'), env: {} });
  await child.waitFor(/service\.starting/, 20_000);
  await Bun.sleep(delay);
  child.proc.kill('SIGTERM');
  expect(await child.proc.exited).toBe(0);
  expect(child.output).toMatch(/service\.stopped reason=SIGTERM/);
}, 30_000);
