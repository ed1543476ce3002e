import { describe, expect, test } from 'bun:test';
import { T0 } from './builders.ts';
import { useTempStore } from './temp-store.ts';

const t = useTempStore();

function record(actor: string, n: number): void {
  for (let i = 0; i < n; i++) t.repos.transitions.append({ time: T0 + i, actor, fromState: `s${i}`, toState: `s${i + 1}`, eventType: 'TICK' });
}

describe('transitions', () => {
  test('read back newest first, for one actor or all', () => {
    t.repos.transitions.append({ time: T0, actor: 'connection', fromState: null, toState: 'disconnected', eventType: 'xstate.init' });
    t.repos.transitions.append({ time: T0 + 1, actor: 'position', fromState: 'flat', toState: 'entering', eventType: 'EnterRequested' });
    t.repos.transitions.append({ time: T0 + 2, actor: 'connection', fromState: 'disconnected', toState: 'connecting', eventType: 'Connect' });
    t.reopen();

    expect(t.repos.transitions.recent({ actor: 'connection', limit: 10 })).toEqual([
      { id: 3, time: T0 + 2, actor: 'connection', fromState: 'disconnected', toState: 'connecting', eventType: 'Connect', marketTime: null },
      { id: 1, time: T0, actor: 'connection', fromState: null, toState: 'disconnected', eventType: 'xstate.init', marketTime: null },
    ]);
    expect(t.repos.transitions.recent({ limit: 2 }).map((x) => x.id)).toEqual([3, 2]);
  });

  test('prune keeps the newest N of each actor, so a chatty actor does not evict the others', () => {
    record('connection', 30);
    record('position', 4);

    const deleted = t.repos.transitions.prune(10);

    expect(deleted).toBe(20);
    const connection = t.repos.transitions.recent({ actor: 'connection', limit: 100 });
    expect(connection.map((x) => x.toState)).toEqual(Array.from({ length: 10 }, (_, i) => `s${30 - i}`));
    expect(t.repos.transitions.recent({ actor: 'position', limit: 100 })).toHaveLength(4);
  });

  test('prune with nothing to drop deletes nothing; prune(0) empties the table', () => {
    record('strategy', 3);
    expect(t.repos.transitions.prune(3)).toBe(0);
    expect(t.repos.transitions.prune(0)).toBe(3);
    expect(t.repos.transitions.recent({ limit: 10 })).toEqual([]);
  });
});
