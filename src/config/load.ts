import { readFileSync } from 'node:fs';
import { ConfigError, type Issue } from './errors.ts';
import { applyOverrides } from './overrides.ts';
import { checkSafety, liveFindingsFromRaw, type ExtraCheck, type Secrets } from './safety.ts';
import { defaultConfig, validateConfig, type Config } from './schema.ts';
import { checkStrategyConfig } from './strategy-check.ts';

export interface LoadOptions {
  /** YAML file; without one the built-in defaults apply (a `sim` config). */
  readonly path?: string;
  /** `--set path=value` pairs, applied on top of the file. */
  readonly overrides?: ReadonlyArray<readonly [string, string]>;
  /** Where secrets come from; defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** More checks, run after the safety rules and the strategy-parameter checks. */
  readonly extraChecks?: ExtraCheck;
}

export interface LoadedConfig {
  readonly config: Config;
  readonly secrets: Secrets;
  /** Safety findings (critical / error / warning); the caller decides whether errors stop it. */
  readonly issues: Issue[];
  /** The file name, or a note that defaults were used: for messages. */
  readonly source: string;
}

export const SECRET_ENV = { dashboardToken: 'QS_DASHBOARD_TOKEN', telegramBotToken: 'TELEGRAM_BOT_TOKEN' } as const;

/**
 * File → overrides → schema → safety rules. Throws ConfigError with every problem that makes the
 * config unusable (unreadable file, YAML syntax, duplicate keys, bad --set, schema errors).
 */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const secrets = readSecrets(options.env ?? process.env);
  const source = options.path ?? 'built-in defaults';
  const file = options.path === undefined ? { raw: {}, issues: [] } : readYamlFile(options.path);
  const overridden = applyOverrides(file.raw, options.overrides ?? []);
  const result = validateConfig(overridden.raw);
  const fromSet = (path: string) => overridden.paths.some((p) => path === p || path.startsWith(`${p}[`));
  const schemaIssues = result.ok ? [] : result.issues.map((i) => (fromSet(i.path) ? { ...i, message: `${i.message} (from --set)` } : i));
  const problems = [...file.issues, ...overridden.issues, ...schemaIssues];
  // Whatever else is wrong, a config that would trade real money says so first.
  if (problems.length > 0 || !result.ok) throw new ConfigError(source, scrub([...liveFindingsFromRaw(overridden.raw, defaultConfig()), ...problems], secrets));
  const extra = options.extraChecks;
  const checks = (c: Config) => [...checkStrategyConfig(c), ...(extra?.(c) ?? [])];
  const issues = scrub(checkSafety(result.config, secrets, checks), secrets);
  return { config: result.config, secrets, issues, source };
}

export function readSecrets(env: Readonly<Record<string, string | undefined>>): Secrets {
  // An empty variable (`QS_DASHBOARD_TOKEN=`) is a forgotten value, not a token.
  const get = (name: string) => (env[name]?.trim() ? env[name] : undefined);
  const dashboardToken = get(SECRET_ENV.dashboardToken);
  const telegramBotToken = get(SECRET_ENV.telegramBotToken);
  return { ...(dashboardToken && { dashboardToken }), ...(telegramBotToken && { telegramBotToken }) };
}

/** Defence in depth: no message may carry a secret, even one the user pasted into a wrong field. */
function scrub(issues: Issue[], secrets: Secrets): Issue[] {
  // Very short values would mangle ordinary text and are not real tokens.
  const values = Object.values(secrets).filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return issues.map((i) => ({ ...i, message: values.reduce((m, s) => m.split(s).join('***'), i.message) }));
}

function readYamlFile(path: string): { raw: unknown; issues: Issue[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found (check the path, or give no file to run sim with the defaults)' : `cannot read the file (${code ?? String(e)})`;
    throw new ConfigError(path, [{ level: 'error', path: '', message: why }]);
  }
  let raw: unknown;
  try {
    raw = Bun.YAML.parse(text);
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).replace(/^YAML Parse error:\s*/i, '');
    throw new ConfigError(path, [{ level: 'error', path: '', message: `YAML syntax error near line ${syntaxErrorLine(text)}: ${reason}` }]);
  }
  return { raw, issues: duplicateKeys(text) };
}

/**
 * Bun's YAML errors carry no position. The error is on the first line whose prefix no longer
 * parses: a binary search between a prefix that parses (none at all) and one that fails (the whole
 * file) needs about log2(lines) parses, so a 400 KB file costs milliseconds, not seconds.
 */
export function syntaxErrorLine(text: string): number {
  const lines = text.split('\n');
  const parses = (n: number) => {
    try {
      Bun.YAML.parse(lines.slice(0, n).join('\n'));
      return true;
    } catch {
      return false;
    }
  };
  let good = 0;
  let bad = lines.length;
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    if (parses(mid)) good = mid;
    else bad = mid;
  }
  return bad;
}

/**
 * YAML keeps the last of two equal keys without a word. In a trading config that silently drops
 * a limit the operator wrote, so block-style duplicates are reported (flow style `{a: 1}` is not scanned).
 */
function duplicateKeys(text: string): Issue[] {
  const issues: Issue[] = [];
  const stack: Array<{ indent: number; prefix: string; seen: Map<string, number> }> = [{ indent: 0, prefix: '', seen: new Map() }];
  let lastPath = '';
  text.split('\n').forEach((line, index) => {
    const m = /^( *)([A-Za-z_][\w-]*|"[^"]*"|'[^']*')[ \t]*:(?:[ \t]|$)/.exec(line);
    if (!m) return;
    const indent = m[1]!.length;
    const key = m[2]!.replace(/^["']|["']$/g, '');
    while (stack.length > 1 && indent < stack.at(-1)!.indent) stack.pop();
    if (indent > stack.at(-1)!.indent) stack.push({ indent, prefix: `${lastPath}.`, seen: new Map() });
    const frame = stack.at(-1)!;
    const path = `${frame.prefix}${key}`;
    const first = frame.seen.get(key);
    if (first !== undefined) issues.push({ level: 'error', path, message: `set twice (lines ${first} and ${index + 1}); YAML would keep only the last — delete one` });
    else frame.seen.set(key, index + 1);
    lastPath = path;
  });
  return issues;
}
