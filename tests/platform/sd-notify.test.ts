import { afterEach, describe, expect, spyOn, test } from 'bun:test';
import { dlopen, FFIType } from 'bun:ffi';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSystemdNotifier } from '../../src/platform/sd-notify.ts';

const MODULE = join(import.meta.dir, '../../src/platform/sd-notify.ts');
const SKIP_SYSTEMD = process.env.QS_SKIP_SYSTEMD_TEST === '1';
const LIBSYSTEMD_ERROR = (() => {
  try {
    dlopen('libsystemd.so.0', { sd_notify: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 } }).close();
    return null;
  } catch (e) {
    return String(e);
  }
})();

// Bun cannot bind unix datagram sockets, so systemd's side of NOTIFY_SOCKET is played by Python:
// one JSON string per received datagram, after a BOUND line once it listens.
const LISTENER_PY = `
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("BOUND", flush=True)
while True:
    print(json.dumps(s.recv(65536).decode()), flush=True)
`;

interface Listener {
  socketPath: string;
  datagrams(): string[];
  waitFor(datagram: string): Promise<string[]>;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qs-notify-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function until<T>(get: () => T | undefined, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await Bun.sleep(10);
  }
}

async function listen(dir: string): Promise<Listener> {
  const socketPath = join(dir, 'notify.sock');
  const proc = Bun.spawn(['python3', '-c', LISTENER_PY, socketPath], { stdout: 'pipe', stderr: 'inherit' });
  cleanups.unshift(() => proc.kill());
  const lines: string[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let rest = '';
    for await (const chunk of proc.stdout) {
      const parts = (rest + decoder.decode(chunk, { stream: true })).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
    }
  })();
  await until(() => (lines[0] === 'BOUND' ? true : undefined), 'the python3 datagram listener to bind');
  const datagrams = () => lines.slice(1).map((line) => JSON.parse(line) as string);
  return {
    socketPath,
    datagrams,
    waitFor: (datagram) => until(() => (datagrams().includes(datagram) ? datagrams() : undefined), JSON.stringify(datagram)),
  };
}

/**
 * Runs `body` in a fresh Bun process whose real environment carries NOTIFY_SOCKET, as under systemd:
 * libsystemd reads the C environment, which `process.env` writes in this process do not reach.
 */
async function runUnderSystemd(dir: string, body: string, env: Record<string, string>) {
  const script = join(dir, 'service.ts');
  writeFileSync(script, `import { createSystemdNotifier } from ${JSON.stringify(MODULE)};\n${body}\n`);
  const base = { ...process.env };
  for (const key of ['NOTIFY_SOCKET', 'WATCHDOG_USEC', 'WATCHDOG_PID']) delete base[key];
  const proc = Bun.spawn([process.execPath, script], { env: { ...base, ...env }, stdout: 'pipe', stderr: 'pipe' });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, exitCode };
}

/** The datagrams strictly between two markers. */
function between(datagrams: string[], from: string, to: string): string[] {
  return datagrams.slice(datagrams.indexOf(from) + 1, datagrams.indexOf(to));
}

describe('outside systemd (no NOTIFY_SOCKET)', () => {
  test('the notifier is disabled and every call is a silent no-op', () => {
    const logs = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => spyOn(console, m));
    cleanups.push(() => logs.forEach((spy) => spy.mockRestore()));
    let healthChecks = 0;

    const notifier = createSystemdNotifier({ WATCHDOG_USEC: '2000000' });
    notifier.ready('trading');
    notifier.status('flat');
    notifier.watchdog();
    notifier.stopping();
    const stop = notifier.startWatchdog(() => ++healthChecks > 0);
    stop();

    expect(notifier.enabled).toBe(false);
    expect(notifier.watchdogIntervalMs).toBeNull();
    expect(healthChecks).toBe(0);
    for (const spy of logs) expect(spy).not.toHaveBeenCalled();
  });
});

test.skipIf(SKIP_SYSTEMD)('libsystemd.so.0 loads on this machine (else: apt-get install -y libsystemd0, or QS_SKIP_SYSTEMD_TEST=1)', () => {
  if (LIBSYSTEMD_ERROR !== null) {
    throw new Error(
      `libsystemd.so.0 cannot be loaded (${LIBSYSTEMD_ERROR}), so systemd notifications are untested. ` +
        'Install it with `apt-get install -y libsystemd0`, or set QS_SKIP_SYSTEMD_TEST=1 to skip these tests knowingly.',
    );
  }
});

describe.skipIf(SKIP_SYSTEMD)('under systemd (NOTIFY_SOCKET set)', () => {
  test('ready, status, watchdog and stopping arrive as the exact sd_notify datagrams', async () => {
    const dir = tempDir();
    const listener = await listen(dir);

    const run = await runUnderSystemd(
      dir,
      `const n = createSystemdNotifier();
       if (!n.enabled) throw new Error('notifier disabled although NOTIFY_SOCKET is set');
       n.ready('trading');
       n.status('flat, waiting for a signal');
       n.status('line one\\nREADY=1');
       n.watchdog();
       n.stopping();`,
      { NOTIFY_SOCKET: listener.socketPath },
    );

    expect(run).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(await listener.waitFor('STOPPING=1')).toEqual([
      'READY=1\nSTATUS=trading',
      'STATUS=flat, waiting for a signal',
      'STATUS=line one READY=1', // a newline in a status must not smuggle in another assignment
      'WATCHDOG=1',
      'STOPPING=1',
    ]);
  });

  test('when libsystemd cannot be loaded, the notifier is disabled, silent and sends nothing', async () => {
    const dir = tempDir();
    const listener = await listen(dir);

    const run = await runUnderSystemd(
      dir,
      `const n = createSystemdNotifier(process.env, { library: '/nonexistent/libsystemd.so.0' });
       n.ready('trading'); n.status('flat'); n.watchdog(); n.stopping(); n.startWatchdog(() => true)();
       const real = createSystemdNotifier();
       real.status(String(n.enabled) + ' ' + String(n.watchdogIntervalMs));`,
      { NOTIFY_SOCKET: listener.socketPath, WATCHDOG_USEC: '2000000' },
    );

    expect(run).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(await listener.waitFor('STATUS=false null')).toEqual(['STATUS=false null']);
  });

  test('WATCHDOG_USEC=2000000 gives a ping every 1000 ms (half the timeout)', () => {
    const notifier = createSystemdNotifier({ NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '2000000' });

    expect(notifier.enabled).toBe(true);
    expect(notifier.watchdogIntervalMs).toBe(1000);
  });

  test('no watchdog interval when WATCHDOG_USEC is missing or bad, or WATCHDOG_PID names another process', () => {
    const socket = { NOTIFY_SOCKET: '/run/systemd/notify' };
    const interval = (env: Record<string, string>) => createSystemdNotifier({ ...socket, ...env }).watchdogIntervalMs;

    expect(interval({})).toBeNull();
    expect(interval({ WATCHDOG_USEC: 'soon' })).toBeNull();
    expect(interval({ WATCHDOG_USEC: '0' })).toBeNull();
    expect(interval({ WATCHDOG_USEC: '2000000', WATCHDOG_PID: String(process.pid + 1) })).toBeNull();
    expect(interval({ WATCHDOG_USEC: '2000000', WATCHDOG_PID: String(process.pid) })).toBe(1000);
  });

  test('startWatchdog pings only while healthy and not after it is stopped', async () => {
    const dir = tempDir();
    const listener = await listen(dir);

    // Markers are status datagrams; one sender's datagrams arrive in order, so each
    // stretch between two markers holds exactly the pings sent in that phase.
    const run = await runUnderSystemd(
      dir,
      `const n = createSystemdNotifier();
       let healthy = true;
       const stop = n.startWatchdog(() => healthy);
       await Bun.sleep(200);
       healthy = false; n.status('unhealthy');
       await Bun.sleep(300);
       healthy = true; n.status('healthy');
       await Bun.sleep(300);
       stop(); n.status('stopped');
       await Bun.sleep(300);
       n.stopping();`,
      { NOTIFY_SOCKET: listener.socketPath, WATCHDOG_USEC: '100000' },
    );
    const got = await listener.waitFor('STOPPING=1');

    expect(run).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(got.slice(0, got.indexOf('STATUS=unhealthy')).length).toBeGreaterThanOrEqual(2);
    expect(new Set(got.slice(0, got.indexOf('STATUS=unhealthy')))).toEqual(new Set(['WATCHDOG=1']));
    expect(between(got, 'STATUS=unhealthy', 'STATUS=healthy')).toEqual([]);
    expect(between(got, 'STATUS=healthy', 'STATUS=stopped').length).toBeGreaterThanOrEqual(1);
    expect(between(got, 'STATUS=stopped', 'STOPPING=1')).toEqual([]);
  });
});
