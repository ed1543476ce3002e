//! The batch kernel with eight segments per 512-bit AVX-512 register, used when the CPU has
//! AVX-512F (checked once at run time, `super::kernel_isa`).
//!
//! Eight segments instead of four move the block starts, so its results are bit-identical to
//! the portable kernel run with eight lanes (tested), not to the four-lane SSE2/AVX kernels;
//! all are exact to 1e-9 against the two-pass reference (tested through `rolling_zscore`).

use std::arch::x86_64::*;

use super::kernel::{check_segments, constant_steps, Outcome};

/// `len` outputs for each of the eight segments starting at `starts`.
///
/// # Safety
/// The CPU must support AVX-512F.
#[target_feature(enable = "avx512f")]
pub(crate) unsafe fn run_oct(
  x: &[f64],
  l: usize,
  out: &mut [f64],
  starts: [usize; 8],
  len: usize,
) -> Outcome {
  check_segments(x, l, out, &starts, len);
  let xp = x.as_ptr();
  let op = out.as_mut_ptr();
  let s = starts;
  // SAFETY (every pointer access below): indices are s + t + u with t + u < len, reading
  // down to s + t + 1 − l, all within [0, n) by `check_segments`; `suf1`/`suf2` hold l rows.
  let load = |i: usize| {
    _mm512_set_pd(
      *xp.add(s[7] + i),
      *xp.add(s[6] + i),
      *xp.add(s[5] + i),
      *xp.add(s[4] + i),
      *xp.add(s[3] + i),
      *xp.add(s[2] + i),
      *xp.add(s[1] + i),
      *xp.add(s[0] + i),
    )
  };
  let zero = _mm512_setzero_pd();
  let inv_l = _mm512_set1_pd(1.0 / l as f64);
  let mut suf1 = vec![zero; l];
  let mut suf2 = vec![zero; l];
  let mut poison = zero;
  let mut lanes = [0.0f64; 8];
  let mut t = 0;
  while t < len {
    let k = load(t);
    let mut a1 = zero;
    let mut a2 = zero;
    for r in 1..l {
      let d = _mm512_sub_pd(load(t - r), k);
      a1 = _mm512_add_pd(a1, d);
      a2 = _mm512_add_pd(a2, _mm512_mul_pd(d, d));
      *suf1.get_unchecked_mut(l - 1 - r) = a1;
      *suf2.get_unchecked_mut(l - 1 - r) = a2;
    }
    suf1[l - 1] = zero;
    suf2[l - 1] = zero;
    let mut p1 = zero;
    let mut p2 = zero;
    let block = l.min(len - t);
    for u in 0..block {
      let dn = _mm512_sub_pd(load(t + u), k);
      p1 = _mm512_add_pd(p1, dn);
      p2 = _mm512_add_pd(p2, _mm512_mul_pd(dn, dn));
      let m = _mm512_mul_pd(_mm512_add_pd(*suf1.get_unchecked(u), p1), inv_l);
      let var =
        _mm512_sub_pd(_mm512_mul_pd(_mm512_add_pd(*suf2.get_unchecked(u), p2), inv_l), _mm512_mul_pd(m, m));
      let z = _mm512_div_pd(_mm512_sub_pd(dn, m), _mm512_sqrt_pd(var));
      // 0 where var ≤ 0; NaN (var NaN) passes through, as in the portable kernel.
      let z = _mm512_maskz_mov_pd(!_mm512_cmp_pd_mask::<_CMP_LE_OQ>(var, zero), z);
      _mm512_storeu_pd(lanes.as_mut_ptr(), z);
      for j in 0..8 {
        *op.add(s[j] + t + u) = lanes[j];
      }
    }
    poison = _mm512_add_pd(poison, _mm512_add_pd(a1, p1));
    for &b in &starts {
      for u in constant_steps(x, b + t, l, block) {
        *op.add(b + t + u) = 0.0;
      }
    }
    t += block;
  }
  _mm512_storeu_pd(lanes.as_mut_ptr(), poison);
  Outcome { finite: lanes.iter().all(|v| v.is_finite()) }
}
