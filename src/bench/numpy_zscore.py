"""Reference point for the native kernel: the rolling z-score the way NumPy code usually writes it
(sliding_window_view + mean + population std), on the same kind of series. Prints ns per element."""
import sys
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

n, lookback = int(sys.argv[1]), int(sys.argv[2])
closes = 5000 + np.cumsum(np.random.default_rng(1).uniform(-0.25, 0.25, n))


def zscore(c, k):
    w = sliding_window_view(c, k)
    mean, std = w.mean(axis=1), w.std(axis=1)
    out = np.full(c.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        out[k - 1 :] = np.where(std == 0, 0.0, (c[k - 1 :] - mean) / std)
    return out


times = []
for _ in range(3):
    t = time.perf_counter()
    zscore(closes, lookback)
    times.append(time.perf_counter() - t)
print(sorted(times)[1] / n * 1e9)
