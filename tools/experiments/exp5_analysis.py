#!/usr/bin/python3
"""Experiment 5: BBP at initialization. Reads the CSVs of exp5_bbp.sh (one per N and P) and prints,
per (N, P, alpha), the mean and standard error over seeds of the teacher overlap of the smallest
eigenvector of the empirical Hessian (and of the largest, which stays at the random level ~1/sqrt N),
and the smallest eigenvalue; then, per (N, P), the alpha at which the mean overlap first reaches 1/2
(linear interpolation between grid points: a finite-N location of the transition); then draws
exp5_bbp.png (overlap against alpha, one panel per P, one curve per N).
usage: exp5_analysis.py OUT_DIR"""
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
data = {}  # (N, P) -> {alpha: {"smallest": [(overlap, eig)], "largest": [...]}}
for path in glob.glob(os.path.join(out, "N*_P*.csv")):
    N, P = map(int, re.match(r"N(\d+)_P(\d+)\.csv", os.path.basename(path)).groups())
    per = data.setdefault((N, P), {})
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["rank"] != "0":
                continue
            a = float(r["alpha"])
            per.setdefault(a, {"smallest": [], "largest": []})[r["which"]].append(
                (float(r["overlap"]), float(r["eigenvalue"])))


def mean_se(xs):
    m = sum(xs) / len(xs)
    var = sum((x - m) ** 2 for x in xs) / max(1, len(xs) - 1)
    return m, math.sqrt(var / len(xs))


def half_crossing(points):
    """The first alpha where the mean overlap reaches 1/2, interpolated; None when it never does."""
    for (a0, m0), (a1, m1) in zip(points, points[1:]):
        if m0 < 0.5 <= m1:
            return a0 + (0.5 - m0) * (a1 - a0) / (m1 - m0)
    return None


print("| N | P | alpha | seeds | overlap, smallest (SE) | overlap, largest | smallest eigenvalue |")
print("| --- | --- | --- | --- | --- | --- | --- |")
curves = {}
for (N, P), per in sorted(data.items()):
    pts = []
    for a in sorted(per):
        s, l = per[a]["smallest"], per[a]["largest"]
        m, se = mean_se([x[0] for x in s])
        ml, _ = mean_se([x[0] for x in l])
        me, _ = mean_se([x[1] for x in s])
        print(f"| {N} | {P} | {a:g} | {len(s)} | {m:.3f} ({se:.3f}) | {ml:.3f} | {me:.3g} |")
        pts.append((a, m, se))
    curves[(N, P)] = pts

print("\n| P | " + " | ".join(f"alpha at overlap 1/2, N = {N}" for N in sorted({k[0] for k in curves})) + " |")
print("| --- |" + " --- |" * len({k[0] for k in curves}))
for P in sorted({k[1] for k in curves}):
    cells = []
    for N in sorted({k[0] for k in curves}):
        c = half_crossing([(a, m) for a, m, _ in curves.get((N, P), [])])
        cells.append("never" if c is None else f"{c:.2f}")
    print(f"| {P} | " + " | ".join(cells) + " |")

Ps = sorted({k[1] for k in curves})
fig, axes = plt.subplots(1, len(Ps), figsize=(3.3 * len(Ps), 3.2), sharey=True)
for ax, P in zip(axes if len(Ps) > 1 else [axes], Ps):
    for N in sorted({k[0] for k in curves}):
        pts = curves.get((N, P))
        if pts:
            ax.errorbar([p[0] for p in pts], [p[1] for p in pts], yerr=[2 * p[2] for p in pts], fmt="-o", ms=3,
                        capsize=2, label=f"N = {N}")
    ax.axhline(0.5, color="gray", lw=0.5, ls=":")
    ax.set_title(f"P = {P}, P* = 1, v = 1/P", fontsize=9)
    ax.set_xlabel("alpha = M / N")
    ax.set_ylim(0, 1)
axes[0].set_ylabel("teacher overlap, smallest eigenvector")
axes[-1].legend(fontsize=7)
fig.suptitle("quadratic units, empirical Hessian at initialization", fontsize=9)
fig.tight_layout()
png = os.path.join(out, "exp5_bbp.png")
fig.savefig(png, dpi=80)
print(f"\n{png}")
