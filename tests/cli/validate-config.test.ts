import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dir, '../..');
const dir = mkdtempSync(join(tmpdir(), 'qs-validate-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function yamlFile(text: string): string {
  const path = join(dir, `config-${++fileCount}.yaml`);
  writeFileSync(path, text);
  return path;
}

/** Runs the real command in a child process with only the env given (no inherited tokens). */
async function run(args: string[], env: Record<string, string> = {}) {
  const child = Bun.spawn(['bun', 'src/cli/validate-config.ts', ...args], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? dir, ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, code };
}

const LIVE = `mode: live
liveConfirm: I understand this trades real money
ib:
  port: 4001
  account: U7654321
`;

describe('exit codes', () => {
  test('0 for a config with no issues', async () => {
    const { code, stdout } = await run([yamlFile('mode: sim\nrisk:\n  dailyLossLimit: 400\n')]);

    expect(code).toBe(0);
    expect(stdout).toContain('(mode sim): valid — 0 critical, 0 errors, 0 warnings');
  });

  test('0 with no file at all: the defaults', async () => {
    const { code, stdout } = await run([]);

    expect(code).toBe(0);
    expect(stdout).toContain('built-in defaults (mode sim): valid');
  });

  test('0 for both example configs', async () => {
    expect((await run(['config/config.example.yaml'])).code).toBe(0);
    expect((await run(['config/paper.example.yaml'])).code).toBe(0);
  });

  test('1 for warnings only', async () => {
    const { code, stdout } = await run([yamlFile('risk:\n  maxContracts: 3\n')]);

    expect(code).toBe(1);
    expect(stdout).toContain('warning   risk.maxContracts: position limit above 2');
    expect(stdout).toContain('valid, with warnings — 0 critical, 0 errors, 1 warning');
  });

  test('1 for a confirmed live config, with CRITICAL printed first and loudly', async () => {
    const { code, stdout } = await run([yamlFile(LIVE)]);
    const lines = stdout.split('\n');

    expect(code).toBe(1);
    expect(lines[0]).toContain('CRITICAL: this config can trade REAL MONEY');
    expect(lines[1]).toBe('CRITICAL  mode: LIVE trading: orders go to a real-money account');
    expect(stdout).toContain('CRITICAL  ib.port: 4001 is an IB LIVE port');
    expect(stdout).toContain('3 critical, 0 errors');
  });

  test('2 for a safety error', async () => {
    const { code, stdout } = await run([yamlFile('mode: live\n')]);

    expect(code).toBe(2);
    expect(stdout).toContain("error     liveConfirm: mode is live, so liveConfirm must be exactly 'I understand this trades real money'");
    expect(stdout).toContain('INVALID');
  });

  test('2 for schema errors, each printed with its path', async () => {
    const { code, stdout } = await run([yamlFile('risk:\n  dailyLossLimit: -5\n  dailyLosLimit: 3\n')]);

    expect(code).toBe(2);
    expect(stdout).toContain('error     risk.dailyLossLimit: expected a positive number of dollars, got -5 (set it to e.g. 500)');
    expect(stdout).toContain("error     risk.dailyLosLimit: unknown setting — did you mean 'risk.dailyLossLimit'?");
    expect(stdout).toContain('0 critical, 2 errors, 0 warnings');
  });

  test('a live config with schema errors still shows its CRITICAL findings first, and the banner', async () => {
    const { code, stdout } = await run([yamlFile('mode: live\nib:\n  port: 4001\n  account: U1234567\nrisk:\n  dailyLosLimit: 3\n  maxContracts: many\n')]);
    const lines = stdout.split('\n');

    expect(code).toBe(2);
    expect(lines[0]).toContain('CRITICAL: this config can trade REAL MONEY');
    expect(lines[1]).toBe('CRITICAL  mode: LIVE trading: orders go to a real-money account');
    expect(stdout).toContain('CRITICAL  ib.port: 4001 is an IB LIVE port');
    expect(stdout).toContain('CRITICAL  ib.account: U1234567 is a LIVE account');
    expect(stdout).toContain("risk.dailyLosLimit: unknown setting");
    expect(stdout).toMatch(/3 critical, 2 errors/);
  });

  test('a mistyped mode with a live port is still flagged CRITICAL', async () => {
    const { stdout } = await run([yamlFile('mode: lvie\nib:\n  port: 7496\n')]);
    expect(stdout).toContain('CRITICAL  ib.port: 7496 is an IB LIVE port');
    expect(stdout).toContain("error     mode:");
  });

  test('2 for a YAML syntax error, naming the file', async () => {
    const path = yamlFile('risk:\n  maxDrawdown: [1000\n');
    const { code, stdout } = await run([path]);

    expect(code).toBe(2);
    expect(stdout).toContain('(file): YAML syntax error near line 2');
    expect(stdout).toContain(`${path}: INVALID`);
  });

  test('2 for a missing file, naming it', async () => {
    const path = join(dir, 'missing.yaml');
    const { code, stdout } = await run([path]);

    expect(code).toBe(2);
    expect(stdout).toContain('(file): file not found');
    expect(stdout).toContain(path);
  });

  test('2 for a usage mistake', async () => {
    const { code, stderr } = await run(['--verbose']);

    expect(code).toBe(2);
    expect(stderr).toStartWith('error: ');
  });
});

describe('--set', () => {
  test('overrides are applied before checking', async () => {
    const path = yamlFile('risk:\n  maxContracts: 3\n');

    expect((await run([path])).code).toBe(1);
    expect((await run([path, '--set', 'risk.maxContracts=2'])).code).toBe(0);
  });

  test('an unknown path is an error naming the closest', async () => {
    const { code, stdout } = await run(['--set', 'risk.maxContract=2']);

    expect(code).toBe(2);
    expect(stdout).toContain("risk.maxContract: unknown setting — did you mean 'risk.maxContracts'?");
  });

  test('a bad value is an error marked as coming from --set', async () => {
    const { code, stdout } = await run(['--set', 'ib.port=gateway']);

    expect(code).toBe(2);
    expect(stdout).toContain("ib.port: expected a port number from 1 to 65535, got 'gateway' (set it to e.g. 4002) (from --set)");
  });

  test('a --set without = is a usage error', async () => {
    const { code, stderr } = await run(['--set', 'risk.maxContracts']);

    expect(code).toBe(2);
    expect(stderr).toContain('--set expects name=value');
  });
});

describe('--json', () => {
  test('prints the findings and the exit code as JSON', async () => {
    const { code, stdout } = await run([yamlFile(LIVE), '--json']);
    const report = JSON.parse(stdout);

    expect(code).toBe(1);
    expect(report.exitCode).toBe(1);
    expect(report.mode).toBe('live');
    expect(report.counts).toEqual({ critical: 3, error: 0, warning: 0 });
    expect(report.issues[0]).toEqual({ level: 'critical', path: 'mode', message: 'LIVE trading: orders go to a real-money account' });
  });

  test('reports schema errors in JSON too', async () => {
    const { code, stdout } = await run([yamlFile('mode: real\n'), '--json']);
    const report = JSON.parse(stdout);

    expect(code).toBe(2);
    expect(report.ok).toBe(false);
    expect(report.issues.map((i: { path: string }) => i.path)).toEqual(['mode']);
  });
});

describe('secrets', () => {
  test('are read from the environment and never printed', async () => {
    const dashboard = 'DASHSECRET9-Zq3vN8pL2mXr7TcW9yKb4HsJ6';
    const bot = '123456:BOT-SECRET-VALUE';
    const path = yamlFile(`mode: paper\nweb:\n  host: 0.0.0.0\nib:\n  account: ${dashboard}\ntelegram:\n  enabled: true\n  allowedUserIds: [1]\n  allowedChatIds: [1]\n`);

    const { code, stdout, stderr } = await run([path], { QS_DASHBOARD_TOKEN: dashboard, TELEGRAM_BOT_TOKEN: bot });

    // The tokens count as set (no "needs a token" errors) ...
    expect(stdout).not.toContain('QS_DASHBOARD_TOKEN');
    expect(stdout).not.toContain('TELEGRAM_BOT_TOKEN');
    // ... the account equal to the token is still reported (a live account in paper mode) ...
    expect(code).toBe(2);
    expect(stdout).toContain('error     ib.account:');
    // ... but no token value is ever printed.
    expect(stdout + stderr).not.toContain(dashboard);
    expect(stdout + stderr).not.toContain('BOT-SECRET');
  });

  test('a missing token is reported by its variable name', async () => {
    const { code, stdout } = await run([yamlFile('web:\n  host: 0.0.0.0\n')]);

    expect(code).toBe(2);
    expect(stdout).toContain('QS_DASHBOARD_TOKEN');
  });
});
