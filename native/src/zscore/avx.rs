//! The batch kernel with four segments per 256-bit AVX register: `sse2.rs` widened, used when
//! the CPU has AVX (checked once at run time, `super::run_segments`).
//!
//! Same operations in the same order per segment as the portable kernel, and IEEE division
//! and square root are correctly rounded at any width, so the results are bit-identical to
//! it and to the SSE2 kernel (tested). The four segments lie far apart in memory, so each
//! register is filled from four scalar loads; the arithmetic, the square root and the
//! division — the kernel's bottleneck — then cost one instruction for four outputs.

use std::arch::x86_64::*;

use super::kernel::{check_segments, constant_steps, Outcome};

/// `len` outputs for each of the four segments starting at `starts`.
///
/// # Safety
/// The CPU must support AVX.
#[target_feature(enable = "avx")]
pub(crate) unsafe fn run_quad(
  x: &[f64],
  l: usize,
  out: &mut [f64],
  starts: [usize; 4],
  len: usize,
) -> Outcome {
  check_segments(x, l, out, &starts, len);
  let xp = x.as_ptr();
  let op = out.as_mut_ptr();
  let [s0, s1, s2, s3] = starts;
  // SAFETY (every pointer access below): indices are s + t + u with t + u < len, reading
  // down to s + t + 1 − l, all within [0, n) by `check_segments`; `suf1`/`suf2` hold l rows.
  let load = |i: usize| _mm256_set_pd(*xp.add(s3 + i), *xp.add(s2 + i), *xp.add(s1 + i), *xp.add(s0 + i));
  // `r` steps before step t: s + t − r, added before subtracting (t − r alone underflows at t = 0).
  let back = |t: usize, r: usize| {
    _mm256_set_pd(*xp.add(s3 + t - r), *xp.add(s2 + t - r), *xp.add(s1 + t - r), *xp.add(s0 + t - r))
  };
  let zero = _mm256_setzero_pd();
  let inv_l = _mm256_set1_pd(1.0 / l as f64);
  let mut suf1 = vec![zero; l];
  let mut suf2 = vec![zero; l];
  let mut poison = zero;
  let mut t = 0;
  while t < len {
    let k = load(t);
    let mut a1 = zero;
    let mut a2 = zero;
    for r in 1..l {
      let d = _mm256_sub_pd(back(t, r), k);
      a1 = _mm256_add_pd(a1, d);
      a2 = _mm256_add_pd(a2, _mm256_mul_pd(d, d));
      *suf1.get_unchecked_mut(l - 1 - r) = a1;
      *suf2.get_unchecked_mut(l - 1 - r) = a2;
    }
    suf1[l - 1] = zero;
    suf2[l - 1] = zero;
    let mut p1 = zero;
    let mut p2 = zero;
    let block = l.min(len - t);
    for u in 0..block {
      let dn = _mm256_sub_pd(load(t + u), k);
      p1 = _mm256_add_pd(p1, dn);
      p2 = _mm256_add_pd(p2, _mm256_mul_pd(dn, dn));
      let m = _mm256_mul_pd(_mm256_add_pd(*suf1.get_unchecked(u), p1), inv_l);
      let var =
        _mm256_sub_pd(_mm256_mul_pd(_mm256_add_pd(*suf2.get_unchecked(u), p2), inv_l), _mm256_mul_pd(m, m));
      let z = _mm256_div_pd(_mm256_sub_pd(dn, m), _mm256_sqrt_pd(var));
      let z = _mm256_andnot_pd(_mm256_cmp_pd::<_CMP_LE_OQ>(var, zero), z);
      let lo = _mm256_castpd256_pd128(z);
      let hi = _mm256_extractf128_pd::<1>(z);
      _mm_storel_pd(op.add(s0 + t + u), lo);
      _mm_storeh_pd(op.add(s1 + t + u), lo);
      _mm_storel_pd(op.add(s2 + t + u), hi);
      _mm_storeh_pd(op.add(s3 + t + u), hi);
    }
    poison = _mm256_add_pd(poison, _mm256_add_pd(a1, p1));
    for s in starts {
      for u in constant_steps(x, s + t, l, block) {
        *op.add(s + t + u) = 0.0;
      }
    }
    t += block;
  }
  let mut sums = [0.0; 4];
  _mm256_storeu_pd(sums.as_mut_ptr(), poison);
  Outcome { finite: sums.iter().all(|v| v.is_finite()) }
}
