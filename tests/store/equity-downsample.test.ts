import { describe, expect, test } from 'bun:test';
import { downsampleEquity } from '../../src/store/equity-downsample.ts';
import { equity } from './builders.ts';

describe('downsampleEquity', () => {
  test('keeps the deepest trough and the highest peak', () => {
    const points = equity(10_000).map((p, i) => ({ ...p, equity: i === 4321 ? 1 : i === 7777 ? 99_999 : p.equity }));
    const thin = downsampleEquity(points, 100);
    expect(thin.length).toBeLessThanOrEqual(100);
    expect(thin).toContainEqual(points[4321]!);
    expect(thin).toContainEqual(points[7777]!);
    expect(thin.map((p) => p.time)).toEqual([...thin.map((p) => p.time)].sort((a, b) => a - b));
  });

  test('keeps the first and the last point', () => {
    const points = equity(5000);
    const thin = downsampleEquity(points, 50);
    expect(thin[0]).toEqual(points[0]!);
    expect(thin.at(-1)).toEqual(points.at(-1)!);
  });

  test('leaves a short curve as it is', () => {
    const points = equity(10);
    expect(downsampleEquity(points, 100)).toEqual(points);
  });
});
