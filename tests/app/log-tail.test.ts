import { describe, expect, test } from 'bun:test';
import { LogTail } from '../../src/app/log-tail.ts';
import { silentLogger } from '../../src/domain/log.ts';

describe('LogTail: the last log lines, secrets removed as they are kept', () => {
  const tail = () => new LogTail({ capacity: 3, secrets: ['dash-SECRET-value-123', undefined, 'ab'], now: () => Date.UTC(2026, 0, 5, 14, 0) });

  test('keeps the newest lines, bounded, oldest first', () => {
    const t = tail();
    const log = t.wrap(silentLogger);
    for (const n of [1, 2, 3, 4]) log.info('step', { n });
    expect(t.lines(10)).toEqual(['2026-01-05T14:00:00.000Z INFO  step n=2', '2026-01-05T14:00:00.000Z INFO  step n=3', '2026-01-05T14:00:00.000Z INFO  step n=4']);
    expect(t.lines(1)).toHaveLength(1);
  });

  test('configured tokens, bot-token shapes, Bearer credentials and token= pairs never survive', () => {
    const t = tail();
    const log = t.wrap(silentLogger);
    log.error('oops', { detail: 'header Bearer abc.def and dash-SECRET-value-123' });
    log.warn('tg', { url: 'https://api.telegram.org/bot7000000001:AAE-test-token-Zq9xY8wV7uT6sR5qP4oN3/getMe token=hunter2' });
    const text = t.lines(10).join('\n');
    expect(text).not.toContain('dash-SECRET');
    expect(text).not.toContain('abc.def');
    expect(text).not.toContain('AAE-test-token');
    expect(text).not.toContain('hunter2');
    expect(text).toContain('Bearer ***');
  });

  test('the inner logger still gets every line unchanged', () => {
    const seen: string[] = [];
    const t = tail();
    t.wrap({ ...silentLogger, info: (e) => void seen.push(e) }).info('hello');
    expect(seen).toEqual(['hello']);
  });
});
