import { decimalOf } from '../domain/money.ts';

/**
 * A strategy threshold as the trader wrote it: the decimal p/q of its shortest string (2.5 is
 * 5/2, 0.1 is 1/10, not the binary 0.1000000000000000055…), so a value landing exactly on it is
 * a tie however the number is stored.
 */
export interface Threshold {
  readonly value: number;
  readonly p: bigint;
  readonly q: bigint;
}

export function threshold(value: number): Threshold {
  const { num, den } = decimalOf(value);
  return { value, p: num, q: den };
}

export function negate(t: Threshold): Threshold {
  return { value: -t.value, p: -t.p, q: t.q };
}

export type Sign = -1 | 0 | 1;

const signOf = (x: bigint): Sign => (x > 0n ? 1 : x < 0n ? -1 : 0);

/**
 * sign(z − t) for z = N / √D (z = 0 when D = 0), exactly, with N and D integers.
 * z and t of different signs decide on the signs; of the same sign s, |z| vs |t| is
 * q²·N² vs p²·D, all in BigInt: no square root and no rounding anywhere.
 */
export function compareZExact(num: bigint, den: bigint, t: Threshold): Sign {
  if (den === 0n || num === 0n) return signOf(-t.p);
  const sz = signOf(num);
  const st = signOf(t.p);
  if (sz !== st) return sz;
  const c = signOf(t.q * t.q * num * num - t.p * t.p * den);
  return c === 0 ? 0 : ((sz * c) as Sign);
}

/**
 * `compareZExact` with a floating-point filter: N and D are exact doubles (safe integers),
 * so z_f = N / √D has two correctly rounded operations, |z_f − z| ≤ 2.3e-16·|z|, and
 * t.value is within 1.2e-16·|t| of p/q. The difference is also correctly rounded, so when
 * |z_f − t.value| > 1e-12·(|z_f| + |t|) — a margin thousands of times these errors — its sign
 * is the sign of z − p/q. Only values within that margin (ties and near-ties) take the BigInt
 * path; the decision is exact either way.
 */
export function compareZ(num: number, den: number, t: Threshold): Sign {
  if (den === 0) return signOf(-t.p);
  const z = num / Math.sqrt(den);
  const diff = z - t.value;
  if (Math.abs(diff) > 1e-12 * (Math.abs(z) + Math.abs(t.value))) return diff > 0 ? 1 : -1;
  return compareZExact(BigInt(num), BigInt(den), t);
}
