#!/usr/bin/python3
"""Experiment 9: weight decay and width on orthogonal data. Reads exp9_width.sh's CSVs
(n{n}_init{s}.csv: width,restart,loss,optimum,global) and prints, per (init-scale, n, width), the
fraction of restarts that reached the global minimum F*, the median relative excess loss / F* - 1 of
those that did not, and the count model's prediction: at the global minimum each class needs a unit
whose v has the class's sign and whose W is positive on all of the class's m_c points; at random
initialization a unit is such with probability 2^-(m_c + 1), and dead inputs stay dead, so with
activation patterns frozen the chance that width m has one per class is
prod_c [1 - (1 - 2^-(m_c + 1))^m]. Then, per (init-scale, n), the smallest width of the grid where
at least half the restarts reached F*, and exp9_width.png.
usage: exp9_analysis.py OUT_DIR"""
import csv
import glob
import math
import os
import re
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

out = sys.argv[1]
data = {}  # (init, n) -> {width: [(loss, optimum, global)]}
for path in glob.glob(os.path.join(out, "n*_init*.csv")):
    m = re.match(r"n(\d+)_init([0-9.]+)\.csv", os.path.basename(path))
    key = (float(m.group(2)), int(m.group(1)))
    per = data.setdefault(key, {})
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            per.setdefault(int(r["width"]), []).append((float(r["loss"]), float(r["optimum"]), int(r["global"])))


def predicted(n, m):
    mp, mm = (n + 1) // 2, n // 2
    return math.prod(1 - (1 - 2.0 ** -(c + 1)) ** m for c in (mp, mm) if c > 0)


print("| init-scale | n | F* | width | restarts | reached F* | median excess of the others (loss / F* - 1) | count model |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
half = {}
for key in sorted(data):
    init, n = key
    for w in sorted(data[key]):
        runs = data[key][w]
        g = sum(r[2] for r in runs)
        others = [r[0] / r[1] - 1 for r in runs if not r[2]]
        exc = f"{np.median(others):.3g}" if others else "-"
        print(f"| {init:g} | {n} | {runs[0][1]:.6g} | {w} | {len(runs)} | {g} ({g / len(runs):.2f}) | {exc} | {predicted(n, w):.2f} |")
        if key not in half and g >= len(runs) / 2:
            half[key] = w

print("\n| init-scale | n | smallest width with at least half the restarts at F* | count model: smallest width with probability >= 1/2 |")
print("| --- | --- | --- | --- |")
for key in sorted(data):
    init, n = key
    model = next((w for w in sorted(data[key]) if predicted(n, w) >= 0.5), None)
    print(f"| {init:g} | {n} | {half.get(key, 'none on the grid')} | {model} |")

widths = sorted({w for per in data.values() for w in per})
print("\n| init-scale | n | " + " | ".join(f"m = {w}" for w in widths) + " |")
print("| --- | --- |" + " --- |" * len(widths))
for key in sorted(data):
    per = data[key]
    print(f"| {key[0]:g} | {key[1]} | " + " | ".join(f"{sum(r[2] for r in per[w])}/{len(per[w])}" if w in per else "" for w in widths) + " |")

inits = sorted({k[0] for k in data})
fig, axes = plt.subplots(1, len(inits), figsize=(5 * len(inits), 3.6), sharey=True)
for ax, init in zip(axes, inits):
    for i, n in enumerate(sorted({k[1] for k in data if k[0] == init})):
        per = data[(init, n)]
        ws = sorted(per)
        ax.semilogx(ws, [sum(r[2] for r in per[w]) / len(per[w]) for w in ws], "-o", ms=4, color=f"C{i}", label=f"n = {n}", base=2)
        fine = np.logspace(0, math.log2(ws[-1]), 100, base=2)
        ax.semilogx(fine, [predicted(n, m) for m in fine], ":", color=f"C{i}", base=2)
    ax.set_xlabel("width m")
    ax.set_title(f"init-scale {init:g} (dotted: frozen-pattern count model)", fontsize=9)
    ax.set_ylim(-0.05, 1.05)
axes[0].set_ylabel("fraction of restarts reaching F*")
axes[0].legend(fontsize=7)
fig.suptitle("orthogonal data, ReLU, weight decay 0.02; GD lr 0.1, 30000 steps (init-scale 1: lr 0.01, 150000 steps)", fontsize=9)
fig.tight_layout()
png = os.path.join(out, "exp9_width.png")
fig.savefig(png, dpi=80)
print(f"\n{png}")
