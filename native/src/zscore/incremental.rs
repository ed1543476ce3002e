//! Incremental Z-Score for the live path, one close at a time.

use super::ZScoreError;

/// Incremental Z-Score for the live path: the same algorithm as `RollingStats` in
/// `src/indicators/rolling-stats.ts` (Neumaier-compensated shifted sums, re-based every
/// `lookback` values, equal-run tracking for constant windows).
#[derive(Debug, Clone)]
pub struct RollingZ {
  lookback: usize,
  buf: Vec<f64>,
  head: usize,
  n: usize,
  shift: f64,
  s1: f64,
  c1: f64,
  s2: f64,
  c2: f64,
  since_rebase: usize,
  last: f64,
  equal_run: usize,
}

#[inline(always)]
fn neumaier(s: &mut f64, c: &mut f64, v: f64) {
  let t = *s + v;
  *c += if s.abs() >= v.abs() { (*s - t) + v } else { (v - t) + *s };
  *s = t;
}

impl RollingZ {
  pub fn new(lookback: usize) -> Result<Self, ZScoreError> {
    if lookback < 2 {
      return Err(ZScoreError::Lookback(lookback as f64));
    }
    // A huge lookback from JavaScript must become an error, not an allocation abort.
    let mut buf = Vec::new();
    buf.try_reserve_exact(lookback).map_err(|_| ZScoreError::OutOfMemory(lookback))?;
    buf.resize(lookback, 0.0);
    Ok(Self {
      lookback,
      buf,
      head: 0,
      n: 0,
      shift: 0.0,
      s1: 0.0,
      c1: 0.0,
      s2: 0.0,
      c2: 0.0,
      since_rebase: 0,
      last: f64::NAN,
      equal_run: 0,
    })
  }

  pub fn lookback(&self) -> usize {
    self.lookback
  }

  pub fn count(&self) -> usize {
    self.n
  }

  /// Adds a close; returns its z once the window is full.
  pub fn push(&mut self, x: f64) -> Result<Option<f64>, ZScoreError> {
    if !x.is_finite() {
      return Err(ZScoreError::NonFinitePush(x));
    }
    self.equal_run = if x == self.last { self.equal_run + 1 } else { 1 };
    self.last = x;
    if self.n == 0 {
      self.shift = x;
    }
    if self.n == self.lookback {
      let old = self.buf[self.head] - self.shift;
      neumaier(&mut self.s1, &mut self.c1, -old);
      neumaier(&mut self.s2, &mut self.c2, -old * old);
    } else {
      self.n += 1;
    }
    self.buf[self.head] = x;
    self.head = if self.head + 1 == self.lookback { 0 } else { self.head + 1 };
    let d = x - self.shift;
    neumaier(&mut self.s1, &mut self.c1, d);
    neumaier(&mut self.s2, &mut self.c2, d * d);
    self.since_rebase += 1;
    if self.since_rebase >= self.lookback {
      self.rebase(x);
    }
    Ok(if self.n == self.lookback { Some(self.z_of(x)) } else { None })
  }

  pub fn reset(&mut self) {
    self.head = 0;
    self.n = 0;
    self.s1 = 0.0;
    self.c1 = 0.0;
    self.s2 = 0.0;
    self.c2 = 0.0;
    self.since_rebase = 0;
    self.last = f64::NAN;
    self.equal_run = 0;
  }

  /// Mean of the window (NaN when empty).
  pub fn mean(&self) -> f64 {
    if self.n == 0 {
      f64::NAN
    } else {
      self.shift + (self.s1 + self.c1) / self.n as f64
    }
  }

  /// Population variance of the window (NaN when empty, exactly 0 for a constant window).
  pub fn variance(&self) -> f64 {
    if self.n == 0 {
      return f64::NAN;
    }
    if self.equal_run >= self.n {
      return 0.0;
    }
    let m = (self.s1 + self.c1) / self.n as f64;
    let v = (self.s2 + self.c2) / self.n as f64 - m * m;
    if v > 0.0 {
      v
    } else {
      0.0
    }
  }

  pub fn std(&self) -> f64 {
    self.variance().sqrt()
  }

  fn z_of(&self, x: f64) -> f64 {
    let v = self.variance();
    if v == 0.0 {
      return 0.0;
    }
    let m = (self.s1 + self.c1) / self.n as f64;
    (x - self.shift - m) / v.sqrt()
  }

  fn rebase(&mut self, k: f64) {
    self.shift = k;
    self.s1 = 0.0;
    self.c1 = 0.0;
    self.s2 = 0.0;
    self.c2 = 0.0;
    for i in 0..self.n {
      let d = self.buf[i] - k;
      neumaier(&mut self.s1, &mut self.c1, d);
      neumaier(&mut self.s2, &mut self.c2, d * d);
    }
    self.since_rebase = 0;
  }
}
