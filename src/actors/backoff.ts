/**
 * Exponential backoff shared by the notifier (retrying an alert) and the connection (reconnecting).
 * Pure: the caller passes the attempt number and, for jitter, its own random source, so tests
 * can pin the exact delays.
 */

export interface BackoffPolicy {
  /** Delay before the first retry (attempt 0). */
  readonly initialMs: number;
  /** The doubling stops here. */
  readonly maxMs: number;
  /**
   * 0..1: the share of the delay that may be shaved off at random, so that many clients cut off
   * together (a Gateway restart) do not all come back in the same instant.
   */
  readonly jitter?: number;
}

/** min(max, initial × 2^attempt) × (1 − jitter × random()). `attempt` counts from 0. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`backoff attempt must be a whole number ≥ 0, got ${attempt}`);
  const jitter = policy.jitter ?? 0;
  if (jitter < 0 || jitter > 1) throw new RangeError(`backoff jitter must be between 0 and 1, got ${jitter}`);
  // 2^attempt overflows to Infinity long after it passed maxMs; min() keeps the result finite.
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** attempt);
  const r = jitter === 0 ? 0 : Math.min(1, Math.max(0, random()));
  return Math.round(base * (1 - jitter * r));
}
