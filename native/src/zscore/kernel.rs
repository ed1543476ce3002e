//! The batch kernel, portable form. `sse2.rs` is the same computation packed two segments
//! per register; both must give bit-identical results (tested), so a change here is
//! mirrored there operation for operation.
//!
//! A call computes `len` outputs for each of several independent segments (lanes) in
//! lockstep, lane j starting at index `starts[j]`. Within one segment every step waits on
//! the previous one through the running sums; side by side, the lanes keep the
//! floating-point units busy.
//!
//! Per lane, in blocks of `l` steps starting at index b, with the shift K = x[b]:
//! - the window of step u is [b+u+1−l, b−1] ∪ [b, b+u]. Sums of x − K over the first part
//!   (suffix sums, one backward pass at the block start) and over the second (prefix sums,
//!   carried along) are added. No value is ever subtracted from a sum, so a large value
//!   that has left the window leaves no rounding residue behind (a sliding sum would keep
//!   one, fatal when a quiet window follows a spike);
//! - K lies in every window of its block, so |x − K| never exceeds the window's range;
//! - a constant window is then one made of K only: `constant_steps` finds those windows by
//!   comparing values, and their z is set to exactly 0.

/// Result of a kernel call that returned normally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Outcome {
  /// Every value read was finite. Every value enters exactly one suffix or prefix sum that
  /// ends up in `poison`, and a non-finite value makes that sum non-finite: the check costs
  /// no second pass over memory.
  pub finite: bool,
}

/// Checks the bounds every kernel relies on: lane j reads x[s_j + 1 − l ..= s_j + len − 1]
/// and writes out[s_j ..= s_j + len − 1]. Kernels index without bounds checks after this.
pub(crate) fn check_segments(x: &[f64], l: usize, out: &[f64], starts: &[usize], len: usize) {
  assert!(out.len() == x.len() && l >= 2);
  for &s in starts {
    assert!(s + 1 >= l && s + len <= x.len());
  }
}

/// The steps u of the block starting at index b (K = x[b], `block` steps) whose window
/// [b + u + 1 − l, b + u] holds only K. They form one range; usually empty after one or two
/// comparisons.
pub(crate) fn constant_steps(x: &[f64], b: usize, l: usize, block: usize) -> std::ops::Range<usize> {
  let k = x[b];
  let mut back = 0; // values equal to K just before b
  while back < l - 1 && x[b - 1 - back] == k {
    back += 1;
  }
  let mut ahead = 0; // values equal to K just after b, within the block
  while ahead + 1 < block && x[b + 1 + ahead] == k {
    ahead += 1;
  }
  (l - 1 - back)..(ahead + 1)
}

/// The portable kernel: W lanes in lockstep.
pub(crate) fn run_lanes<const W: usize>(
  x: &[f64],
  l: usize,
  out: &mut [f64],
  starts: [usize; W],
  len: usize,
) -> Outcome {
  check_segments(x, l, out, &starts, len);
  let xp = x.as_ptr();
  let op = out.as_mut_ptr();
  // SAFETY: every index passed to `at` lies in [0, n) by `check_segments`.
  let at = |i: usize| unsafe { *xp.add(i) };
  let inv_l = 1.0 / l as f64;
  // suf[u][j]: sums of x − K over [b+u+1−l, b−1] for lane j, first and second powers.
  let mut suf1 = vec![[0.0; W]; l];
  let mut suf2 = vec![[0.0; W]; l];
  let mut poison = 0.0;
  let mut t = 0;
  while t < len {
    let k: [f64; W] = std::array::from_fn(|j| at(starts[j] + t));
    let mut a1 = [0.0; W];
    let mut a2 = [0.0; W];
    for r in 1..l {
      for j in 0..W {
        let d = at(starts[j] + t - r) - k[j];
        a1[j] += d;
        a2[j] += d * d;
      }
      suf1[l - 1 - r] = a1;
      suf2[l - 1 - r] = a2;
    }
    suf1[l - 1] = [0.0; W];
    suf2[l - 1] = [0.0; W];
    let mut p1 = [0.0; W];
    let mut p2 = [0.0; W];
    let block = l.min(len - t);
    for u in 0..block {
      for j in 0..W {
        let i = starts[j] + t + u;
        let dn = at(i) - k[j];
        p1[j] += dn;
        p2[j] += dn * dn;
        let m = (suf1[u][j] + p1[j]) * inv_l;
        let var = (suf2[u][j] + p2[j]) * inv_l - m * m;
        // A rounding residue ≤ 0 means σ = 0 to working precision; NaN (from a non-finite
        // input) passes through and is reported by the caller.
        let z = if var <= 0.0 { 0.0 } else { (dn - m) / var.sqrt() };
        // SAFETY: i < starts[j] + len <= n.
        unsafe { *op.add(i) = z };
      }
    }
    for j in 0..W {
      poison += a1[j] + p1[j];
    }
    for &s in &starts {
      for u in constant_steps(x, s + t, l, block) {
        out[s + t + u] = 0.0;
      }
    }
    t += block;
  }
  Outcome { finite: poison.is_finite() }
}
