//! Rolling Z-Score, the pure core (no Node-API types; `lib.rs` is the binding).
//!
//! Definition, shared with `src/indicators/zscore-ts.ts`:
//!   z_t = (close_t − mean) / σ over the last `lookback` closes including close_t,
//!   σ the population standard deviation (divide by n), z = 0 when σ = 0.
//! Outputs before the window is full are NaN (batch) or `None` (incremental).
//!
//! Numerics: running Σx and Σx² lose every digit over millions of prices near 5000 or 1e6,
//! so both paths keep sums of shifted values x − K, where K is a value inside the current
//! window (x − K is then small and, for prices, exact by Sterbenz's lemma). K moves to the
//! newest value every `lookback` values and the sums are rebuilt from the window's values,
//! so rounding error never accumulates beyond one window. Nor does a value that has left
//! the window leave a residue: the batch kernel never subtracts from a sum, the incremental
//! path compensates its subtractions. A window of identical values gives exactly 0, decided
//! by comparing the values, never by a rounding residue.
//!
//! The batch path (`rolling_zscore`, kernels in `zscore/`) and the incremental path
//! (`RollingZ`, the live feed) share this scheme but not their code: the batch kernel is
//! organised for throughput, the incremental one mirrors the TypeScript `RollingStats`.

#[cfg(target_arch = "x86_64")]
mod avx;
#[cfg(target_arch = "x86_64")]
mod avx512;
mod error;
mod incremental;
mod kernel;
#[cfg(target_arch = "x86_64")]
mod sse2;

pub use error::ZScoreError;
pub use incremental::RollingZ;

/// Checks a lookback that arrived as a JavaScript number.
pub fn lookback_from_f64(l: f64) -> Result<usize, ZScoreError> {
  if l.is_finite() && l.fract() == 0.0 && l >= 2.0 {
    Ok(l as usize) // saturates; any value above the series length just means "all NaN"
  } else {
    Err(ZScoreError::Lookback(l))
  }
}

fn first_non_finite(xs: &[f64]) -> Result<(), ZScoreError> {
  match xs.iter().position(|x| !x.is_finite()) {
    Some(index) => Err(ZScoreError::NonFiniteClose { index, value: xs[index] }),
    None => Ok(()),
  }
}

use kernel::{run_lanes, Outcome};

/// Segments computed side by side (see `kernel.rs`); pairs share one SSE2 register. Two to
/// eight measured within 5 % of each other; four was the fastest.
const LANES: usize = 4;

/// Batch Z-Score of `closes` into `out[..closes.len()]`.
///
/// On error `out` may be partly written. A non-finite close is reported with the index of
/// the first one.
pub fn rolling_zscore(closes: &[f64], lookback: usize, out: &mut [f64]) -> Result<(), ZScoreError> {
  if lookback < 2 {
    return Err(ZScoreError::Lookback(lookback as f64));
  }
  let n = closes.len();
  if out.len() < n {
    return Err(ZScoreError::OutTooShort { needed: n, got: out.len() });
  }
  let out = &mut out[..n];
  if n < lookback {
    first_non_finite(closes)?;
    out.fill(f64::NAN);
    return Ok(());
  }
  if lookback > MAX_BLOCK_LOOKBACK {
    return rolling_zscore_incremental(closes, lookback, out);
  }
  out[..lookback - 1].fill(f64::NAN);
  let outcome = match kernel_isa() {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: Isa::Avx512 is chosen only when the CPU reports AVX-512F.
    Isa::Avx512 => {
      split_aligned::<8>(closes, lookback, out, |x, l, o, s, len| unsafe { avx512::run_oct(x, l, o, s, len) })
    }
    _ => split::<LANES>(closes, lookback, out, run_segments),
  };
  if !outcome.finite {
    first_non_finite(closes)?;
  }
  Ok(())
}

/// Splits the outputs after the first full window into W segments run by `kernel` side by
/// side, and the few left over into a single-lane tail.
fn split<const W: usize>(
  closes: &[f64],
  lookback: usize,
  out: &mut [f64],
  kernel: impl Fn(&[f64], usize, &mut [f64], [usize; W], usize) -> Outcome,
) -> Outcome {
  let n = closes.len();
  let first = lookback - 1;
  let seg = (n - first) / W;
  // Short series (seg < lookback) would spend most of the time re-basing: one lane then.
  let (starts, seg, tail) = if seg >= lookback {
    (std::array::from_fn(|j| first + j * seg), seg, first + W * seg)
  } else {
    ([first; W], 0, first)
  };
  let main = kernel(closes, lookback, out, starts, seg);
  let rest = run_lanes::<1>(closes, lookback, out, [tail], n - tail);
  Outcome { finite: main.finite && rest.finite }
}

/// `split` with every segment's output starting on a 64-byte boundary and a multiple of 8
/// long (so the kernel can store whole cache lines); the few outputs before the first
/// boundary and after the last segment go to the single-lane kernel.
fn split_aligned<const W: usize>(
  closes: &[f64],
  lookback: usize,
  out: &mut [f64],
  kernel: impl Fn(&[f64], usize, &mut [f64], [usize; W], usize) -> Outcome,
) -> Outcome {
  let n = closes.len();
  let first = lookback - 1;
  let misalign = (out.as_ptr() as usize % 64) / 8; // out[8 − misalign] is on a boundary
  let head = first + (8 + 8 - misalign - first % 8) % 8;
  let seg = n.saturating_sub(head) / W / 8 * 8;
  if out.as_ptr() as usize % 8 != 0 || seg < lookback.max(8) {
    return split::<W>(closes, lookback, out, kernel);
  }
  let starts = std::array::from_fn(|j| head + j * seg);
  let lead = run_lanes::<1>(closes, lookback, out, [first], head - first);
  let main = kernel(closes, lookback, out, starts, seg);
  let tail = head + W * seg;
  let rest = run_lanes::<1>(closes, lookback, out, [tail], n - tail);
  Outcome { finite: lead.finite && main.finite && rest.finite }
}

/// The kernels keep per-lane sums for every step of a block: 64 bytes × lookback. Beyond
/// this the incremental algorithm (8 bytes × lookback, slower) takes over.
const MAX_BLOCK_LOOKBACK: usize = 1 << 16;

fn rolling_zscore_incremental(closes: &[f64], lookback: usize, out: &mut [f64]) -> Result<(), ZScoreError> {
  let mut z = RollingZ::new(lookback)?;
  for (index, (&x, o)) in closes.iter().zip(out.iter_mut()).enumerate() {
    *o = match z.push(x) {
      Ok(v) => v.unwrap_or(f64::NAN),
      Err(_) => return Err(ZScoreError::NonFiniteClose { index, value: x }),
    };
  }
  Ok(())
}

/// The vector unit the batch kernel runs on, chosen once at run time: the widest of AVX-512
/// (eight segments per register), AVX (four) and SSE2 (two; every x86-64 has it), else
/// portable code. The four-segment kernels (AVX, SSE2, portable) give bit-identical results;
/// AVX-512's eight segments start their blocks elsewhere, so its last bits differ (it is
/// bit-identical to the portable kernel on eight lanes). All are exact to 1e-9 (tested).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isa {
  Avx512,
  Avx,
  Sse2,
  Portable,
}

impl Isa {
  pub fn name(self) -> &'static str {
    match self {
      Isa::Avx512 => "avx512",
      Isa::Avx => "avx",
      Isa::Sse2 => "sse2",
      Isa::Portable => "portable",
    }
  }
}

/// The vector unit `rolling_zscore` uses on this CPU. `QS_ZSCORE_ISA=avx`, `sse2` or
/// `portable` in the environment caps it, for comparing the kernels on one machine.
pub fn kernel_isa() -> Isa {
  static ISA: std::sync::OnceLock<Isa> = std::sync::OnceLock::new();
  *ISA.get_or_init(|| {
    let cap = std::env::var("QS_ZSCORE_ISA").unwrap_or_default();
    detect_isa(&cap)
  })
}

#[cfg(target_arch = "x86_64")]
fn detect_isa(cap: &str) -> Isa {
  match cap {
    "portable" => Isa::Portable,
    "sse2" => Isa::Sse2,
    "avx" if std::arch::is_x86_feature_detected!("avx") => Isa::Avx,
    "avx" => Isa::Sse2,
    _ if std::arch::is_x86_feature_detected!("avx512f") => Isa::Avx512,
    _ if std::arch::is_x86_feature_detected!("avx") => Isa::Avx,
    _ => Isa::Sse2,
  }
}

#[cfg(not(target_arch = "x86_64"))]
fn detect_isa(_cap: &str) -> Isa {
  Isa::Portable
}

#[cfg(target_arch = "x86_64")]
fn run_segments(x: &[f64], l: usize, out: &mut [f64], starts: [usize; LANES], len: usize) -> Outcome {
  run_segments_on(kernel_isa(), x, l, out, starts, len)
}

#[cfg(target_arch = "x86_64")]
fn run_segments_on(
  isa: Isa,
  x: &[f64],
  l: usize,
  out: &mut [f64],
  starts: [usize; LANES],
  len: usize,
) -> Outcome {
  match isa {
    // SAFETY: Isa::Avx is chosen only when the CPU reports AVX (or by a test that checked it).
    Isa::Avx => unsafe { avx::run_quad(x, l, out, starts, len) },
    // Eight segments (`split::<8>`); asked for four, the AVX kernel does them.
    // SAFETY: AVX-512F implies AVX.
    Isa::Avx512 => unsafe { avx::run_quad(x, l, out, starts, len) },
    Isa::Sse2 => {
      let pairs: [[usize; 2]; LANES / 2] = std::array::from_fn(|p| [starts[2 * p], starts[2 * p + 1]]);
      sse2::run_pairs(x, l, out, pairs, len)
    }
    Isa::Portable => run_lanes::<LANES>(x, l, out, starts, len),
  }
}

#[cfg(not(target_arch = "x86_64"))]
fn run_segments(x: &[f64], l: usize, out: &mut [f64], starts: [usize; LANES], len: usize) -> Outcome {
  run_lanes::<LANES>(x, l, out, starts, len)
}

#[cfg(test)]
mod tests;
