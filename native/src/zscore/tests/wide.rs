//! Tests of the AVX-512 kernel's layout: the 8×8 transpose, bit-identity with the portable
//! kernel on every edge, exactness at every output alignment, and the non-temporal path.
use super::*;

#[cfg(target_arch = "x86_64")]
#[test]
fn transpose8_swaps_rows_and_lanes() {
  if !std::arch::is_x86_feature_detected!("avx512f") {
    return;
  }
  use std::arch::x86_64::*;
  // SAFETY: the CPU has AVX-512F (checked above).
  unsafe {
    let m: Vec<f64> = (0..64).map(|i| i as f64).collect();
    let rows: [__m512d; 8] = std::array::from_fn(|j| _mm512_loadu_pd(m.as_ptr().add(8 * j)));
    let cols = avx512::transpose8(rows);
    for (q, c) in cols.iter().enumerate() {
      let mut lanes = [0.0; 8];
      _mm512_storeu_pd(lanes.as_mut_ptr(), *c);
      assert_eq!(lanes, std::array::from_fn(|j| m[8 * j + q]));
    }
  }
}

#[cfg(target_arch = "x86_64")]
#[test]
fn avx512_matches_portable_bit_for_bit_on_every_edge() {
  if !std::arch::is_x86_feature_detected!("avx512f") {
    return;
  }
  // Segment lengths around multiples of 8 and of l (partial groups, partial blocks), single
  // steps, lookback 2 and lookbacks longer than a segment, starts at every offset mod 8.
  let mut xs = random_walk(21, 40_000, 5000.0, 0.25);
  for v in &mut xs[1000..1100] {
    *v = 5000.25; // a constant run: exactly 0 in whichever lane it falls
  }
  for l in [2, 3, 7, 8, 9, 20, 64, 1000, 3000] {
    for len in [1, 2, 7, 8, 9, 15, 16, 17, 19, 20, 21, 63, 64, 65, 1001, 3001] {
      for offset in [0, 1, 5] {
        let starts: [usize; 8] = std::array::from_fn(|j| l - 1 + offset + j * (len + 3));
        if starts[7] + len > xs.len() {
          continue;
        }
        let (mut simd, mut portable) = (vec![-1.0; xs.len()], vec![-1.0; xs.len()]);
        // SAFETY: the CPU has AVX-512F (checked above).
        assert!(unsafe { avx512::run_oct(&xs, l, &mut simd, starts, len) }.finite);
        assert!(run_lanes::<8>(&xs, l, &mut portable, starts, len).finite);
        for i in 0..xs.len() {
          assert_eq!(simd[i].to_bits(), portable[i].to_bits(), "l={l} len={len} offset={offset} i={i}");
        }
      }
    }
  }
}

#[test]
fn batch_matches_exact_at_every_output_alignment_and_length() {
  // `split_aligned` moves the segments to 64-byte boundaries of `out`: outputs that start at
  // every offset mod 8, series just long enough for the vector kernel and just too short.
  let xs = random_walk(17, 3000, 5000.0, 0.25);
  for l in [2, 3, 20, 200] {
    for n in [l, l + 7, 8 * l, 8 * l + 63, 9 * l + 64, 3000] {
      let xs = &xs[..n.min(xs.len())];
      for shift in 0..8 {
        let mut buf = vec![f64::NAN; xs.len() + 8];
        let out = &mut buf[shift..shift + xs.len()];
        rolling_zscore(xs, l, out).unwrap();
        assert!(out[..l - 1].iter().all(|z| z.is_nan()));
        assert!(max_error_vs_exact(xs, l, out) < 1e-12, "l={l} n={n} shift={shift}");
      }
    }
  }
}

#[test]
fn large_outputs_streamed_match_exact_and_constant_windows_are_zero() {
  // Above the non-temporal threshold (8 segments × 8 bytes × len ≥ STREAM_BYTES).
  let n = if cfg!(debug_assertions) { 300_000 } else { 2_000_000 };
  let mut xs = random_walk(23, n, 5000.0, 0.25);
  for chunk in xs.chunks_exact_mut(10_007) {
    let v = chunk[0];
    chunk[9000..].fill(v);
  }
  for shift in [0, 3] {
    let mut buf = vec![0.0; n + 8];
    let out = &mut buf[shift..shift + n];
    rolling_zscore(&xs, 20, out).unwrap();
    for i in 19..n {
      let w = &xs[i - 19..=i];
      if w.iter().all(|&v| v == w[0]) {
        assert_eq!(out[i].to_bits(), 0.0f64.to_bits(), "i={i}");
      } else {
        assert!((out[i] - exact_z(w)).abs() < 1e-12, "i={i}");
      }
    }
  }
}

#[test]
fn non_finite_close_is_reported_first_wherever_it_falls() {
  // In the single-lane head and tail `split_aligned` leaves, in any of the eight segments and
  // in a segment's history; with a second, later one that must not be reported.
  let n = 50_000;
  let base = random_walk(29, n, 5000.0, 1.0);
  for l in [2, 20, 1000] {
    for at in [l - 1, l + 3, l + 9, 6_250, 6_251, 31_000, n - 70, n - 1] {
      for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut xs = base.clone();
        xs[at] = bad;
        if at + 1 < n {
          xs[n - 1] = f64::NAN;
        }
        for shift in [0, 5] {
          let mut buf = vec![0.0; n + 8];
          match rolling_zscore(&xs, l, &mut buf[shift..shift + n]) {
            Err(ZScoreError::NonFiniteClose { index, value }) => {
              assert_eq!(index, at, "l={l} shift={shift}");
              assert_eq!(value.to_bits(), bad.to_bits());
            }
            other => panic!("expected NonFiniteClose at {at}, got {other:?}"),
          }
        }
      }
    }
  }
}
