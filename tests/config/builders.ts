import { defaultConfig, type Config } from '../../src/config/schema.ts';

type Patch<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? Patch<T[K]> : T[K] };

/**
 * The default config with `patch` merged in, without validation — so safety rules can be tested
 * on values the schema would already reject (a zero stop, say) as well as on valid ones.
 */
export function configWith(patch: Patch<Config>): Config {
  return merge(defaultConfig(), patch) as Config;
}

function merge(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = merge(base[k], v);
  return out;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
