import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';

const UNIT_PATH = join(import.meta.dir, '../../config/quant-scalper.service');

type Unit = Record<string, Record<string, string[]>>;

/** systemd's INI dialect, as much as this unit uses: sections, repeated keys, # and ; comments. */
function parseUnit(text: string): Unit {
  const unit: Unit = {};
  let section: Record<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = unit[header[1]!] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (section === undefined || eq < 0) throw new Error(`not a unit-file line: ${raw}`);
    (section[line.slice(0, eq).trim()] ??= []).push(line.slice(eq + 1).trim());
  }
  return unit;
}

const text = await Bun.file(UNIT_PATH).text();
const unit = parseUnit(text);
const service = unit.Service ?? {};
const one = (key: string) => {
  expect(service[key], `[Service] ${key}= set exactly once`).toHaveLength(1);
  return service[key]![0];
};

describe('config/quant-scalper.service', () => {
  test('is a notify service whose main process is bun running src/main.ts with the /etc config', () => {
    expect(one('Type')).toBe('notify');
    expect(one('NotifyAccess')).toBe('main');
    const [bun, ...args] = one('ExecStart')!.split(/\s+/);
    expect(bun).toMatch(/^\/\S*\/bun$/);
    expect(args).toEqual(['run', 'src/main.ts', '--config', '/etc/quant-scalper/config.yaml']);
    expect(one('WorkingDirectory')).toBe('/opt/quant-scalper');
  });

  test('restarts on failure and when the watchdog goes quiet, and leaves time to flatten on SIGTERM', () => {
    expect(one('Restart')).toBe('on-failure');
    expect(one('RestartSec')).toBe('5');
    expect(one('WatchdogSec')).toBe('30');
    expect(one('KillSignal')).toBe('SIGTERM');
    expect(one('TimeoutStopSec')).toBe('60');
  });

  test('runs as its own user with state in /var/lib/quant-scalper and logs to the journal', () => {
    expect(one('User')).toBe('quant-scalper');
    expect(one('StateDirectory')).toBe('quant-scalper');
    expect(one('StandardOutput')).toBe('journal');
    expect(one('StandardError')).toBe('journal');
    expect(one('SyslogLevelPrefix')).toBe('true');
    expect(unit.Install?.WantedBy).toEqual(['multi-user.target']);
  });

  test('is sandboxed: read-only system, no home, private tmp, only the state directory writable', () => {
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('ProtectHome')).toBe('yes');
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('ReadWritePaths')).toBe('/var/lib/quant-scalper');
    expect(one('RestrictAddressFamilies')!.split(/\s+/).sort()).toEqual(['AF_INET', 'AF_INET6', 'AF_UNIX']);
    expect(one('LockPersonality')).toBe('yes');
    expect(one('MemoryMax')).toBe('512M');
  });

  test('takes secrets from an optional environment file and holds none itself', () => {
    expect(one('EnvironmentFile')).toBe('-/etc/quant-scalper/env');
    // Production mode is the one setting it carries: no secret is an Environment= line.
    expect(service.Environment ?? []).toEqual(['NODE_ENV=production']);
    expect(text).not.toMatch(/(QS_DASHBOARD_TOKEN|TELEGRAM_BOT_TOKEN)\s*=\s*\S/);
    expect(text).not.toMatch(/\b\d{6,}:[A-Za-z0-9_-]{30,}\b/); // the shape of a Telegram bot token
  });
});
