//! The batch kernel with eight segments per 512-bit AVX-512 register, used when the CPU has
//! AVX-512F (checked once at run time, `super::kernel_isa`).
//!
//! Eight segments instead of four move the block starts, so its results are bit-identical to
//! the portable kernel run with eight lanes (tested), not to the four-lane SSE2/AVX kernels;
//! all are exact to 1e-9 against the two-pass reference (tested through `rolling_zscore`).
//!
//! Memory access, where a gather of eight scalar loads per vector used to cost more than the
//! arithmetic:
//! - inputs come in eight steps at a time: one 64-byte load per segment, then an 8×8
//!   transpose in registers gives the eight step vectors (lane j = segment j);
//! - the step vectors stay in a ring of the last l + 8 steps, from which each block's
//!   backward pass reads the l − 1 values the previous block loaded (the same values and
//!   operations as reading them again: results unchanged);
//! - outputs go out the same way: eight step vectors of z, transposed, one 64-byte store per
//!   segment; non-temporal for large outputs when `rolling_zscore` aligned the segments
//!   (`split_aligned`), as a memory copy does;
//! - no `constant_steps` fix-up after the block: in a window of identical values every
//!   x − K is exactly 0 (K = x[b] lies in every window of its block, and the sums of a step
//!   hold only its window's values), so both sums, and the variance, are exactly 0, and the
//!   `var ≤ 0` test already gives exactly 0 — the same outputs as the fix-up writes (tested
//!   bit for bit against the portable kernel, which keeps it).

use std::arch::x86_64::*;

use super::kernel::{check_segments, Outcome};

/// Prefetch distance of the inputs, in values per segment (measured: 64 best of 64–1024).
const PF: usize = 64;
/// Outputs of at least this many bytes go out with non-temporal stores.
pub(crate) const STREAM_BYTES: usize = 8 << 20;

/// Transposes eight rows of eight: `r[j]` lane q becomes `c[q]` lane j.
#[inline]
#[target_feature(enable = "avx512f")]
pub(crate) fn transpose8(r: [__m512d; 8]) -> [__m512d; 8] {
  // Pairs of rows interleaved: t0 = r0[0] r1[0] r0[2] r1[2] r0[4] r1[4] r0[6] r1[6], …
  let t0 = _mm512_unpacklo_pd(r[0], r[1]);
  let t1 = _mm512_unpackhi_pd(r[0], r[1]);
  let t2 = _mm512_unpacklo_pd(r[2], r[3]);
  let t3 = _mm512_unpackhi_pd(r[2], r[3]);
  let t4 = _mm512_unpacklo_pd(r[4], r[5]);
  let t5 = _mm512_unpackhi_pd(r[4], r[5]);
  let t6 = _mm512_unpacklo_pd(r[6], r[7]);
  let t7 = _mm512_unpackhi_pd(r[6], r[7]);
  // Quads: u0 = r0[0] r1[0] r2[0] r3[0] r0[4] r1[4] r2[4] r3[4], …
  let lo = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0);
  let hi = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
  let u0 = _mm512_permutex2var_pd(t0, lo, t2);
  let u1 = _mm512_permutex2var_pd(t1, lo, t3);
  let u2 = _mm512_permutex2var_pd(t0, hi, t2);
  let u3 = _mm512_permutex2var_pd(t1, hi, t3);
  let u4 = _mm512_permutex2var_pd(t4, lo, t6);
  let u5 = _mm512_permutex2var_pd(t5, lo, t7);
  let u6 = _mm512_permutex2var_pd(t4, hi, t6);
  let u7 = _mm512_permutex2var_pd(t5, hi, t7);
  // Halves of rows 0–3 and 4–7 joined.
  [
    _mm512_shuffle_f64x2::<0x44>(u0, u4),
    _mm512_shuffle_f64x2::<0x44>(u1, u5),
    _mm512_shuffle_f64x2::<0x44>(u2, u6),
    _mm512_shuffle_f64x2::<0x44>(u3, u7),
    _mm512_shuffle_f64x2::<0xEE>(u0, u4),
    _mm512_shuffle_f64x2::<0xEE>(u1, u5),
    _mm512_shuffle_f64x2::<0xEE>(u2, u6),
    _mm512_shuffle_f64x2::<0xEE>(u3, u7),
  ]
}

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
  if len == 0 {
    return Outcome { finite: true };
  }
  // SAFETY (every pointer access below): lane j reads x[s_j + 1 − l ..= s_j + len − 1] and
  // writes out[s_j .. s_j + len], all within [0, n) by `check_segments`; a group of eight
  // steps reaching past `len` is loaded and stored under a mask of its steps below `len`
  // (masked-off elements are not accessed). Ring indices are masked to its length, and
  // `suf1`/`suf2` hold l rows.
  let rows: [*const f64; 8] = std::array::from_fn(|j| x.as_ptr().add(starts[j]));
  let outs: [*mut f64; 8] = std::array::from_fn(|j| out.as_mut_ptr().add(starts[j]));
  let zero = _mm512_setzero_pd();
  let inv_l = _mm512_set1_pd(1.0 / l as f64);
  // Step i (wrapping, history steps are negative) lives at ring[i & rmask].
  let rlen = (l + 8).next_power_of_two();
  let rmask = rlen - 1;
  let mut ring = vec![zero; rlen];
  let rp = ring.as_mut_ptr();
  let mut suf1 = vec![zero; l];
  let mut suf2 = vec![zero; l];
  let mut zs = [zero; 8];
  let mut poison = zero;

  // The l − 1 values before each segment, read once per call.
  for r in 1..l {
    let v = _mm512_set_pd(
      *rows[7].sub(r),
      *rows[6].sub(r),
      *rows[5].sub(r),
      *rows[4].sub(r),
      *rows[3].sub(r),
      *rows[2].sub(r),
      *rows[1].sub(r),
      *rows[0].sub(r),
    );
    *rp.add(0usize.wrapping_sub(r) & rmask) = v;
  }
  // Steps [g, g + 8) into the ring.
  let load_group = |g: usize| {
    let rem = len - g;
    let r: [__m512d; 8] = if rem >= 8 {
      std::array::from_fn(|j| _mm512_loadu_pd(rows[j].add(g)))
    } else {
      let m: __mmask8 = (1u8 << rem) - 1;
      std::array::from_fn(|j| _mm512_maskz_loadu_pd(m, rows[j].add(g)))
    };
    for j in 0..8 {
      _mm_prefetch::<_MM_HINT_T0>(rows[j].wrapping_add(g + PF).cast());
    }
    let c = transpose8(r);
    for (q, v) in c.into_iter().enumerate() {
      *rp.add((g + q) & rmask) = v;
    }
  };
  // z of steps [g, g + 8) (those below `len`) out of `zs`.
  // Non-temporal stores for outputs too large to stay in cache (no read of the lines first,
  // as in memcpy), where every segment's output is 64-byte aligned.
  let stream = len * 8 * 8 >= STREAM_BYTES && outs.iter().all(|&p| p as usize % 64 == 0);
  let store_group = |g: usize, zs: &[__m512d; 8]| {
    let c = transpose8(*zs);
    let rem = len - g;
    if rem >= 8 && stream {
      for j in 0..8 {
        _mm512_stream_pd(outs[j].add(g), c[j]);
      }
    } else if rem >= 8 {
      for j in 0..8 {
        _mm512_storeu_pd(outs[j].add(g), c[j]);
      }
    } else {
      let m: __mmask8 = (1u8 << rem) - 1;
      for j in 0..8 {
        _mm512_mask_storeu_pd(outs[j].add(g), m, c[j]);
      }
    }
  };

  let mut next = 0; // first step not yet in the ring; a multiple of 8
  let mut t = 0;
  while t < len {
    if t == next {
      load_group(t);
      next += 8;
    }
    let k = *rp.add(t & rmask);
    let mut a1 = zero;
    let mut a2 = zero;
    for r in 1..l {
      let d = _mm512_sub_pd(*rp.add(t.wrapping_sub(r) & rmask), k);
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
      let i = t + u;
      if i == next {
        load_group(i);
        next += 8;
      }
      let xi = *rp.add(i & rmask);
      let dn = _mm512_sub_pd(xi, k);
      p1 = _mm512_add_pd(p1, dn);
      p2 = _mm512_add_pd(p2, _mm512_mul_pd(dn, dn));
      let m = _mm512_mul_pd(_mm512_add_pd(*suf1.get_unchecked(u), p1), inv_l);
      let v =
        _mm512_sub_pd(_mm512_mul_pd(_mm512_add_pd(*suf2.get_unchecked(u), p2), inv_l), _mm512_mul_pd(m, m));
      let z = _mm512_div_pd(_mm512_sub_pd(dn, m), _mm512_sqrt_pd(v));
      // 0 where v ≤ 0 (so in every constant window, see above); NaN (v NaN) passes through.
      let keep = _mm512_cmp_pd_mask::<_CMP_NLE_UQ>(v, zero);
      *zs.get_unchecked_mut(i & 7) = _mm512_maskz_mov_pd(keep, z);
      if i & 7 == 7 {
        store_group(i - 7, &zs);
      }
    }
    poison = _mm512_add_pd(poison, _mm512_add_pd(a1, p1));
    t += block;
  }
  if len & 7 != 0 {
    store_group(len & !7, &zs);
  }
  if stream {
    _mm_sfence();
  }
  let mut lanes = [0.0f64; 8];
  _mm512_storeu_pd(lanes.as_mut_ptr(), poison);
  Outcome { finite: lanes.iter().all(|v| v.is_finite()) }
}
