import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { defaultConfig, LIVE_CONFIRMATION, settingPaths } from '../../src/config/schema.ts';

const configDir = join(import.meta.dir, '../../config');
const example = join(configDir, 'config.example.yaml');
const paperExample = join(configDir, 'paper.example.yaml');

function has(raw: unknown, path: string): boolean {
  let node = raw;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

describe('config.example.yaml', () => {
  test('validates with zero issues', () => {
    expect(loadConfig({ path: example, env: {} }).issues).toEqual([]);
  });

  test('shows exactly the defaults, so it documents them truthfully', () => {
    expect(loadConfig({ path: example, env: {} }).config).toEqual(defaultConfig());
  });

  test('writes out every setting (liveConfirm as a comment, since setting it outside live mode is warned about)', () => {
    const text = readFileSync(example, 'utf8');
    const raw = Bun.YAML.parse(text);

    const missing = settingPaths().filter((p) => p !== 'liveConfirm' && !has(raw, p));

    expect(missing).toEqual([]);
    expect(text).toContain(`# liveConfirm: ${LIVE_CONFIRMATION}`);
  });

  test('names the environment variables that hold the secrets', () => {
    const text = readFileSync(example, 'utf8');

    expect(text).toContain('QS_DASHBOARD_TOKEN');
    expect(text).toContain('TELEGRAM_BOT_TOKEN');
  });
});

describe('paper.example.yaml', () => {
  test('validates with no errors', () => {
    const { issues } = loadConfig({ path: paperExample, env: {} });

    expect(issues.filter((i) => i.level !== 'warning')).toEqual([]);
  });

  test('is a paper config against a local gateway with a DU account', () => {
    const { config } = loadConfig({ path: paperExample, env: {} });

    expect(config.mode).toBe('paper');
    expect(config.ib.host).toBe('127.0.0.1');
    expect(config.ib.port).toBe(4002);
    expect(config.ib.account).toMatch(/^DU\d+$/);
  });
});

describe('the example configs tell the user the right file names', () => {
  test('every "validate-config config/X" step names a file that exists or an earlier step copies', () => {
    for (const name of ['paper.example.yaml', 'config.example.yaml']) {
      const text = readFileSync(join(import.meta.dir, '../../config', name), 'utf8');
      const copied = [...text.matchAll(/cp \S+ (config\/\S+\.yaml)/g)].map((m) => m[1]);
      for (const [, file] of text.matchAll(/validate-config (config\/\S+\.yaml)/g)) {
        expect(existsSync(join(import.meta.dir, '../..', file!)) || copied.includes(file)).toBe(true);
      }
    }
  });
});

describe('the native build', () => {
  test('prints no napi-derive WARNING (type-def is off on purpose)', () => {
    const r = Bun.spawnSync(['bun', join(import.meta.dir, '../../native/build.ts')], { stdout: 'pipe', stderr: 'pipe' });
    expect(r.exitCode).toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toContain('WARNING');
  }, 600_000);
});
