//! Tests of the pure core against hand-computed values and an exact two-pass reference.
use super::*;

/// Exact reference for one window: shifted two-pass with K = the window's last value.
/// (A plain two-pass, mean = Σx/n first, is itself inexact near 1e6 and for
/// nearly-constant windows.)
fn exact_z(w: &[f64]) -> f64 {
  let k = w[w.len() - 1];
  let n = w.len() as f64;
  let m = w.iter().map(|x| x - k).sum::<f64>() / n;
  let var = w.iter().map(|x| (x - k - m) * (x - k - m)).sum::<f64>() / n;
  if w.iter().all(|&x| x == k) {
    0.0
  } else {
    -m / var.sqrt()
  }
}

/// splitmix64: deterministic test data without a dependency.
struct Rng(u64);
impl Rng {
  fn uniform(&mut self) -> f64 {
    self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = self.0;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
  }
}

fn random_walk(seed: u64, n: usize, start: f64, step: f64) -> Vec<f64> {
  let mut rng = Rng(seed);
  let mut x = start;
  (0..n)
    .map(|_| {
      x += (rng.uniform() - 0.5) * 2.0 * step;
      x
    })
    .collect()
}

fn batch(xs: &[f64], l: usize) -> Vec<f64> {
  let mut out = vec![0.0; xs.len()];
  rolling_zscore(xs, l, &mut out).unwrap();
  out
}

fn incremental(xs: &[f64], l: usize) -> Vec<f64> {
  let mut z = RollingZ::new(l).unwrap();
  xs.iter().map(|&x| z.push(x).unwrap().unwrap_or(f64::NAN)).collect()
}

fn max_error_vs_exact(xs: &[f64], l: usize, zs: &[f64]) -> f64 {
  (l - 1..xs.len()).map(|i| (zs[i] - exact_z(&xs[i + 1 - l..=i])).abs()).fold(0.0, f64::max)
}

fn assert_close(a: f64, b: f64) {
  assert!((a - b).abs() < 1e-12, "{a} vs {b}");
}

#[test]
fn hand_computed_values() {
  // window [2,4,4,4,5,5,7,9]: mean 5, σ 2, so z of 9 is 2
  let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
  for zs in [batch(&xs, 8), incremental(&xs, 8)] {
    assert!(zs[..7].iter().all(|z| z.is_nan()));
    assert_close(zs[7], 2.0);
  }
  // [1,2,3]: mean 2, σ = √(2/3), z = 1/√(2/3) = 1.224744871391589
  let zs = batch(&[1.0, 2.0, 3.0, 4.0, 5.0], 3);
  for z in &zs[2..] {
    assert_close(*z, 1.224_744_871_391_589);
  }
}

#[test]
fn constant_windows_give_exactly_zero() {
  // [5,5,7]: mean 17/3, σ = √(8/9), z = √2; [5,7,7]: z = 1/√2; [7,7,7]: 0
  let xs = [5.0, 5.0, 5.0, 5.0, 7.0, 7.0, 7.0];
  for zs in [batch(&xs, 3), incremental(&xs, 3)] {
    assert_eq!(zs[2], 0.0);
    assert_eq!(zs[3], 0.0);
    assert_close(zs[4], std::f64::consts::SQRT_2);
    assert_close(zs[5], std::f64::consts::FRAC_1_SQRT_2);
    assert_eq!(zs[6], 0.0);
  }
}

#[test]
fn constant_runs_after_noise_give_exactly_zero_in_every_lane() {
  // Noise leaves rounding residue in the running sums; a constant window must not see it.
  let mut xs = random_walk(7, 50_000, 5000.0, 0.25);
  for chunk in xs.chunks_mut(1000) {
    let v = chunk[0];
    chunk[500..].fill(v);
  }
  for zs in [batch(&xs, 20), incremental(&xs, 20)] {
    for c in 0..50 {
      assert!(zs[c * 1000 + 520..(c + 1) * 1000].iter().all(|&z| z == 0.0));
    }
  }
}

#[test]
fn grid_prices_with_repeats_match_exact_and_constant_windows_are_zero() {
  // MES-like closes: 0.25 ticks, mostly unchanged, so constant windows of every length occur.
  let mut rng = Rng(11);
  let mut x = 5000.0;
  let xs: Vec<f64> = (0..20_000)
    .map(|_| {
      let u = rng.uniform();
      x += if u < 0.1 {
        -0.25
      } else if u > 0.9 {
        0.25
      } else {
        0.0
      };
      x
    })
    .collect();
  for l in [2, 3, 5, 20] {
    for zs in [batch(&xs, l), incremental(&xs, l)] {
      for i in l - 1..xs.len() {
        let w = &xs[i + 1 - l..=i];
        if w.iter().all(|&v| v == w[0]) {
          assert_eq!(zs[i], 0.0, "l={l} i={i}");
        } else {
          assert!((zs[i] - exact_z(w)).abs() < 1e-12, "l={l} i={i}");
        }
      }
    }
  }
}

#[test]
fn one_different_value_makes_a_window_non_constant() {
  // [7,7,7,9]: mean 7.5, σ = √0.75, z of 9 = 1.5/√0.75 = √3
  let xs = [7.0, 7.0, 7.0, 9.0, 9.0, 9.0, 9.0];
  for zs in [batch(&xs, 4), incremental(&xs, 4)] {
    assert_close(zs[3], 3f64.sqrt());
    assert!(zs[5] != 0.0); // [7,9,9,9]
    assert_eq!(zs[6], 0.0);
  }
}

#[test]
fn lookback_longer_than_series_gives_all_nan() {
  assert!(batch(&[1.0, 2.0, 3.0], 4).iter().all(|z| z.is_nan()));
  assert!(batch(&[], 2).is_empty());
}

#[test]
fn lanes_and_single_stream_agree() {
  // Lengths around the lane split, so every segment boundary and the tail are exercised.
  for (l, n) in [(2, 8), (3, 13), (20, 99), (20, 100), (20, 101), (20, 1003), (200, 5000)] {
    let xs = random_walk(l as u64 * 31 + n as u64, n, 5000.0, 1.0);
    let zs = batch(&xs, l);
    let mut single = vec![0.0; n];
    single[..l - 1].fill(f64::NAN);
    if n >= l {
      run_lanes::<1>(&xs, l, &mut single, [l - 1], n - l + 1);
    }
    for i in 0..n {
      let same = (zs[i].is_nan() && single[i].is_nan()) || (zs[i] - single[i]).abs() < 1e-12;
      assert!(same, "l={l} n={n} i={i}: {} vs {}", zs[i], single[i]);
    }
    assert!(max_error_vs_exact(&xs, l, &zs) < 1e-12);
    if n - (l - 1) >= LANES {
      // The SIMD kernel must reproduce the portable one bit for bit.
      let seg = (n - (l - 1)) / LANES;
      let starts: [usize; LANES] = std::array::from_fn(|j| l - 1 + j * seg);
      let (mut simd, mut portable) = (vec![0.0; n], vec![0.0; n]);
      assert!(run_segments(&xs, l, &mut simd, starts, seg).finite);
      assert!(run_lanes::<LANES>(&xs, l, &mut portable, starts, seg).finite);
      assert!(simd.iter().zip(&portable).all(|(a, b)| a.to_bits() == b.to_bits()), "l={l} n={n}");
      // And every vector unit this CPU has, whichever the dispatch picked.
      #[cfg(target_arch = "x86_64")]
      for isa in [Isa::Sse2, Isa::Avx] {
        if isa == Isa::Avx && !std::arch::is_x86_feature_detected!("avx") {
          continue;
        }
        let mut each = vec![0.0; n];
        assert!(run_segments_on(isa, &xs, l, &mut each, starts, seg).finite);
        assert!(each.iter().zip(&portable).all(|(a, b)| a.to_bits() == b.to_bits()), "{isa:?} l={l} n={n}");
      }
    }
    #[cfg(target_arch = "x86_64")]
    if n - (l - 1) >= 8 && std::arch::is_x86_feature_detected!("avx512f") {
      // The eight-segment AVX-512 kernel against the portable kernel on the same eight lanes.
      let seg = (n - (l - 1)) / 8;
      let starts: [usize; 8] = std::array::from_fn(|j| l - 1 + j * seg);
      let (mut simd, mut portable) = (vec![0.0; n], vec![0.0; n]);
      // SAFETY: the CPU has AVX-512F (checked above).
      assert!(unsafe { avx512::run_oct(&xs, l, &mut simd, starts, seg) }.finite);
      assert!(run_lanes::<8>(&xs, l, &mut portable, starts, seg).finite);
      assert!(simd.iter().zip(&portable).all(|(a, b)| a.to_bits() == b.to_bits()), "avx512 l={l} n={n}");
    }
    assert!(max_error_vs_exact(&xs, l, &incremental(&xs, l)) < 1e-12);
  }
}

#[test]
fn long_series_match_exact_two_pass() {
  // 10M prices per case in release (`cargo test --release`), 1M for the long window whose
  // reference costs 10× more; fewer in debug builds to stay quick.
  let n = if cfg!(debug_assertions) { 200_000 } else { 10_000_000 };
  let cases = [("around 5000", 5000.0, 0.25), ("around 1e6", 1e6, 0.25), ("nearly constant", 5000.0, 1e-7)];
  for (name, start, step) in cases {
    let xs = random_walk(42, n, start, step);
    for (l, len) in [(20, n), (200, n / 10)] {
      let xs = &xs[..len];
      let e_batch = max_error_vs_exact(xs, l, &batch(xs, l));
      let e_inc = max_error_vs_exact(xs, l, &incremental(xs, l));
      assert!(e_batch < 1e-9, "{name} l={l}: batch error {e_batch}");
      assert!(e_inc < 1e-9, "{name} l={l}: incremental error {e_inc}");
    }
  }
}

#[test]
fn long_lookback_path_matches_exact_two_pass() {
  // The path taken above MAX_BLOCK_LOOKBACK, exercised with small lookbacks.
  let xs = random_walk(9, 20_000, 5000.0, 0.25);
  for l in [2, 20, 300] {
    let mut zs = vec![0.0; xs.len()];
    rolling_zscore_incremental(&xs, l, &mut zs).unwrap();
    assert!(zs[..l - 1].iter().all(|z| z.is_nan()));
    assert!(max_error_vs_exact(&xs, l, &zs) < 1e-12);
  }
  let err = rolling_zscore_incremental(&[1.0, 2.0, f64::NAN], 2, &mut [0.0; 3]).unwrap_err();
  assert_eq!(err.to_string(), "closes[2] is not a finite number (NaN)");
}

#[test]
fn quiet_window_after_a_spike_keeps_full_accuracy() {
  // A sliding sum would keep the spike's rounding residue after it leaves the window,
  // swamping the tiny variance of the quiet stretch that follows.
  let mut xs = random_walk(13, 10_000, 5000.0, 1e-7);
  for i in (100..10_000).step_by(137) {
    xs[i] += 50.0;
  }
  for l in [2, 3, 20, 100] {
    for zs in [batch(&xs, l), incremental(&xs, l)] {
      let e = max_error_vs_exact(&xs, l, &zs);
      assert!(e < 1e-9, "l={l}: error {e}");
    }
  }
}

#[test]
fn huge_and_tiny_magnitudes_match_exact_two_pass() {
  for (start, step) in [(1e12, 1e9), (1e12, 0.25), (1e-9, 1e-11), (1e-9, 1e-18)] {
    let xs = random_walk(5, 50_000, start, step);
    for l in [2, 20, 200] {
      for zs in [batch(&xs, l), incremental(&xs, l)] {
        let e = max_error_vs_exact(&xs, l, &zs);
        assert!(e < 1e-9, "start={start} step={step} l={l}: error {e}");
      }
    }
  }
}

#[test]
fn non_finite_close_is_reported_with_its_index() {
  let mut xs = random_walk(3, 10_000, 5000.0, 1.0);
  for (at, bad) in
    [(0, f64::NAN), (5, f64::INFINITY), (19, f64::NEG_INFINITY), (4321, f64::NAN), (9999, f64::INFINITY)]
  {
    let keep = xs[at];
    xs[at] = bad;
    let mut out = vec![0.0; xs.len()];
    match rolling_zscore(&xs, 20, &mut out) {
      Err(ZScoreError::NonFiniteClose { index, value }) => {
        assert_eq!(index, at);
        assert_eq!(value.to_bits(), bad.to_bits());
      }
      other => panic!("expected NonFiniteClose at {at}, got {other:?}"),
    }
    xs[at] = keep;
  }
  let err = rolling_zscore(&[1.0, f64::NAN], 5, &mut [0.0; 2]).unwrap_err();
  assert_eq!(err.to_string(), "closes[1] is not a finite number (NaN)");
  let mut z = RollingZ::new(3).unwrap();
  assert_eq!(
    z.push(f64::NEG_INFINITY).unwrap_err().to_string(),
    "close must be a finite number, got -Infinity"
  );
  assert_eq!(z.count(), 0);
}

#[test]
fn invalid_arguments_are_errors() {
  assert_eq!(lookback_from_f64(1.0).unwrap_err().to_string(), "lookback must be an integer ≥ 2, got 1");
  assert!(lookback_from_f64(2.5).is_err());
  assert!(lookback_from_f64(f64::NAN).is_err());
  assert_eq!(lookback_from_f64(20.0), Ok(20));
  assert!(rolling_zscore(&[1.0, 2.0], 1, &mut [0.0; 2]).is_err());
  assert_eq!(
    rolling_zscore(&[1.0, 2.0, 3.0], 2, &mut [0.0; 2]).unwrap_err().to_string(),
    "out must be a Float64Array of length ≥ 3, got length 2"
  );
  assert!(RollingZ::new(1).is_err());
  assert!(matches!(RollingZ::new(usize::MAX / 4), Err(ZScoreError::OutOfMemory(_))));
}

#[test]
fn incremental_state_and_reset() {
  let mut z = RollingZ::new(3).unwrap();
  assert!(z.mean().is_nan());
  assert_eq!(z.push(1.0), Ok(None));
  assert_eq!(z.push(2.0), Ok(None));
  assert_close(z.push(3.0).unwrap().unwrap(), 1.224_744_871_391_589);
  assert_close(z.mean(), 2.0);
  assert_close(z.std(), (2.0f64 / 3.0).sqrt());
  assert_eq!(z.count(), 3);
  z.reset();
  assert_eq!(z.count(), 0);
  assert_eq!(z.push(10.0), Ok(None));
  assert_close(z.mean(), 10.0);
}

// The wide kernels' own edges: transposes, alignment of the outputs, streamed stores.
mod wide;
