//! Tests of the exact moments against hand-computed values and a direct i128 reference.
use super::*;

fn moments(xs: &[f64], l: usize) -> Vec<f64> {
  let mut out = vec![0.0; 2 * xs.len()];
  rolling_tick_moments(xs, l, &mut out).unwrap();
  out
}

/// N and D of one window, summed from scratch.
fn reference(w: &[f64]) -> (i128, i128) {
  let t: Vec<i128> = w.iter().map(|&x| (x * 4.0) as i128).collect();
  let n = t.len() as i128;
  let s1: i128 = t.iter().sum();
  let s2: i128 = t.iter().map(|v| v * v).sum();
  (n * t[t.len() - 1] - s1, n * s2 - s1 * s1)
}

/// splitmix64, as in the z-score tests.
struct Rng(u64);
impl Rng {
  fn below(&mut self, k: u64) -> u64 {
    self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = self.0;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) % k
  }
}

#[test]
fn the_issue_series_lands_exactly_on_z_2_at_bar_9() {
  // Ticks of the closes; at bar 9 N = 436, D = 47524 = 218², so z = 436/218 = 2 exactly.
  let xs = [5011.5, 5018.5, 5024.5, 5021.25, 5014.75, 5019.0, 5019.0, 5019.5, 5026.5, 5031.5, 5031.5, 5031.5];
  let out = moments(&xs, 10);
  assert!(out[..18].iter().all(|v| v.is_nan()));
  assert_eq!((out[18], out[19]), (436.0, 47524.0));
  assert_eq!(out[18] * out[18], 4.0 * out[19]);
  assert_eq!((out[20], out[21]), (356.0, 46884.0));
  // The same pair at bar 9 whatever follows: the prefix alone.
  assert_eq!(&moments(&xs[..10], 10)[18..20], &[436.0, 47524.0]);
}

#[test]
fn hand_computed_small_window() {
  // ticks [4, 8, 12]: N = 3·12 − 24 = 12, D = 3·224 − 576 = 96
  let out = moments(&[1.0, 2.0, 3.0], 3);
  assert_eq!((out[4], out[5]), (12.0, 96.0));
}

#[test]
fn matches_the_reference_on_random_tick_series_at_every_bar() {
  let mut rng = Rng(5);
  for l in [2, 3, 10, 37] {
    let mut x = 5000.0;
    let xs: Vec<f64> = (0..3000)
      .map(|_| {
        x += (rng.below(9) as f64 - 4.0) * 0.25;
        x
      })
      .collect();
    let out = moments(&xs, l);
    for i in l - 1..xs.len() {
      let (num, den) = reference(&xs[i + 1 - l..=i]);
      assert_eq!((out[2 * i], out[2 * i + 1]), (num as f64, den as f64), "l={l} i={i}");
    }
  }
}

#[test]
fn a_window_too_wide_for_a_double_is_marked() {
  // Two closes 2^30 points apart: D = 2·(a² + b²) − (a + b)² = (a − b)² = 2^64 ticks² > 2^53.
  let out = moments(&[0.0, (1u64 << 30) as f64], 2);
  assert!(out[2].is_nan());
  assert_eq!(out[3], f64::INFINITY);
}

#[test]
fn bad_closes_and_lookbacks_are_named() {
  let mut out = vec![0.0; 6];
  let err = |xs: &[f64], l: usize, out: &mut [f64]| rolling_tick_moments(xs, l, out).unwrap_err().to_string();
  assert_eq!(
    err(&[5000.0, 5000.1, 5000.0], 2, &mut out),
    "closes[1] = 5000.1 is not on the 0.25 tick grid; exact threshold decisions need tick prices"
  );
  assert_eq!(err(&[5000.0, f64::NAN, 1.0], 2, &mut out), "closes[1] is not a finite number (NaN)");
  assert_eq!(
    err(&[1e12, 1.0, 1.0], 2, &mut out),
    "closes[0] = 1000000000000 is beyond ±274877906944, too large for exact tick arithmetic"
  );
  assert_eq!(err(&[1.0], 1, &mut out), "lookback must be an integer from 2 to 1048576, got 1");
  assert_eq!(
    err(&[1.0, 2.0, 3.0, 4.0], 2, &mut out),
    "out must be a Float64Array of length ≥ 8, got length 6"
  );
}
