import { describe, expect, test } from 'bun:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig, syntaxErrorLine } from '../../src/config/load.ts';
import { validateConfig } from '../../src/config/schema.ts';
import { gridFlags } from '../../src/cli/research-inputs.ts';
import { getStrategy } from '../../src/strategy/registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'qs-hostile-'));
let n = 0;
const yamlFile = (text: string) => {
  const path = join(dir, `c${n++}.yaml`);
  writeFileSync(path, text);
  return path;
};
const issuesOf = (load: () => unknown) => {
  try {
    load();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('a YAML syntax error in a large file', () => {
  test('is located in a bounded number of parses: 400 KB in well under a second, on the right line', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `# padding line ${i} ${'x'.repeat(4)}`);
    const text = `risk:\n  dailyLossLimit: 300\n${lines.join('\n')}\nweb: [unclosed\n`;
    expect(text.length).toBeGreaterThan(400_000);
    const started = performance.now();
    const line = syntaxErrorLine(text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(line).toBe(20_003);
  });

  test('a small file still names the broken line', () => {
    expect(syntaxErrorLine('mode: sim\nrisk:\n  a: 1\n  b: [\n')).toBe(4);
    const path = yamlFile('mode: sim\nweb:\n  port: 3000\n  host: "unclosed\n');
    expect(issuesOf(() => loadConfig({ path, env: {} }))[0]).toContain('YAML syntax error near line 4');
  });
});

describe('keys JavaScript reserves on objects', () => {
  test.each(['__proto__', 'constructor', 'prototype'])('trading.params.%s in the file is an error naming it, never silently dropped', (key) => {
    const result = validateConfig(Bun.YAML.parse(`trading:\n  params:\n    ${key}: 1\n    lookback: 20\n`));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toEqual([`trading.params.${key}`]);
  });

  test('--set with a reserved segment is refused and changes nothing', () => {
    for (const path of ['trading.params.__proto__', '__proto__.polluted', 'risk.constructor']) {
      const issues = issuesOf(() => loadConfig({ overrides: [[path, '1']], env: {} }));
      expect(issues.join('\n')).toContain('cannot be a name here');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('--grid constructor=1 is an unknown parameter, not "given twice"', () => {
    const def = getStrategy('zscore');
    for (const key of ['constructor', '__proto__', 'toString']) {
      expect(() => gridFlags(def, [`${key}=1`])).toThrow(/unknown parameter for zscore/);
    }
    expect(gridFlags(def, ['lookback=10,20'])).toEqual({ lookback: [10, 20] });
  });
});

describe('store.path', () => {
  test.each(['/', 'data/', '.', '..', '/var/lib/'])("'%s' is a directory, so it is an error", (path) => {
    const issues = issuesOf(() => loadConfig({ overrides: [['store.path', path]], env: {} }));
    expect(issues[0]).toStartWith('store.path: expected a file path for the SQLite database (a file, not a directory)');
  });

  test('a file path passes', () => {
    expect(loadConfig({ overrides: [['store.path', '/var/lib/quant-scalper/qs.db']], env: {} }).config.store.path).toBe('/var/lib/quant-scalper/qs.db');
  });
});
