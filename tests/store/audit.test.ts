import { describe, expect, test } from 'bun:test';
import { AuditRepository } from '../../src/store/audit.ts';
import { T0 } from './builders.ts';
import { useTempStore } from './temp-store.ts';

const t = useTempStore();

describe('the audit trail', () => {
  test('entries read back newest first after a restart', () => {
    t.repos.audit.append({ time: T0, source: 'telegram', principal: '123456789', command: 'flatten', args: { confirm: true }, ok: true, result: { orders: 1 } });
    t.repos.audit.append({ time: T0 + 1, source: 'web', principal: 'token', command: 'resume', args: {}, ok: false, result: { error: 'breaker halted' } });
    t.repos.audit.append({ time: T0 + 2, source: 'cli', principal: 'trader', command: 'pause', args: null, ok: true });
    t.reopen();

    expect(t.repos.audit.recent(2)).toEqual([
      { id: 3, time: T0 + 2, source: 'cli', principal: 'trader', command: 'pause', args: null, ok: true, result: null },
      { id: 2, time: T0 + 1, source: 'web', principal: 'token', command: 'resume', args: {}, ok: false, result: { error: 'breaker halted' } },
    ]);
  });

  test('the repository offers no way to change or remove an entry', () => {
    const methods = Object.getOwnPropertyNames(AuditRepository.prototype).filter((m) => m !== 'constructor');
    expect(methods.sort()).toEqual(['append', 'recent']);
  });

  test('the table itself refuses UPDATE and DELETE', () => {
    t.repos.audit.append({ time: T0, source: 'system', principal: 'supervisor', command: 'halt', args: {}, ok: true });

    expect(() => t.store.db.run('UPDATE audit SET ok = 0')).toThrow('audit is append-only: rows cannot be updated');
    expect(() => t.store.db.run('DELETE FROM audit')).toThrow('audit is append-only: rows cannot be deleted');
    expect(t.repos.audit.recent(5)).toMatchObject([{ command: 'halt', ok: true }]);
  });

  test('an unknown source is refused', () => {
    const entry = { time: T0, source: 'email', principal: 'x', command: 'x', args: {}, ok: true } as unknown as Parameters<typeof t.repos.audit.append>[0];
    expect(() => t.repos.audit.append(entry)).toThrow('CHECK constraint failed');
  });
});
