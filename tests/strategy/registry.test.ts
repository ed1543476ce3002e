import { describe, expect, test } from 'bun:test';
import { expandGrid } from '../../src/backtest/grid.ts';
import { getStrategy, resolveParams, STRATEGIES, StrategyError } from '../../src/strategy/registry.ts';

const zscore = getStrategy('zscore');
const rsi = getStrategy('rsi');

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('strategy registry', () => {
  test('lists zscore, bollinger and rsi by name', () => {
    expect(Object.keys(STRATEGIES)).toEqual(['zscore', 'bollinger', 'rsi']);
    for (const [name, def] of Object.entries(STRATEGIES)) expect(def.name).toBe(name);
  });

  test('an unknown strategy is a StrategyError naming it and listing the known ones', () => {
    const e = errorOf(() => getStrategy('macd'));
    expect(e).toBeInstanceOf(StrategyError);
    expect(e.message).toBe("unknown strategy 'macd'; known: zscore, bollinger, rsi");
  });

  test('no parameters give the defaults', () => {
    for (const def of Object.values(STRATEGIES)) expect(resolveParams(def, {})).toEqual(def.defaults);
    expect(resolveParams(zscore, {})).toEqual({ lookback: 20, entry: 2, exit: 0.5 });
    expect(resolveParams(rsi, {})).toEqual({ period: 14, oversold: 30, overbought: 70, exitLevel: 50 });
    expect(resolveParams(getStrategy('bollinger'), {})).toEqual({ period: 20, k: 2 });
  });

  test('given parameters override the defaults, the rest keep them', () => {
    expect(resolveParams(rsi, { period: 7 })).toEqual({ period: 7, oversold: 30, overbought: 70, exitLevel: 50 });
  });

  test('an unknown parameter is a StrategyError naming it and listing the known ones', () => {
    const e = errorOf(() => resolveParams(zscore, { window: 5 }));
    expect(e).toBeInstanceOf(StrategyError);
    expect(e.message).toBe("zscore: unknown parameter 'window' (known: lookback, entry, exit)");
    expect(errorOf(() => resolveParams(rsi, { level: 1 })).message).toBe("rsi: unknown parameter 'level' (known: period, oversold, overbought, exitLevel)");
  });

  test('a bad value names the parameter and what is wrong', () => {
    expect(errorOf(() => resolveParams(zscore, { lookback: 1.5 })).message).toContain('parameter lookback: lookback must be a whole number of bars');
    expect(errorOf(() => resolveParams(zscore, { entry: 0 })).message).toBe('zscore: parameter entry: entry must be above 0');
    expect(errorOf(() => resolveParams(rsi, { period: 1 })).message).toContain('rsi: parameter period:');
    expect(errorOf(() => resolveParams(getStrategy('bollinger'), { k: 0 })).message).toContain('bollinger: parameter k:');
  });

  test('every set of every default grid is valid', () => {
    for (const def of Object.values(STRATEGIES)) {
      const sets = expandGrid(def.defaultGrid, def.defaults);
      expect(sets.length).toBeGreaterThan(1);
      for (const p of sets) expect(() => resolveParams(def, p)).not.toThrow();
    }
  });
});

describe('check(): rules across parameters', () => {
  test('zscore: exit must be below entry (exit = entry is refused, exit just below is fine)', () => {
    expect(zscore.check({ lookback: 20, entry: 2, exit: 2 })).toEqual([
      { param: 'exit', message: 'exit (2) must be below entry (2), or a position would exit on the bar it enters' },
    ]);
    expect(zscore.check({ lookback: 20, entry: 2, exit: 2.5 })).toHaveLength(1);
    expect(zscore.check({ lookback: 20, entry: 2, exit: 1.99 })).toEqual([]);
    expect(errorOf(() => resolveParams(zscore, { entry: 1, exit: 1 })).message).toBe(
      'zscore: parameter exit: exit (1) must be below entry (1), or a position would exit on the bar it enters',
    );
  });

  test('rsi: oversold must be below overbought', () => {
    const problems = rsi.check({ period: 14, oversold: 70, overbought: 70, exitLevel: 70 });
    expect(problems.map((p) => p.param)).toEqual(['oversold', 'exitLevel']);
    expect(problems[0]!.message).toBe('oversold (70) must be below overbought (70)');
  });

  test('rsi: exitLevel must lie strictly between oversold and overbought', () => {
    const at = (exitLevel: number) => rsi.check({ period: 14, oversold: 30, overbought: 70, exitLevel });
    expect(at(30).map((p) => p.param)).toEqual(['exitLevel']);
    expect(at(70).map((p) => p.param)).toEqual(['exitLevel']);
    expect(at(30)[0]!.message).toBe('exitLevel (30) must lie between oversold (30) and overbought (70)');
    expect(at(30.5)).toEqual([]);
    expect(at(69.5)).toEqual([]);
  });

  test('bollinger has no cross-parameter rule', () => {
    expect(getStrategy('bollinger').check({ period: 2, k: 0.1 })).toEqual([]);
  });
});
