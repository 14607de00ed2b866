#!/usr/bin/python3
"""Experiment 4: spurious minima of ReLU networks under population gradient descent. Reads the CSVs
of exp4_relu_population.sh (one per n and k) and prints, per (n, k), the fractions of restarts that
ended at a global minimum, a spurious minimum, a saddle, not converged or diverged, with the
binomial standard error of the spurious fraction, and the distinct losses of the spurious minima
found (rounded to 1e-6: the same minimum reached from different starts has the same loss); then
draws exp4_relu_population.png (spurious fraction against n, k = n and k = n + 1).
usage: exp4_analysis.py OUT_DIR"""
import csv
import glob
import math
import os
import re
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

out = sys.argv[1]
CLASSES = ["global", "spurious_minimum", "saddle", "not_converged", "diverged"]
runs = {}
for path in glob.glob(os.path.join(out, "n*_k*.csv")):
    n, k = map(int, re.match(r"n(\d+)_k(\d+)\.csv", os.path.basename(path)).groups())
    with open(path, newline="") as f:
        runs[(n, k)] = list(csv.DictReader(f))

print("| n | k | restarts | global | spurious minimum (SE) | saddle | not converged | diverged | distinct spurious losses (count) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
series = {0: [], 1: []}
for (n, k), rows in sorted(runs.items()):
    m = len(rows)
    frac = {c: sum(r["class"] == c for r in rows) / m for c in CLASSES}
    p = frac["spurious_minimum"]
    se = math.sqrt(p * (1 - p) / m)
    losses = {}
    for r in rows:
        if r["class"] == "spurious_minimum":
            key = round(float(r["loss"]), 6)
            losses[key] = losses.get(key, 0) + 1
    top = ", ".join(f"{l:.6f} ({c})" for l, c in sorted(losses.items(), key=lambda x: -x[1])[:4])
    more = f" and {len(losses) - 4} more" if len(losses) > 4 else ""
    print(f"| {n} | {k} | {m} | {frac['global']:.3f} | {p:.3f} ({se:.3f}) | {frac['saddle']:.3f} | "
          f"{frac['not_converged']:.3f} | {frac['diverged']:.3f} | {top}{more} |")
    series[k - n].append((n, p, se))

fig, ax = plt.subplots(figsize=(5, 3.5))
for extra, label in [(0, "k = n"), (1, "k = n + 1")]:
    pts = sorted(series[extra])
    if pts:
        ax.errorbar([x[0] for x in pts], [x[1] for x in pts], yerr=[2 * x[2] for x in pts], fmt="-o", ms=4,
                    capsize=2, label=label)
ax.set_xlabel("n (teacher units = input dimension)")
ax.set_ylabel("fraction ending at a spurious minimum")
ax.set_ylim(-0.02, 1.02)
ax.set_title("ReLU, population GD, orthonormal teacher", fontsize=9)
ax.legend(fontsize=8)
fig.tight_layout()
png = os.path.join(out, "exp4_relu_population.png")
fig.savefig(png, dpi=80)
print(f"figure: {png}")
