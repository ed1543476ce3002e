import * as v from 'valibot';
import { bollingerStrategy } from './bollinger.ts';
import { rsiStrategy } from './rsi.ts';
import type { StrategyDefinition, StrategyParams } from './types.ts';
import { zscoreStrategy } from './zscore.ts';

/** Every strategy by name. A new strategy is one file plus one line here. */
export const STRATEGIES: Readonly<Record<string, StrategyDefinition>> = {
  [zscoreStrategy.name]: zscoreStrategy,
  [bollingerStrategy.name]: bollingerStrategy,
  [rsiStrategy.name]: rsiStrategy,
};

export class StrategyError extends Error {
  override name = 'StrategyError';
}

export function getStrategy(name: string): StrategyDefinition {
  const def = STRATEGIES[name];
  if (!def) throw new StrategyError(`unknown strategy '${name}'; known: ${Object.keys(STRATEGIES).join(', ')}`);
  return def;
}

/** Validates raw parameters against the strategy's schema and cross-checks; throws a message naming each bad one. */
export function resolveParams(def: StrategyDefinition, raw: Record<string, unknown>): StrategyParams {
  const parsed = v.safeParse(def.schema, raw);
  if (!parsed.success) {
    const lines = parsed.issues.map((i) => {
      const key = v.getDotPath(i) ?? (i.kind === 'schema' && i.type === 'strict_object' ? String(i.input) : '?');
      const known = Object.keys(def.defaults).join(', ');
      return i.type === 'strict_object' ? `unknown parameter '${key}' (known: ${known})` : `parameter ${key}: ${i.message}`;
    });
    throw new StrategyError(`${def.name}: ${lines.join('; ')}`);
  }
  const problems = def.check(parsed.output);
  if (problems.length > 0) throw new StrategyError(`${def.name}: ${problems.map((p) => `parameter ${p.param}: ${p.message}`).join('; ')}`);
  return parsed.output;
}
