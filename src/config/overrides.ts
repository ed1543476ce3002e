import { closest, type Issue } from './errors.ts';
import { lookupSetting, settingPaths, unknownKeyMessage } from './schema.ts';

/**
 * `--set risk.dailyLossLimit=750` overrides, applied to the raw YAML before validation so an
 * overridden value gets exactly the same checks (and messages) as one written in the file.
 */

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

export interface Overridden {
  /** A copy of the raw config with the overrides written in; the input is not modified. */
  readonly raw: unknown;
  readonly issues: Issue[];
  /** The paths that were set, so later messages can say a bad value came from --set. */
  readonly paths: string[];
}

export function applyOverrides(raw: unknown, overrides: ReadonlyArray<readonly [string, string]>): Overridden {
  const root: unknown = raw === null || raw === undefined ? {} : structuredClone(raw);
  const issues: Issue[] = [];
  const paths: string[] = [];
  for (const [path, text] of overrides) {
    const segments = path.split('.');
    const problem = pathProblem(segments);
    if (problem !== undefined) {
      issues.push({ level: 'error', path, message: `${problem} (in --set ${path}=…)` });
      continue;
    }
    paths.push(path);
    setIn(root, segments, parseValue(segments, text));
  }
  return { raw: root, issues, paths };
}

/** Why `segments` is not a single settable value, or undefined when it is. */
function pathProblem(segments: readonly string[]): string | undefined {
  if (segments.some((s) => s === '')) return `'${segments.join('.')}' is not a setting path; write it like risk.dailyLossLimit`;
  // Written into a plain object these would change its prototype rather than set anything.
  const reserved = segments.find((s) => RESERVED.has(s));
  if (reserved !== undefined) return `'${reserved}' cannot be a name here (JavaScript reserves it on every object)`;
  const found = lookupSetting(segments);
  if (found.found) {
    if (found.kind !== 'section') return undefined;
    const example = settingPaths().find((p) => p.startsWith(`${segments.join('.')}.`)) ?? `${segments.join('.')}.<name>`;
    return `is a section, not a value; set one of its keys, e.g. ${example}=…`;
  }
  const parent = segments.slice(0, found.depth);
  const parentLookup = lookupSetting(parent);
  if (found.depth > 0 && parentLookup.found && parentLookup.kind !== 'section') {
    return `${parent.join('.')} is a single value and has no '${segments[found.depth]}' inside it`;
  }
  // The whole path is the better match when it is close: `rsik.dailyLossLimit` → `risk.dailyLossLimit`.
  const near = closest(segments.join('.'), settingPaths());
  if (near !== undefined) return `unknown setting — did you mean '${near}'?`;
  return unknownKeyMessage(segments[found.depth] ?? '', parent);
}

/** Text for text settings; lists as comma-separated items; otherwise number or boolean when it looks like one. */
function parseValue(segments: readonly string[], text: string): unknown {
  const found = lookupSetting(segments);
  const kind = found.found ? found.kind : 'value';
  if (kind === 'text') return text;
  if (kind === 'list') {
    const body = text.replace(/^\[(.*)\]$/s, '$1').trim();
    return body === '' ? [] : body.split(',').map((item) => scalar(item.trim()));
  }
  return scalar(text);
}

function scalar(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  // Left as text: the schema then reports "expected a number, got 'abc'" with the path.
  return text;
}

function setIn(root: unknown, segments: readonly string[], value: unknown): void {
  let node = root;
  for (const key of segments.slice(0, -1)) {
    if (!isPlainObject(node)) return;
    const child = node[key];
    // A section left empty in YAML (`risk:`) is null; a section of the wrong type is left for the schema to report.
    if (child === null || child === undefined) node[key] = {};
    node = node[key];
  }
  if (isPlainObject(node)) node[segments.at(-1)!] = value;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
