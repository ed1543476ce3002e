//! The batch kernel on x86-64: `kernel::run_lanes` with two segments per SSE2 register.
//!
//! Same operations in the same order as the portable kernel, so the results are
//! bit-identical (tested). The compiler does not pack the portable loop by itself (the
//! square root and division stay scalar, and they are the bottleneck), and SSE2 is part of
//! the x86-64 baseline, so this needs neither `target-cpu` nor runtime detection.

use std::arch::x86_64::*;

use super::kernel::{check_segments, constant_steps, Outcome};

/// `len` outputs for each of the 2·P segments starting at `starts[p][0]` and `starts[p][1]`.
pub(crate) fn run_pairs<const P: usize>(
  x: &[f64],
  l: usize,
  out: &mut [f64],
  starts: [[usize; 2]; P],
  len: usize,
) -> Outcome {
  let flat = starts.as_flattened();
  check_segments(x, l, out, flat, len);
  let xp = x.as_ptr();
  let op = out.as_mut_ptr();
  // SAFETY (every pointer access below): indices are s + t + u with t + u < len, reading
  // down to s + t + 1 − l, all within [0, n) by `check_segments`; `suf1`/`suf2` hold l
  // rows. SSE2 is always present on x86-64.
  unsafe {
    let load = |i0: usize, i1: usize| _mm_loadh_pd(_mm_load_sd(xp.add(i0)), xp.add(i1));
    let zero = _mm_setzero_pd();
    let inv_l = _mm_set1_pd(1.0 / l as f64);
    let mut suf1 = vec![[zero; P]; l];
    let mut suf2 = vec![[zero; P]; l];
    let mut poison = zero;
    let mut t = 0;
    while t < len {
      let k: [__m128d; P] = std::array::from_fn(|p| load(starts[p][0] + t, starts[p][1] + t));
      let mut a1 = [zero; P];
      let mut a2 = [zero; P];
      for r in 1..l {
        for p in 0..P {
          let d = _mm_sub_pd(load(starts[p][0] + t - r, starts[p][1] + t - r), k[p]);
          a1[p] = _mm_add_pd(a1[p], d);
          a2[p] = _mm_add_pd(a2[p], _mm_mul_pd(d, d));
        }
        *suf1.get_unchecked_mut(l - 1 - r) = a1;
        *suf2.get_unchecked_mut(l - 1 - r) = a2;
      }
      suf1[l - 1] = [zero; P];
      suf2[l - 1] = [zero; P];
      let mut p1 = [zero; P];
      let mut p2 = [zero; P];
      let block = l.min(len - t);
      for u in 0..block {
        let (sf1, sf2) = (suf1.get_unchecked(u), suf2.get_unchecked(u));
        for p in 0..P {
          let [i0, i1] = [starts[p][0] + t + u, starts[p][1] + t + u];
          let dn = _mm_sub_pd(load(i0, i1), k[p]);
          p1[p] = _mm_add_pd(p1[p], dn);
          p2[p] = _mm_add_pd(p2[p], _mm_mul_pd(dn, dn));
          let m = _mm_mul_pd(_mm_add_pd(sf1[p], p1[p]), inv_l);
          let var = _mm_sub_pd(_mm_mul_pd(_mm_add_pd(sf2[p], p2[p]), inv_l), _mm_mul_pd(m, m));
          let z = _mm_div_pd(_mm_sub_pd(dn, m), _mm_sqrt_pd(var));
          let z = _mm_andnot_pd(_mm_cmple_pd(var, zero), z);
          _mm_storel_pd(op.add(i0), z);
          _mm_storeh_pd(op.add(i1), z);
        }
      }
      for p in 0..P {
        poison = _mm_add_pd(poison, _mm_add_pd(a1[p], p1[p]));
      }
      for &s in flat {
        for u in constant_steps(x, s + t, l, block) {
          *op.add(s + t + u) = 0.0;
        }
      }
      t += block;
    }
    let mut sums = [0.0; 2];
    _mm_storeu_pd(sums.as_mut_ptr(), poison);
    Outcome { finite: sums.iter().all(|v| v.is_finite()) }
  }
}
