import { describe, expect, test } from 'bun:test';
import * as v from 'valibot';
import { StoredFactCorruptError } from '../../src/store/facts.ts';
import { T0 } from './builders.ts';
import { useTempStore } from './temp-store.ts';

const t = useTempStore();

// A slice of the engine snapshot: enough to show a nested, typed fact survives a restart.
const EngineSnapshot = v.object({
  position: v.nullable(v.object({ side: v.picklist(['long', 'short']), qty: v.number(), entryPrice: v.number() })),
  sessionRealisedCents: v.pipe(v.number(), v.integer()),
  halted: v.boolean(),
});
const NextOrderId = v.pipe(v.number(), v.integer(), v.minValue(1));

describe('facts', () => {
  test('a fact reads back typed after a restart, with when it was written', () => {
    const snapshot = { position: { side: 'long' as const, qty: 1, entryPrice: 5000.25 }, sessionRealisedCents: -1_250, halted: false };

    t.repos.facts.set('engine', EngineSnapshot, snapshot, T0);
    t.reopen();

    expect(t.repos.facts.get('engine', EngineSnapshot)).toEqual(snapshot);
    expect(t.repos.facts.entry('engine', EngineSnapshot)?.updatedAt).toBe(T0);
  });

  test('setting again replaces the value', () => {
    t.repos.facts.set('nextOrderId', NextOrderId, 10, T0);
    t.repos.facts.set('nextOrderId', NextOrderId, 11, T0 + 1);
    expect(t.repos.facts.entry('nextOrderId', NextOrderId)).toEqual({ value: 11, updatedAt: T0 + 1 });
  });

  test('an unknown key is null, and delete removes a fact', () => {
    expect(t.repos.facts.get('paused', v.boolean())).toBeNull();
    t.repos.facts.set('paused', v.boolean(), true, T0);
    expect(t.repos.facts.delete('paused')).toBe(true);
    expect(t.repos.facts.get('paused', v.boolean())).toBeNull();
    expect(t.repos.facts.delete('paused')).toBe(false);
  });

  test('false and zero are facts, not absences', () => {
    t.repos.facts.set('paused', v.boolean(), false, T0);
    t.repos.facts.set('lastExecTime', v.number(), 0, T0);
    expect(t.repos.facts.get('paused', v.boolean())).toBe(false);
    expect(t.repos.facts.get('lastExecTime', v.number())).toBe(0);
  });

  test('a value its schema refuses is not written', () => {
    expect(() => t.repos.facts.set('nextOrderId', NextOrderId, 0, T0)).toThrow('cannot store fact "nextOrderId"');
    expect(() => t.repos.facts.set('lastExecTime', v.number(), Number.NaN, T0)).toThrow('cannot store NaN');
    expect(t.repos.facts.get('nextOrderId', NextOrderId)).toBeNull();
  });

  test('a stored fact that no longer fits its schema names the key and the fix', () => {
    t.store.db.run(`INSERT INTO facts (key, value_json, updated_at) VALUES ('engine', '{"halted": "yes"}', 1)`);

    const read = () => t.repos.facts.get('engine', EngineSnapshot);

    expect(read).toThrow(StoredFactCorruptError);
    expect(read).toThrow(`fact "engine" is unreadable`);
    expect(read).toThrow(`delete the row in table facts (key 'engine')`);
  });
});
