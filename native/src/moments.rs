//! Exact rolling moments of closes on the tick grid, the pure core for threshold decisions.
//!
//! Definition, shared with `src/indicators/tick-moments.ts`: for the last n closes in integer
//! ticks x₁…xₙ (xₙ the current one)
//!   N = n·xₙ − Σx,   D = n·Σx² − (Σx)²,   z = N / √D (0 when D = 0).
//! Both are integers, so an exact computation has one answer: this kernel and the TypeScript
//! one, batch or incremental, give the same pair at every bar whatever follows it, and the
//! decision z ≥ k taken on them (`compareZ` in `src/indicators/threshold.ts`) is the same.
//!
//! Output per bar i: out[2i] = N, out[2i + 1] = D; NaN, NaN before the window is full;
//! NaN, +∞ when |N| or D exceeds 2^53 and so has no exact double (the caller recomputes that
//! window in BigInt). The marker depends on the values only, like the TypeScript one.
//!
//! Bounds: |x| ≤ 2^40 ticks (checked) and n ≤ 2^20 (checked), so |Σx| ≤ 2^60 (i64), Σx² ≤ 2^100,
//! n·Σx² ≤ 2^120 and (Σx)² ≤ 2^120: i128 holds every intermediate, and the sliding sums are exact integers,
//! so subtracting the value that leaves the window leaves no residue.

use crate::zscore::ZScoreError;

/// Largest |close| in ticks accepted (2^38 points).
pub const MAX_ABS_TICKS: f64 = (1u64 << 40) as f64;
/// Longest window accepted.
pub const MAX_LOOKBACK: usize = 1 << 20;
const EXACT: i128 = 1 << 53;
/// MES tick size; a power of two, so close / TICK is exact.
const TICK: f64 = 0.25;

/// Checks a lookback that arrived as a JavaScript number.
pub fn lookback_from_f64(l: f64) -> Result<usize, ZScoreError> {
  if l.is_finite() && l.fract() == 0.0 && (2.0..=MAX_LOOKBACK as f64).contains(&l) {
    Ok(l as usize)
  } else {
    Err(ZScoreError::MomentsLookback(l))
  }
}

/// The close at `index` in whole ticks, or the error naming it.
pub fn close_ticks(close: f64, index: usize) -> Result<i64, ZScoreError> {
  if !close.is_finite() {
    return Err(ZScoreError::NonFiniteClose { index, value: close });
  }
  let t = close / TICK;
  if t.fract() != 0.0 {
    return Err(ZScoreError::OffGrid { index, value: close });
  }
  if t.abs() > MAX_ABS_TICKS {
    return Err(ZScoreError::TooLarge { index, value: close });
  }
  Ok(t as i64)
}

/// Writes N and D of every bar into `out[..2 · closes.len()]`.
///
/// On error `out` may be partly written; the error names the first bad close.
pub fn rolling_tick_moments(closes: &[f64], lookback: usize, out: &mut [f64]) -> Result<(), ZScoreError> {
  if !(2..=MAX_LOOKBACK).contains(&lookback) {
    return Err(ZScoreError::MomentsLookback(lookback as f64));
  }
  let n = closes.len();
  if out.len() < 2 * n {
    return Err(ZScoreError::OutTooShort { needed: 2 * n, got: out.len() });
  }
  // |x| ≤ 2^40 and n ≤ 2^20: Σx and n·x fit in i64 (≤ 2^60); squares and D need i128. Only
  // i64 ↔ f64 conversions (one instruction each) and 64 × 64 → 128 products in the loop.
  let len = lookback as i64;
  let (mut s1, mut s2) = (0i64, 0i128);
  for (i, &close) in closes.iter().enumerate() {
    let t = close_ticks(close, i)?;
    s1 += t;
    s2 += (t as i128) * (t as i128);
    if i >= lookback {
      // Checked when it entered the window.
      let old = (closes[i - lookback] / TICK) as i64;
      s1 -= old;
      s2 -= (old as i128) * (old as i128);
    }
    let (num, den) = if i + 1 < lookback {
      (f64::NAN, f64::NAN)
    } else {
      let num = len * t - s1;
      let den = (len as i128) * s2 - (s1 as i128) * (s1 as i128);
      if (num as i128).abs() <= EXACT && den <= EXACT {
        (num as f64, den as i64 as f64)
      } else {
        (f64::NAN, f64::INFINITY)
      }
    };
    out[2 * i] = num;
    out[2 * i + 1] = den;
  }
  Ok(())
}

#[cfg(test)]
mod tests;
