//! Errors of the Z-Score core. Messages name the argument and the value, and read the same
//! as those of the TypeScript implementation.

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum ZScoreError {
  Lookback(f64),
  NonFiniteClose { index: usize, value: f64 },
  NonFinitePush(f64),
  OutTooShort { needed: usize, got: usize },
  OutOfMemory(usize),
  OffGrid { index: usize, value: f64 },
  TooLarge { index: usize, value: f64 },
  MomentsLookback(f64),
}

/// Formats a number the way JavaScript prints it, so messages read the same from both
/// implementations.
fn js_number(x: f64) -> String {
  if x.is_nan() {
    "NaN".into()
  } else if x.is_infinite() {
    if x > 0.0 {
      "Infinity".into()
    } else {
      "-Infinity".into()
    }
  } else {
    format!("{x}")
  }
}

impl fmt::Display for ZScoreError {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match self {
      Self::Lookback(l) => write!(f, "lookback must be an integer ≥ 2, got {}", js_number(*l)),
      Self::NonFiniteClose { index, value } => {
        write!(f, "closes[{index}] is not a finite number ({})", js_number(*value))
      }
      Self::NonFinitePush(v) => write!(f, "close must be a finite number, got {}", js_number(*v)),
      Self::OutTooShort { needed, got } => {
        write!(f, "out must be a Float64Array of length ≥ {needed}, got length {got}")
      }
      Self::OffGrid { index, value } => write!(
        f,
        "closes[{index}] = {} is not on the 0.25 tick grid; exact threshold decisions need tick prices",
        js_number(*value)
      ),
      Self::TooLarge { index, value } => write!(
        f,
        "closes[{index}] = {} is beyond ±274877906944, too large for exact tick arithmetic",
        js_number(*value)
      ),
      Self::MomentsLookback(l) => {
        write!(f, "lookback must be an integer from 2 to 1048576, got {}", js_number(*l))
      }
      Self::OutOfMemory(l) => write!(f, "cannot allocate a window of {l} values; use a smaller lookback"),
    }
  }
}

impl std::error::Error for ZScoreError {}
