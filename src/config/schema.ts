import * as v from 'valibot';
import { isOnGrid } from '../domain/money.ts';
import { DEFAULT_ENGINE_SETTINGS as ENGINE } from '../engine/settings.ts';
import { closest, ConfigError, show, suggestion, type Issue } from './errors.ts';

/**
 * The whole config. Every key has a default, so an empty file (or none) is a valid `sim` config.
 * Objects are strict: a misspelt key must fail loudly, never fall back silently to a default
 * that trades differently from what the operator wrote.
 * Secrets (dashboard and bot tokens) are deliberately absent: they come from the environment.
 */

type Message = (issue: v.BaseIssue<unknown>) => string;

/** Keys a plain object treats specially; valibot's record silently drops them. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** "expected …, got …, (set it to e.g. …)" — the fix is always the default or a typical value. */
const expecting =
  (what: string, example: unknown): Message =>
  (issue) =>
    `expected ${what}, got ${show(issue.input)} (set it to e.g. ${show(example)})`;

interface NumberRule {
  readonly integer?: boolean;
  readonly min?: number;
  /** Exclusive lower bound: "positive" is `above: 0`. */
  readonly above?: number;
  readonly max?: number;
  /** On the MES 0.25 price grid. */
  readonly onGrid?: boolean;
}

function number(fallback: number, what: string, rule: NumberRule = {}) {
  const message = expecting(what, fallback);
  const ok = (n: number) =>
    Number.isFinite(n) &&
    (!rule.integer || Number.isSafeInteger(n)) &&
    (rule.min === undefined || n >= rule.min) &&
    (rule.above === undefined || n > rule.above) &&
    (rule.max === undefined || n <= rule.max) &&
    (!rule.onGrid || isOnGrid(n));
  return v.optional(v.pipe(v.number(message), v.check(ok, message)), fallback);
}

const dollars = (fallback: number, what = 'a positive number of dollars') => number(fallback, what, { above: 0 });
const count = (fallback: number, what: string) => number(fallback, what, { integer: true, min: 1 });
const port = (fallback: number, min: number) =>
  number(fallback, `a port number from ${min} to 65535`, { integer: true, min, max: 65_535 });

function text(fallback: string, what: string, valid: (s: string) => boolean = (s) => s.trim() !== '', example = fallback) {
  const message = expecting(what, example);
  return v.optional(v.pipe(v.string(message), v.check(valid, message)), fallback);
}

function choice<const T extends readonly [string, ...string[]]>(options: T, fallback: T[number]) {
  const message: Message = (issue) =>
    `expected one of ${options.map(show).join(', ')}, got ${show(issue.input)}` +
    (typeof issue.input === 'string' && closest(issue.input, options) !== undefined
      ? ` — did you mean ${show(closest(issue.input, options))}?`
      : ` (set it to e.g. ${show(fallback)})`);
  return v.optional(v.picklist(options, message), fallback);
}

function integerList(noun: string, what: string, valid: (n: number) => boolean) {
  const message = expecting(what, 123456789);
  const item = v.pipe(v.number(message), v.check((n) => Number.isSafeInteger(n) && valid(n), message));
  return v.nullish(v.array(item, (issue) => `expected a list of ${noun}s like [123456789], got ${show(issue.input)}`), () => []);
}

/** A section; written but left empty in YAML (`risk:`) it parses as null and means "all defaults". */
const section = <const E extends v.ObjectEntries>(entries: E) => v.nullish(v.strictObject(entries), {} as v.InferInput<v.StrictObjectSchema<E, undefined>>);

const host = (fallback: string) => text(fallback, 'a host name or IP address', (s) => /^[^\s/]+$/.test(s));
const minutes = (fallback: number) => count(fallback, 'a whole number of minutes ≥ 1');

export const LIVE_CONFIRMATION = 'I understand this trades real money';
export const MODES = ['sim', 'paper', 'live'] as const;
export const ALERT_KINDS = ['fills', 'trades', 'breaker', 'connection', 'escalation', 'dailySummary'] as const;
const alertSetting = () => choice(['on', 'silent', 'off'], 'on');

export const ConfigSchema = v.strictObject({
  mode: choice(MODES, 'sim'),
  /** Checked against LIVE_CONFIRMATION by the safety rules, which know the mode. */
  liveConfirm: v.optional(v.string(expecting('the exact sentence', LIVE_CONFIRMATION))),
  trading: section({
    // Tick size, tick value and the contract roll are MES-specific throughout; not a typo check.
    symbol: v.optional(v.picklist(['MES'], expecting("'MES' (the only instrument supported)", 'MES')), 'MES'),
    contracts: count(ENGINE.contracts, 'a whole number of contracts ≥ 1'),
    strategy: text('zscore', 'a strategy name', (s) => /^[a-z][a-z0-9-]*$/.test(s)),
    // Strategy-specific; the strategy registry checks names and ranges.
    params: v.nullish(
      v.record(v.string(), v.pipe(v.number(expecting('a number', 20)), v.check((n: number) => Number.isFinite(n), expecting('a finite number', 20)))),
      () => ({}),
    ),
    barMinutes: minutes(1),
    shutdownPolicy: choice(['keep', 'flatten'], 'keep'),
  }),
  risk: section({
    maxContracts: count(ENGINE.maxContracts, 'a whole number of contracts ≥ 1'),
    stopLossPerContract: dollars(ENGINE.stopLossPerContract, 'a positive number of dollars per contract'),
    takeProfitPerContract: dollars(ENGINE.takeProfitPerContract, 'a positive number of dollars per contract'),
    maxHoldMinutes: minutes(ENGINE.maxHoldMinutes),
    dailyLossLimit: dollars(ENGINE.dailyLossLimit),
    consecutiveLossLimit: count(ENGINE.consecutiveLossLimit, 'a whole number of losing trades ≥ 1'),
    consecutiveLossPauseMinutes: minutes(ENGINE.consecutiveLossPauseMinutes),
    maxDrawdown: dollars(ENGINE.maxDrawdown),
    // manual: a drawdown halt lasts until an operator resets (a backtest: the rest of the run);
    // session: it clears at the next CME session with the peak re-based. Backtest and live alike.
    drawdownReset: choice(['manual', 'session'], ENGINE.drawdownReset),
  }),
  backtest: section({
    slippageTicks: number(ENGINE.slippageTicks, 'a whole number of ticks ≥ 0', { integer: true, min: 0 }),
    commissionPerContract: number(ENGINE.commissionPerContract, 'a number of dollars ≥ 0 per contract per side', { min: 0 }),
    initialCapital: dollars(ENGINE.initialCapital),
  }),
  store: section({
    // A directory (`/`, `data/`, `.`) would pass a non-empty check and fail only at start, or worse.
    path: text('data/quant-scalper.db', 'a file path for the SQLite database (a file, not a directory)', (s) => s.trim() !== '' && !/[/\\]\s*$/.test(s) && !/(^|[/\\])\.{1,2}$/.test(s.trim())),
  }),
  web: section({
    host: host('127.0.0.1'),
    // 0 asks the OS for a free port (tests, side-by-side instances).
    port: port(3000, 0),
  }),
  sim: section({
    barIntervalMs: number(250, 'a whole number of milliseconds ≥ 1', { integer: true, min: 1 }),
    seed: number(7, 'a whole number', { integer: true }),
    regime: choice(['bullish', 'bearish', 'sideways', 'volatile', 'switching'], 'switching'),
    // MES prices live on the 0.25 grid; an off-grid start would put every simulated price off it.
    startPrice: number(5000, 'a positive price on the 0.25 tick grid', { above: 0, onGrid: true }),
  }),
  ib: section({
    host: host('127.0.0.1'),
    port: port(4002, 1),
    clientId: number(1, 'a whole number ≥ 0', { integer: true, min: 0 }),
    account: text('', "an IB account id in capitals like 'DU1234567' (or '' for the gateway's account)", (s) => /^[A-Z0-9]*$/.test(s), 'DU1234567'),
    rollDaysBeforeExpiry: number(8, 'a whole number of days from 0 to 60', { integer: true, min: 0, max: 60 }),
    // A position still open in the contract being rolled away from. Only 'close' for now: rolling
    // the position into the next contract is not offered (the bot never holds two contracts).
    expiringPosition: choice(['close'], 'close'),
    // The close deadline: hours before the contract stops trading (09:30 New York on its last
    // trading day); 24 = 09:30 New York the day before, in regular hours with a day to spare.
    closeHoursBeforeExpiry: number(24, 'a whole number of hours from 0 to 1440', { integer: true, min: 0, max: 1440 }),
    connectTimeoutMs: number(10_000, 'a whole number of milliseconds ≥ 1', { integer: true, min: 1 }),
    staleDataSeconds: number(120, 'a whole number of seconds ≥ 1', { integer: true, min: 1 }),
  }),
  telegram: section({
    enabled: v.optional(v.boolean(expecting('true or false', false)), false),
    allowedUserIds: integerList('Telegram user id', 'a Telegram user id (a positive whole number)', (n) => n > 0),
    allowedChatIds: integerList('Telegram chat id', 'a Telegram chat id (a non-zero whole number)', (n) => n !== 0),
    apiRoot: text('https://api.telegram.org', 'an http(s) URL', (s) => URL.canParse(s) && /^https?:\/\//.test(s)),
    alerts: section(Object.fromEntries(ALERT_KINDS.map((k) => [k, alertSetting()])) as Record<(typeof ALERT_KINDS)[number], ReturnType<typeof alertSetting>>),
  }),
  log: section({
    level: choice(['debug', 'info', 'warn', 'error'], 'info'),
  }),
});

/** The fully defaulted config the rest of the program reads. */
export type Config = v.InferOutput<typeof ConfigSchema>;
export type AlertKind = (typeof ALERT_KINDS)[number];
export type AlertSetting = Config['telegram']['alerts'][AlertKind];

export type ValidationResult = { readonly ok: true; readonly config: Config } | { readonly ok: false; readonly issues: Issue[] };

/** Validates without throwing, so a caller can merge these issues with its own. */
export function validateConfig(raw: unknown): ValidationResult {
  // An empty YAML file parses as null: that is the all-defaults config, not an error.
  const input = raw ?? {};
  const result = v.safeParse(ConfigSchema, input, { abortPipeEarly: true });
  const structure = structureIssues(input, []);
  if (result.success && structure.length === 0) return { ok: true, config: result.output };
  // valibot reports only the first unknown key of an object; structureIssues reports all of them.
  const typed = (result.issues ?? []).filter((i) => !(i.type === 'strict_object' && i.expected === 'never')).map(toIssue);
  return { ok: false, issues: [...typed, ...structure] };
}

/** Validates `raw` (parsed YAML) and fills defaults; throws ConfigError naming every problem. */
export function parseConfig(raw: unknown, source: string): Config {
  const result = validateConfig(raw);
  if (!result.ok) throw new ConfigError(source, result.issues);
  return result.config;
}

export function defaultConfig(): Config {
  return parseConfig({}, 'defaults');
}

function toIssue(issue: v.BaseIssue<unknown>): Issue {
  const path = formatPath((issue.path ?? []).map((p) => p.key as string | number));
  if (issue.type === 'strict_object' || issue.type === 'record') return sectionIssue(path, issue.input);
  return { level: 'error', path, message: issue.message };
}

function sectionIssue(path: string, input: unknown): Issue {
  const where = path === '' ? 'the config file' : path;
  return { level: 'error', path, message: `expected ${where} to be a section of 'key: value' lines, got ${show(input)}` };
}

/** Unknown keys (all of them) and lists written where a section belongs, which valibot lets through. */
function structureIssues(raw: unknown, path: readonly string[]): Issue[] {
  const found = resolve(path);
  if (!('schema' in found) || (found.schema.type !== 'strict_object' && found.schema.type !== 'record')) return [];
  if (Array.isArray(raw)) return [sectionIssue(formatPath(path), raw)];
  if (raw === null || typeof raw !== 'object') return [];
  // valibot's record drops these keys without a word; a parameter the operator wrote must never vanish.
  const reserved = Object.keys(raw)
    .filter((k) => RESERVED_KEYS.has(k))
    .map((k) => ({ level: 'error' as const, path: formatPath([...path, k]), message: `'${k}' cannot be a name here (JavaScript reserves it on every object); remove it` }));
  const entries = found.schema.entries;
  if (!entries) return reserved;
  return Object.entries(raw).flatMap(([key, value]) =>
    Object.hasOwn(entries, key) && !RESERVED_KEYS.has(key)
      ? structureIssues(value, [...path, key])
      : [{ level: 'error' as const, path: formatPath([...path, key]), message: unknownKeyMessage(key, path) }],
  );
}

function formatPath(keys: ReadonlyArray<string | number>): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** Why `parent.key` is not a setting, with the closest real one. Never echoes the value: it may be a secret. */
export function unknownKeyMessage(key: string, parent: readonly string[]): string {
  if (/token|secret|password|api.?key/i.test(key)) {
    const env = parent[0] === 'telegram' ? 'TELEGRAM_BOT_TOKEN' : parent[0] === 'web' ? 'QS_DASHBOARD_TOKEN' : 'QS_DASHBOARD_TOKEN or TELEGRAM_BOT_TOKEN';
    return `unknown setting: secrets are never read from the config file; remove it and set ${env} in the environment`;
  }
  const siblings = keysAt(parent);
  const prefix = parent.map((p) => `${p}.`).join('');
  const near = suggestion(key, siblings, prefix);
  if (near.startsWith(' — ')) return `unknown setting${near}`;
  // A key written at the wrong level (`dailyLossLimit:` at the top) is found by its last segment.
  const elsewhere = settingPaths().filter((p) => p.split('.').at(-1)?.toLowerCase() === key.toLowerCase());
  if (elsewhere.length > 0) return `unknown setting here — did you mean ${elsewhere.map((p) => `'${p}'`).join(' or ')}?`;
  return `unknown setting; remove it${near}`;
}

// ── Introspection: what paths exist, for suggestions and `--set` overrides ───────────────────

type AnySchema = v.GenericSchema & { wrapped?: AnySchema; entries?: Record<string, AnySchema>; value?: AnySchema };

function unwrap(schema: AnySchema): AnySchema {
  return schema.wrapped ? unwrap(schema.wrapped) : schema;
}

export type SettingKind = 'section' | 'text' | 'list' | 'value';
export type Lookup = { readonly found: true; readonly kind: SettingKind } | { readonly found: false; readonly depth: number };

/** The schema at `path`, or the index of the first segment that names nothing. */
function resolve(path: readonly string[]): { schema: AnySchema } | { depth: number } {
  let schema = ConfigSchema as unknown as AnySchema;
  for (const [depth, key] of path.entries()) {
    schema = unwrap(schema);
    if (schema.type === 'record' && schema.value) schema = schema.value;
    else if (schema.type === 'strict_object' && schema.entries && Object.hasOwn(schema.entries, key)) schema = schema.entries[key]!;
    else return { depth };
  }
  return { schema: unwrap(schema) };
}

/** What kind of setting `path` names, or where the path stops matching. */
export function lookupSetting(path: readonly string[]): Lookup {
  const found = resolve(path);
  if (!('schema' in found)) return { found: false, depth: found.depth };
  const type = found.schema.type;
  const kind: SettingKind =
    type === 'strict_object' || type === 'record' ? 'section' : type === 'array' ? 'list' : type === 'string' || type === 'picklist' ? 'text' : 'value';
  return { found: true, kind };
}

function keysAt(path: readonly string[]): string[] {
  const found = resolve(path);
  return 'schema' in found ? Object.keys(found.schema.entries ?? {}) : [];
}

/** Every settable leaf path (`risk.dailyLossLimit`); strategy params are free-form and not listed. */
export function settingPaths(): string[] {
  const walk = (schema: AnySchema, prefix: string): string[] => {
    const s = unwrap(schema);
    if (s.type !== 'strict_object' || !s.entries) return s.type === 'record' ? [] : [prefix];
    return Object.entries(s.entries).flatMap(([k, child]) => walk(child, prefix === '' ? k : `${prefix}.${k}`));
  };
  return walk(ConfigSchema as unknown as AnySchema, '');
}
