#!/usr/bin/python3
"""Experiment 8: last-layer retraining with class weights. Reads exp8_retrain.sh's output
({first-layer}_d{d}_P{P}.csv: seed,weight,err_plus,err_minus,worst; and its .summary, the tool's
per-seed balancing weights) and prints, per (first layer, d, P): how many seeds' class errors cross on
the grid, the median and quartiles of the balancing weight divided by the prior ratio (over the
seeds that cross), and the median errors at the smallest and largest weight of the grid; then draws
exp8_retrain.png.
usage: exp8_analysis.py OUT_DIR"""
import csv
import glob
import os
import re
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

out = sys.argv[1]
N_TRAIN = 200
res = {}
for path in glob.glob(os.path.join(out, "*_d*_P*.csv")):
    m = re.match(r"(random|trained)_d(\d+)_P(\d+)\.csv", os.path.basename(path))
    if not m:
        continue
    key = (m.group(1), int(m.group(2)), int(m.group(3)))
    ratios, seeds = [], 0
    with open(path + ".summary") as f:
        for line in f:
            if re.search(r"seed \d+: ", line):
                seeds += 1
                b = re.search(r"balancing weight \S+ \(([0-9.e+-]+) x the prior ratio", line)
                if b:
                    ratios.append(float(b.group(1)))
    rows = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            rows.setdefault(float(r["weight"]), []).append((float(r["err_plus"]), float(r["err_minus"])))
    ws = sorted(rows)
    curve = [(w, float(np.median([e[0] for e in rows[w]])), float(np.median([e[1] for e in rows[w]]))) for w in ws]
    res[key] = (seeds, ratios, curve)

print("| first layer | d | P | d / n | P / n | seeds crossing | balancing weight / prior ratio: median (quartiles) | err+, err- at w = 0.1 | err+, err- at w = 1e5 |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for key in sorted(res, key=lambda k: (k[0], k[1] != 20, k[2], k[1])):
    fl, d, P = key
    seeds, ratios, curve = res[key]
    if ratios:
        q1, med, q3 = np.percentile(ratios, [25, 50, 75])
        cell = f"{med:.3g} ({q1:.3g}, {q3:.3g})"
    else:
        cell = "none crosses"
    lo, hi = curve[0], curve[-1]
    print(f"| {fl} | {d} | {P} | {d / N_TRAIN:g} | {P / N_TRAIN:g} | {len(ratios)} of {seeds} | {cell} | "
          f"{lo[1]:.3f}, {lo[2]:.3f} | {hi[1]:.3f}, {hi[2]:.3f} |")

fig, axes = plt.subplots(1, 4, figsize=(15, 3.4))


def sweep(ax, fl, fixed_d=None, fixed_P=None, label="", color="C0"):
    keys = sorted(k for k in res if k[0] == fl and (fixed_d is None or k[1] == fixed_d) and (fixed_P is None or k[2] == fixed_P))
    x = [(k[2] if fixed_d is not None else k[1]) / N_TRAIN for k in keys]
    meds, lo, hi, frac = [], [], [], []
    for k in keys:
        r = res[k][1]
        frac.append(len(r) / res[k][0])
        if r:
            q1, m, q3 = np.percentile(r, [25, 50, 75])
        else:
            q1 = m = q3 = np.nan
        meds.append(m)
        lo.append(m - q1)
        hi.append(q3 - m)
    ax.errorbar(x, meds, yerr=[lo, hi], fmt="-o", ms=4, capsize=2, color=color, label=label)
    return x, frac


ax = axes[0]
xa, fa = sweep(ax, "random", fixed_d=20, label="random first layer", color="C0")
xt, ft = sweep(ax, "trained", fixed_d=20, label="trained first layer", color="C1")
ax.set_xscale("log")
ax.set_yscale("log")
ax.axhline(1, color="gray", lw=0.5, ls=":")
ax.set_xlabel("P / n (readout width over samples), d = 20")
ax.set_ylabel("balancing weight / prior ratio (9)")
ax.set_title("A: the readout's over-parameterization", fontsize=9)
ax.legend(fontsize=7)
ax = axes[1]
xb, fb = sweep(ax, "random", fixed_P=20, label="random first layer, P = 20", color="C2")
ax.set_xscale("log")
ax.set_yscale("log")
ax.axhline(1, color="gray", lw=0.5, ls=":")
ax.set_xlabel("d / n, P = 20")
ax.set_title("B: the input dimension", fontsize=9)
ax.legend(fontsize=7)
ax = axes[2]
ax.semilogx(xa, fa, "-o", ms=4, color="C0", label="A, random (x = P / n)")
ax.semilogx(xt, ft, "-s", ms=4, color="C1", label="A, trained (x = P / n)")
ax.semilogx(xb, fb, "-^", ms=4, color="C2", label="B, random (x = d / n)")
ax.axvline(20 / N_TRAIN, color="gray", lw=0.5, ls=":")
ax.set_xlabel("P / n or d / n")
ax.set_ylabel("fraction of seeds whose errors cross")
ax.set_ylim(-0.05, 1.05)
ax.set_title("crossing found on 0.1 .. 1e5 (dotted: n+ / n)", fontsize=9)
ax.legend(fontsize=6)
ax = axes[3]
for P, c in [(5, "C0"), (50, "C1"), (200, "C3")]:
    if ("random", 20, P) in res:
        cur = res[("random", 20, P)][2]
        ax.semilogx([w for w, _, _ in cur], [a for _, a, _ in cur], "-", color=c, label=f"err+, P = {P}")
        ax.semilogx([w for w, _, _ in cur], [b for _, _, b in cur], "--", color=c, label=f"err-, P = {P}")
ax.axvline(9, color="gray", lw=0.5, ls=":")
ax.set_xlabel("class weight w+ (w- = 1); dotted: prior ratio")
ax.set_ylabel("test error (median over seeds)")
ax.set_title("class errors against the weight, d = 20, random", fontsize=9)
ax.legend(fontsize=6)
fig.tight_layout()
png = os.path.join(out, "exp8_retrain.png")
fig.savefig(png, dpi=80)
print(f"\n{png}")
