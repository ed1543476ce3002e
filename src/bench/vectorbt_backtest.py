"""Peer figure for the backtest bench: vectorbt's Portfolio.from_signals on the same bars and the
same Z-Score signals as `bun run bench` (written by src/bench/vectorbt.ts), with a stop and target
checked against each bar's high and low, slippage and a fee per order. vectorbt's fill rules are
its own (stops in fractions of the price, no contract multiplier), so its trades are not ours to
the cent; the figure is its cost per bar for the same kind of work. vectorbt is not a dependency.

argv: path of the input file, repeats. Input: n (float64), then open, high, low, close (float64 × n
each), then long entry, long exit, short entry, short exit (uint8 × n each), the signals already
shifted to the bar they fill on. Prints one JSON object: ns per bar of each repeat, trades.
"""
import json
import sys
import time

import numpy as np
import vectorbt as vbt

path, repeats = sys.argv[1], int(sys.argv[2])
raw = open(path, "rb").read()
n = int(np.frombuffer(raw, dtype=np.float64, count=1)[0])
f = np.frombuffer(raw, dtype=np.float64, count=1 + 4 * n)[1:].reshape(4, n)
b = np.frombuffer(raw, dtype=np.uint8, offset=8 * (1 + 4 * n), count=4 * n).reshape(4, n).astype(bool)
o, h, l, c = f
STOP_PTS, TARGET_PTS, TICK = 40.0, 60.0, 0.25


def run():
    return vbt.Portfolio.from_signals(
        c, entries=b[0], exits=b[1], short_entries=b[2], short_exits=b[3],
        price=o, open=o, high=h, low=l,
        sl_stop=STOP_PTS / o, tp_stop=TARGET_PTS / o,
        slippage=TICK / o, fixed_fees=0.62, size=1.0, init_cash=1e9,
    )


trades = int(run().trades.count())  # first call compiles (numba), untimed
ns = []
for _ in range(repeats):
    # CPU time, as the Bun side measures: a run that loses the core on a shared machine is not charged.
    t = time.process_time()
    pf = run()
    pf.trades.count()
    ns.append((time.process_time() - t) / n * 1e9)
print(json.dumps({"nsPerBar": ns, "trades": trades}))
