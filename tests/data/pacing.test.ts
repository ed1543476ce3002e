import { describe, expect, test } from 'bun:test';
import { PacingRules } from '../../src/data/pacing.ts';

/** Sends `n` requests as early as the rules allow; returns their times. */
function paced(rules: PacingRules, reqs: ReadonlyArray<[string, string]>, start = 0): number[] {
  let now = start;
  return reqs.map(([key, contract]) => {
    now += rules.waitMs(key, contract, now);
    expect(rules.violation(key, contract, now)).toBeNull();
    rules.record(key, contract, now);
    return now;
  });
}

describe('IB pacing rules', () => {
  test('an identical request waits 15 seconds', () => {
    expect(paced(new PacingRules(), [['a', 'H'], ['a', 'H']])).toEqual([0, 15_000]);
  });

  test('a sixth request for one contract waits until the first leaves the 2-second window', () => {
    const times = paced(new PacingRules(), Array.from({ length: 7 }, (_, i) => [`d${i}`, 'H'] as [string, string]));
    expect(times).toEqual([0, 0, 0, 0, 0, 2_000, 2_000]);
  });

  test('other contracts are not held back by one contract\'s burst', () => {
    const times = paced(new PacingRules(), [...Array.from({ length: 5 }, (_, i) => [`h${i}`, 'H'] as [string, string]), ['m0', 'M']]);
    expect(times.at(-1)).toBe(0);
  });

  test('the 61st request in 10 minutes waits for the first to age out', () => {
    const reqs = Array.from({ length: 61 }, (_, i) => [`r${i}`, `c${i}`] as [string, string]);
    const times = paced(new PacingRules(), reqs);
    expect(times[59]).toBe(0);
    expect(times[60]).toBe(600_000);
  });

  test('the gateway side names the rule a burst breaks', () => {
    const r = new PacingRules();
    r.record('a', 'H', 0);
    expect(r.violation('a', 'H', 14_999)).toBe('an identical request within 15 seconds');
    expect(r.violation('a', 'H', 15_000)).toBeNull();
    for (let i = 0; i < 4; i++) r.record(`b${i}`, 'H', 100);
    expect(r.violation('c', 'H', 1_999)).toBe('six or more requests for one contract within 2 seconds');
  });
});
