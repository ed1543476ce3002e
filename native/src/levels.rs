//! Which of four levels each bar's z reached, as the bits of `src/strategy/thresholds.ts`
//! (READY 1, ENTER_LONG 2, ENTER_SHORT 4, EXIT_LONG 8, EXIT_SHORT 16), for every bar whose z
//! decides all four comparisons by itself; `NEAR` for a bar that must be decided exactly
//! (z within the margin of a level, NaN before the window is full). The caller decides those
//! exactly (BigInt on the tick grid) and writes their bits over the marker.
//!
//! The margin is `zDecides` of `tick-moments.ts`, in the same IEEE operations (Rust does not
//! fuse them), so a bar is marked near here exactly when the TypeScript pass marks it.

pub const READY: u8 = 1;
pub const ENTER_LONG: u8 = 2;
pub const ENTER_SHORT: u8 = 4;
pub const EXIT_LONG: u8 = 8;
pub const EXIT_SHORT: u8 = 16;
/// A bar to decide exactly; no combination of the level bits has this value.
pub const NEAR: u8 = 128;

/// The four levels: enter long (z ≤), enter short (z ≥), exit long (z ≥), exit short (z ≤).
#[derive(Debug, Clone, Copy)]
pub struct Levels {
  pub enter_long: f64,
  pub enter_short: f64,
  pub exit_long: f64,
  pub exit_short: f64,
}

#[inline(always)]
fn decides(z: f64, value: f64) -> bool {
  (z - value).abs() > 1e-12 * (z.abs() + value.abs())
}

#[inline(always)]
fn bits(z: f64, l: &Levels) -> u8 {
  let far =
    decides(z, l.enter_long) & decides(z, l.enter_short) & decides(z, l.exit_long) & decides(z, l.exit_short);
  let b = READY
    | (((z < l.enter_long) as u8) * ENTER_LONG)
    | (((z > l.enter_short) as u8) * ENTER_SHORT)
    | (((z > l.exit_long) as u8) * EXIT_LONG)
    | (((z < l.exit_short) as u8) * EXIT_SHORT);
  if far {
    b
  } else {
    NEAR
  }
}

/// `bits` for centred levels (−e, e, −x, x with e, x ≥ 0): z is far from ±v exactly when |z| is
/// far from v, in floating point too (|z ∓ v| and |z| + v round alike), so two margins do.
#[inline(always)]
fn centred_bits(z: f64, e: f64, x: f64) -> u8 {
  let a = z.abs();
  let far = decides(a, e) & decides(a, x);
  let b = READY
    | (((z < -e) as u8) * ENTER_LONG)
    | (((z > e) as u8) * ENTER_SHORT)
    | (((z > -x) as u8) * EXIT_LONG)
    | (((z < x) as u8) * EXIT_SHORT);
  if far {
    b
  } else {
    NEAR
  }
}

#[inline(always)]
fn pass(z: &[f64], l: &Levels, out: &mut [u8]) {
  let (e, x) = (l.enter_short, l.exit_short);
  if l.enter_long == -e && l.exit_long == -x && e >= 0.0 && x >= 0.0 {
    for (o, &zi) in out.iter_mut().zip(z) {
      *o = centred_bits(zi, e, x);
    }
  } else {
    for (o, &zi) in out.iter_mut().zip(z) {
      *o = bits(zi, l);
    }
  }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn pass_avx2(z: &[f64], l: &Levels, out: &mut [u8]) {
  pass(z, l, out)
}

/// Writes the bits (or `NEAR`) of every z into `out`, which must be as long as `z`.
pub fn reached_levels(z: &[f64], l: &Levels, out: &mut [u8]) {
  assert_eq!(z.len(), out.len(), "reached_levels: out must be as long as z");
  #[cfg(target_arch = "x86_64")]
  {
    if std::arch::is_x86_feature_detected!("avx2")
      && std::env::var("QS_ZSCORE_ISA").map_or(true, |c| c.is_empty() || c == "avx512" || c == "avx")
    {
      // SAFETY: the CPU reported AVX2.
      unsafe { pass_avx2(z, l, out) };
    } else {
      pass(z, l, out);
    }
  }
  #[cfg(not(target_arch = "x86_64"))]
  pass(z, l, out);
}

#[cfg(test)]
mod tests {
  use super::*;

  const L: Levels = Levels { enter_long: -2.0, enter_short: 2.0, exit_long: -0.5, exit_short: 0.5 };

  #[test]
  fn far_bars_get_their_bits() {
    let z = [-3.0, 3.0, 0.0, -1.0, 1.0];
    let mut out = [0u8; 5];
    reached_levels(&z, &L, &mut out);
    assert_eq!(
      out,
      [
        READY | ENTER_LONG | EXIT_SHORT,
        READY | ENTER_SHORT | EXIT_LONG,
        READY | EXIT_LONG | EXIT_SHORT,
        READY | EXIT_SHORT,
        READY | EXIT_LONG
      ]
    );
  }

  #[test]
  fn ties_and_nan_are_near() {
    let z = [f64::NAN, -2.0, 0.5, 2.0 + 1e-15, -0.5 - 1e-14, 2.0 + 1e-9];
    let mut out = [0u8; 6];
    reached_levels(&z, &L, &mut out);
    assert_eq!(&out[..5], &[NEAR; 5]);
    assert_eq!(out[5], READY | ENTER_SHORT | EXIT_LONG);
  }

  #[test]
  fn vector_and_scalar_passes_agree() {
    let z: Vec<f64> = (0..10_000).map(|i| ((i as f64) * 0.37).sin() * 3.0).collect();
    let mut a = vec![0u8; z.len()];
    let mut b = vec![0u8; z.len()];
    reached_levels(&z, &L, &mut a);
    pass(&z, &L, &mut b);
    assert_eq!(a, b);
  }
}
