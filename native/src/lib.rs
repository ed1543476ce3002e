//! Node-API binding of the Z-Score core: argument checking and conversion only; the
//! numerics live in `zscore.rs`. Loaded by `src/indicators/zscore-native.ts`.
//!
//! Errors mirror the TypeScript implementation: a wrong array type is a `TypeError`, a bad
//! value a `RangeError`, each naming the argument and the value.

use napi::bindgen_prelude::*;
use napi_derive::napi;

pub mod levels;
pub mod moments;
pub mod zscore;

use zscore::{lookback_from_f64, rolling_zscore, RollingZ, ZScoreError};

/// Throws `err` as a `RangeError` and returns the marker that tells napi-rs an exception
/// is already pending.
fn range_error(env: &Env, err: ZScoreError) -> Error {
  let msg = err.to_string();
  let _ = env.throw_range_error(&msg, None);
  Error::new(Status::PendingException, msg)
}

fn type_error(env: &Env, msg: String) -> Error {
  let _ = env.throw_type_error(&msg, None);
  Error::new(Status::PendingException, msg)
}

fn float64_array<'env>(env: &Env, value: &Unknown<'env>, name: &str) -> Result<Float64ArraySlice<'env>> {
  // SAFETY: `value` is a live handle of this call; the conversion checks the array type.
  unsafe { Float64ArraySlice::from_napi_value(env.raw(), value.raw()) }
    .map_err(|_| type_error(env, format!("{name} must be a Float64Array")))
}

fn lookback_arg(env: &Env, value: &Unknown<'_>) -> Result<usize> {
  match value.get_type()? {
    // SAFETY: the value was just checked to be a number.
    ValueType::Number => lookback_from_f64(unsafe { value.cast::<f64>()? }).map_err(|e| range_error(env, e)),
    other => Err(type_error(env, format!("lookback must be an integer ≥ 2, got a value of type {other}"))),
  }
}

/// Z-Score of every close; writes into `out` (and returns it) when given.
///
/// `catch_unwind` here and below: the core does not panic on any input, but should a bound
/// assertion ever fire, JavaScript gets an exception instead of the process aborting.
#[napi(js_name = "rollingZScore", catch_unwind)]
pub fn rolling_z_score<'env>(
  env: &'env Env,
  closes: Unknown<'env>,
  lookback: Unknown<'env>,
  out: Option<Unknown<'env>>,
) -> Result<Float64ArraySlice<'env>> {
  let closes = float64_array(env, &closes, "closes")?;
  let lookback = lookback_arg(env, &lookback)?;
  let out = match out {
    Some(out) if out.get_type()? != ValueType::Undefined => Some(float64_array(env, &out, "out")?),
    _ => None,
  };
  match out {
    Some(mut target) => {
      if ranges_overlap(&closes, &target) {
        // Writing into the array being read would corrupt windows still to come.
        let copy = closes.to_vec();
        // SAFETY: `target` is a distinct JS view; no other Rust reference to it exists.
        rolling_zscore(&copy, lookback, unsafe { target.as_mut() }).map_err(|e| range_error(env, e))?;
      } else {
        // SAFETY: as above; the two views do not share memory (checked).
        rolling_zscore(&closes, lookback, unsafe { target.as_mut() }).map_err(|e| range_error(env, e))?;
      }
      Ok(target)
    }
    None => {
      let mut result = new_float64_array(env, closes.len())?;
      // SAFETY: a fresh array nobody else references yet.
      rolling_zscore(&closes, lookback, unsafe { result.as_mut() }).map_err(|e| range_error(env, e))?;
      Ok(result)
    }
  }
}

/// Exact N and D of every bar on the tick grid (`moments.rs`), two entries per close; writes
/// into `out` (length ≥ 2 · closes) and returns it when given.
/// The vector unit the batch Z-Score kernel runs on here: "avx512", "avx", "sse2" or "portable".
#[napi(js_name = "zscoreKernel")]
pub fn zscore_kernel() -> &'static str {
  zscore::kernel_isa().name()
}

#[napi(js_name = "rollingTickMoments", catch_unwind)]
pub fn rolling_tick_moments_js<'env>(
  env: &'env Env,
  closes: Unknown<'env>,
  lookback: Unknown<'env>,
  out: Option<Unknown<'env>>,
) -> Result<Float64ArraySlice<'env>> {
  let closes = float64_array(env, &closes, "closes")?;
  let lookback = match lookback.get_type()? {
    // SAFETY: the value was just checked to be a number.
    ValueType::Number => {
      moments::lookback_from_f64(unsafe { lookback.cast::<f64>()? }).map_err(|e| range_error(env, e))?
    }
    other => {
      let msg = format!(
        "lookback must be an integer from 2 to {}, got a value of type {other}",
        moments::MAX_LOOKBACK
      );
      return Err(type_error(env, msg));
    }
  };
  let out = match out {
    Some(out) if out.get_type()? != ValueType::Undefined => Some(float64_array(env, &out, "out")?),
    _ => None,
  };
  let mut target = match out {
    Some(target) => target,
    None => new_float64_array(env, 2 * closes.len())?,
  };
  // Writing into the array being read would corrupt windows still to come.
  let copy;
  let input: &[f64] = if ranges_overlap(&closes, &target) {
    copy = closes.to_vec();
    &copy
  } else {
    &closes
  };
  // SAFETY: `target` is a distinct JS view (or fresh); no other Rust reference to it exists.
  moments::rolling_tick_moments(input, lookback, unsafe { target.as_mut() })
    .map_err(|e| range_error(env, e))?;
  Ok(target)
}

/// `levels::reached_levels` of every z into a new Uint8Array: the level bits of each bar, or
/// `NEAR` (128) where the caller must decide exactly. Levels: enter long, enter short, exit
/// long, exit short.
#[napi(js_name = "reachedLevels", catch_unwind)]
pub fn reached_levels_js<'env>(
  env: &'env Env,
  z: Unknown<'env>,
  enter_long: f64,
  enter_short: f64,
  exit_long: f64,
  exit_short: f64,
) -> Result<Uint8ArraySlice<'env>> {
  let z = float64_array(env, &z, "z")?;
  let levels = levels::Levels { enter_long, enter_short, exit_long, exit_short };
  let (mut data, mut buffer, mut array) = (std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut());
  // SAFETY: plain Node-API calls on this call's env, each result checked; `data` is the fresh
  // buffer's memory, `z.len()` bytes no other reference points at.
  unsafe {
    check_status!(napi::sys::napi_create_arraybuffer(env.raw(), z.len(), &mut data, &mut buffer))?;
    check_status!(napi::sys::napi_create_typedarray(
      env.raw(),
      napi::sys::TypedarrayType::uint8_array,
      z.len(),
      buffer,
      0,
      &mut array
    ))?;
    levels::reached_levels(&z, &levels, std::slice::from_raw_parts_mut(data as *mut u8, z.len()));
    Uint8ArraySlice::from_napi_value(env.raw(), array)
  }
}

/// A JS-owned Float64Array: the engine's allocator can recycle its memory, where a Rust
/// allocation of this size would be fresh pages, and page faults, every call.
fn new_float64_array<'env>(env: &'env Env, len: usize) -> Result<Float64ArraySlice<'env>> {
  let mut data = std::ptr::null_mut();
  let mut buffer = std::ptr::null_mut();
  let mut array = std::ptr::null_mut();
  // SAFETY: plain Node-API calls on this call's env; each result is checked.
  unsafe {
    check_status!(napi::sys::napi_create_arraybuffer(
      env.raw(),
      len * std::mem::size_of::<f64>(),
      &mut data,
      &mut buffer
    ))?;
    check_status!(napi::sys::napi_create_typedarray(
      env.raw(),
      napi::sys::TypedarrayType::float64_array,
      len,
      buffer,
      0,
      &mut array
    ))?;
    Float64ArraySlice::from_napi_value(env.raw(), array)
  }
}

fn ranges_overlap(a: &[f64], b: &[f64]) -> bool {
  let (a0, a1) = (a.as_ptr() as usize, a.as_ptr() as usize + std::mem::size_of_val(a));
  let (b0, b1) = (b.as_ptr() as usize, b.as_ptr() as usize + std::mem::size_of_val(b));
  a0 < b1 && b0 < a1
}

/// Incremental Z-Score with the `ZScoreTs` interface.
#[napi(js_name = "ZScore")]
pub struct ZScore {
  inner: RollingZ,
}

#[napi]
impl ZScore {
  #[napi(constructor, catch_unwind)]
  pub fn new(env: &Env, lookback: Unknown<'_>) -> Result<Self> {
    let lookback = lookback_arg(env, &lookback)?;
    let inner = RollingZ::new(lookback).map_err(|e| range_error(env, e))?;
    Ok(Self { inner })
  }

  /// The close's z once the window is full, else null.
  #[napi(catch_unwind)]
  pub fn push(&mut self, env: &Env, close: f64) -> Result<Option<f64>> {
    self.inner.push(close).map_err(|e| range_error(env, e))
  }

  #[napi]
  pub fn reset(&mut self) {
    self.inner.reset();
  }

  #[napi(getter)]
  pub fn lookback(&self) -> f64 {
    self.inner.lookback() as f64
  }

  #[napi(getter)]
  pub fn mean(&self) -> f64 {
    self.inner.mean()
  }

  #[napi(getter)]
  pub fn std(&self) -> f64 {
    self.inner.std()
  }

  #[napi(getter)]
  pub fn count(&self) -> f64 {
    self.inner.count() as f64
  }
}
