import { ConfigError, type Issue } from '../config/errors.ts';
import { loadConfig } from '../config/load.ts';
import { keyValues, parseCommand, runMain, UsageError } from './args.ts';

/**
 * Checks a config the way the service would load it and prints every finding.
 * Exit code: 0 clean, 1 warnings only (critical counts here, but is printed first and loudest),
 * 2 any error — so a deploy script can refuse to start on 2 and ask a human on 1.
 */

const spec = {
  name: 'validate-config',
  summary: 'check a config file: schema, safety rules and LIVE-trading detection',
  usage: 'bun run validate-config [FILE] [--set path=value]... [--json]',
  help: {
    set: 'override a setting, e.g. --set risk.dailyLossLimit=750 (repeatable)',
    json: 'print the findings as JSON',
  },
  options: {
    set: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  positionals: true,
} as const;

const LEVEL_ORDER: Record<Issue['level'], number> = { critical: 0, error: 1, warning: 2 };

export function exitCode(issues: readonly Issue[]): 0 | 1 | 2 {
  if (issues.some((i) => i.level === 'error')) return 2;
  return issues.length > 0 ? 1 : 0;
}

async function main(argv: string[]): Promise<number | void> {
  const args = parseCommand(spec, argv);
  if (args === null) return 0;
  if (args.positionals.length > 1) throw new UsageError(`expected at most one config file, got ${args.positionals.length}: ${args.positionals.join(' ')}`);
  const path = args.positionals[0];
  const overrides = keyValues('set', args.values.set);

  let source = path ?? 'built-in defaults';
  let issues: Issue[];
  let mode: string | undefined;
  try {
    const loaded = loadConfig({ ...(path !== undefined && { path }), overrides });
    ({ issues, source } = loaded);
    mode = loaded.config.mode;
  } catch (e) {
    // Schema, YAML and file problems are findings like any other here, not a crash.
    if (!(e instanceof ConfigError)) throw e;
    source = e.source;
    issues = [...e.issues];
  }
  issues.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
  const code = exitCode(issues);

  if (args.values.json) {
    process.stdout.write(`${JSON.stringify({ source, mode: mode ?? null, ok: code === 0, exitCode: code, counts: counts(issues), issues }, null, 2)}\n`);
  } else {
    process.stdout.write(report(source, mode, issues, code));
  }
  return code;
}

function counts(issues: readonly Issue[]): Record<Issue['level'], number> {
  return { critical: issues.filter((i) => i.level === 'critical').length, error: issues.filter((i) => i.level === 'error').length, warning: issues.filter((i) => i.level === 'warning').length };
}

function report(source: string, mode: string | undefined, issues: readonly Issue[], code: number): string {
  const labels = { critical: 'CRITICAL', error: 'error', warning: 'warning' } as const;
  const lines = issues.map((i) => `${labels[i.level].padEnd(8)}  ${i.path === '' ? '(file)' : i.path}: ${i.message}`);
  const c = counts(issues);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const verdict = code === 2 ? 'INVALID — fix the errors before running' : code === 1 ? 'valid, with warnings' : 'valid';
  const summary = `${source}${mode ? ` (mode ${mode})` : ''}: ${verdict} — ${c.critical} critical, ${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}`;
  const banner = c.critical > 0 ? '!!! CRITICAL: this config can trade REAL MONEY — read the lines marked CRITICAL !!!\n' : '';
  return `${banner}${lines.map((l) => `${l}\n`).join('')}${lines.length > 0 ? '\n' : ''}${summary}\n`;
}

if (import.meta.main) await runMain(main);
