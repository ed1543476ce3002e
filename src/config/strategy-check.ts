import * as v from 'valibot';
import { STRATEGIES } from '../strategy/registry.ts';
import type { Issue } from './errors.ts';
import type { Config } from './schema.ts';

/** `trading.strategy` must be registered and `trading.params` must pass that strategy's schema and checks. */
export function checkStrategyConfig(config: Config): Issue[] {
  const { strategy, params } = config.trading;
  const def = STRATEGIES[strategy];
  if (!def) {
    return [{ level: 'error', path: 'trading.strategy', message: `unknown strategy '${strategy}' (known: ${Object.keys(STRATEGIES).join(', ')})` }];
  }
  const parsed = v.safeParse(def.schema, params);
  if (!parsed.success) {
    const known = Object.keys(def.defaults).join(', ');
    return parsed.issues.map((i) => {
      const key = v.getDotPath(i);
      return i.type === 'strict_object'
        ? { level: 'error', path: `trading.params.${String(i.input)}`, message: `not a parameter of ${strategy} (known: ${known})` }
        : { level: 'error', path: `trading.params.${key ?? ''}`, message: `${i.message} (got ${JSON.stringify(i.input)})` };
    });
  }
  return def.check(parsed.output).map((p) => ({ level: 'error', path: `trading.params.${p.param}`, message: p.message }));
}
