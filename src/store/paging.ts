export interface Page {
  readonly limit: number;
  readonly offset?: number;
}

/** A negative or fractional page reaches SQLite as a silent "no limit"; refuse it with the value instead. */
export function checkPage(page: Page): { limit: number; offset: number } {
  const offset = page.offset ?? 0;
  return { limit: checkLimit(page.limit), offset: checkCount('offset', offset) };
}

export function checkLimit(limit: number): number {
  return checkCount('limit', limit);
}

function checkCount(name: string, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a whole number ≥ 0, got ${n}`);
  return n;
}
