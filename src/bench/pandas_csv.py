"""Reference for `bun run bench`: pandas read_csv + to_datetime on the same bar CSV file.

Prints one JSON line: the wall and CPU seconds of each repeat (CPU time is what a machine
shared with other work still measures fairly). pandas is not a dependency of the project;
the bench skips this figure when it is not installed.
"""
import json
import sys
import time

import pandas as pd

path, repeats = sys.argv[1], int(sys.argv[2])
wall = []
cpu = []
rows = 0
for _ in range(repeats):
    t0 = time.perf_counter()
    c0 = time.process_time()
    df = pd.read_csv(path)
    df["time"] = pd.to_datetime(df["time"], utc=True, format="ISO8601")
    cpu.append(time.process_time() - c0)
    wall.append(time.perf_counter() - t0)
    rows = len(df)
    del df
print(json.dumps({"wall": wall, "cpu": cpu, "rows": rows}))
