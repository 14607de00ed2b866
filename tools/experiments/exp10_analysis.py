#!/usr/bin/python3
"""Experiment 10: the width needed to fit n random labels. Reads exp10_subquadratic.sh's CSVs
(subquadratic_d8_n{n}.csv: n,restart,width_needed; empty: none of the grid) and prints, per n, the restarts that found a width,
their widths, median and the width times d over n (parameters of the first layer per point); then
the least-squares fit log(width needed) = a + b log n over every restart that found one, with the
standard error of the slope b, the same fit over the per-n medians, and over the restarts with
n >= 64 only (the small n sit on a floor of a few units); then exp10_subquadratic.png.
usage: exp10_analysis.py OUT_DIR"""
import csv
import glob
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

out = sys.argv[1]
D = 8
per = {}
for path in glob.glob(os.path.join(out, f"subquadratic_d{D}_n*.csv")):
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            per.setdefault(int(r["n"]), []).append(int(r["width_needed"]) if r["width_needed"] else None)


def fit(x, y):
    """OLS of log y on log x: slope, its standard error, intercept."""
    lx, ly = np.log(x), np.log(y)
    A = np.vstack([np.ones_like(lx), lx]).T
    coef, res, _, _ = np.linalg.lstsq(A, ly, rcond=None)
    r = ly - A @ coef
    dof = len(lx) - 2
    s2 = float(r @ r) / dof if dof > 0 else float("nan")
    cov = s2 * np.linalg.inv(A.T @ A)
    return coef[1], float(np.sqrt(cov[1, 1])), coef[0]


print("| n | restarts | found a width | widths needed | median | median width x d / n |")
print("| --- | --- | --- | --- | --- | --- |")
xs, ys, mx, my = [], [], [], []
for n in sorted(per):
    found = [w for w in per[n] if w is not None]
    med = float(np.median(found)) if found else float("nan")
    print(f"| {n} | {len(per[n])} | {len(found)} | {', '.join(map(str, found)) or '-'} | {med:g} | {med * D / n:.3g} |")
    if len(found) < len(per[n]):
        print(f"|   | (n = {n}: {len(per[n]) - len(found)} restarts found no width of the grid: left out of the fits) | | | | |")
    xs += [n] * len(found)
    ys += found
    if found:
        mx.append(n)
        my.append(med)
b, se, a = fit(np.array(xs, float), np.array(ys, float))
bm, sem, am = fit(np.array(mx, float), np.array(my, float))
print(f"\nfit over {len(xs)} restarts: width needed ~ {np.exp(a):.3g} n^{b:.3f} (slope standard error {se:.3f})")
print(f"fit over the {len(mx)} medians: width needed ~ {np.exp(am):.3g} n^{bm:.3f} (slope standard error {sem:.3f})")
big = [(x, y) for x, y in zip(xs, ys) if x >= 64]
if len({x for x, _ in big}) >= 2:
    bb, seb, ab = fit(np.array([x for x, _ in big], float), np.array([y for _, y in big], float))
    print(f"fit over the {len(big)} restarts with n >= 64 (above the small-n floor): width needed ~ {np.exp(ab):.3g} n^{bb:.3f} "
          f"(slope standard error {seb:.3f})")

fig, ax = plt.subplots(figsize=(4.8, 3.6))
ax.loglog(xs, ys, "o", ms=4, alpha=0.5, label="each restart")
ax.loglog(mx, my, "s", ms=6, color="C1", label="median")
nn = np.array([min(per), max(per)], float)
ax.loglog(nn, np.exp(a) * nn ** b, "-", color="C0", label=f"fit: n^{b:.2f} +- {se:.2f}")
ax.loglog(nn, nn / D, ":", color="gray", label="m = n / d (parameter count)")
ax.loglog(nn, nn ** 2 / nn[0] ** 2 * np.exp(a) * nn[0] ** b, "--", color="gray", lw=0.7, label="slope 2 (quadratic)")
ax.set_xlabel(f"n (random-label points, d = {D}; 250 n GD steps)")
ax.set_ylabel("width needed for loss < 1e-3")
ax.legend(fontsize=7)
fig.tight_layout()
png = os.path.join(out, "exp10_subquadratic.png")
fig.savefig(png, dpi=80)
print(f"\n{png}")
