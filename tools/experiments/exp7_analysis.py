#!/usr/bin/python3
"""Experiment 7: the hidden convex-concave game. Reads the CSVs of exp7_game.sh
(M{M}_{mode}_init{s}_P{P}.csv, bilinear_M..._P{P}.csv: seed,step,distance,objective) and prints, per
(M, mode, init-scale, P): the seeds within 1e-3 of the equilibrium after 1000, 2000 and all steps, the
median final distance, and the median tail exponent d log(distance) / d log(step) between step T/2
and T (about -0.5 for the slow power-law approach, far below -1 for a linear, i.e. exponential,
one; distances that underflowed to 0 count as 1e-300); then the bilinear game's growth; then draws
exp7_game.png.
usage: exp7_analysis.py OUT_DIR"""
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
TOL = 1e-3
runs = {}  # (game, M, mode, init, P) -> {seed: (steps array, distance array)}
for path in glob.glob(os.path.join(out, "*.csv")):
    m = re.match(r"(bilinear_)?M(\d+)_(alternating|simultaneous)_init([0-9.]+)_P(\d+)\.csv", os.path.basename(path))
    if not m:
        continue
    key = ("bilinear" if m.group(1) else "hidden", int(m.group(2)), m.group(3), float(m.group(4)), int(m.group(5)))
    per = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            per.setdefault(int(r["seed"]), []).append((int(r["step"]), float(r["distance"])))
    runs[key] = {s: (np.array([a for a, _ in v]), np.array([b for _, b in v])) for s, v in per.items()}


def at(t, d, step):
    """The distance at the report `step` (nan when the seed stopped before)."""
    i = np.searchsorted(t, step)
    return d[i] if i < len(t) and t[i] == step else float("nan")


def tail_exponent(t, d):
    T = t[-1]
    a, b = at(t, d, T // 2), d[-1]
    if T < 2 or not (a > 0):
        return float("nan")
    return (math.log(max(b, 1e-300)) - math.log(max(a, 1e-300))) / math.log(T / (T // 2))


def tail_rate(t, d):
    """-d ln(distance) / d step between step T/2 and T, per 1000 steps."""
    T = t[-1]
    a, b = at(t, d, T // 2), d[-1]
    if T < 2 or not (a > 0):
        return float("nan")
    return -1000 * (math.log(max(b, 1e-300)) - math.log(max(a, 1e-300))) / (T - T // 2)


print("| M | GDA | init-scale | P | seeds | within 1e-3 at step 1000 | at 2000 | at the end (step) | median final distance | median tail exponent | median tail rate per 1000 steps |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
table = {}
for key in sorted(k for k in runs if k[0] == "hidden"):
    _, M, mode, init, P = key
    seeds = runs[key]
    T = max(t[-1] for t, _ in seeds.values())
    n1 = sum(at(t, d, 1000) < TOL for t, d in seeds.values())
    n2 = sum(at(t, d, 2000) < TOL for t, d in seeds.values())
    nT = sum(t[-1] == T and d[-1] < TOL for t, d in seeds.values())
    fin = float(np.median([d[-1] for _, d in seeds.values()]))
    ex = float(np.nanmedian([tail_exponent(t, d) for t, d in seeds.values()]))
    rt = float(np.nanmedian([tail_rate(t, d) for t, d in seeds.values()]))
    table[key] = (len(seeds), n1, n2, nT, fin, ex)
    print(f"| {M} | {mode} | {init:g} | {P} | {len(seeds)} | {n1} | {n2} | {nT} ({T}) | {fin:.3g} | {ex:.3g} | {rt:.3g} |")

print("\n| bilinear game, M | GDA | P | seeds | median start distance | median distance at step 2000 | median last distance (step) |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for key in sorted(k for k in runs if k[0] == "bilinear"):
    _, M, mode, init, P = key
    seeds = runs[key]
    d0 = float(np.median([d[0] for _, d in seeds.values()]))
    d2 = float(np.nanmedian([at(t, d, 2000) for t, d in seeds.values()]))
    last = float(np.median([d[-1] for _, d in seeds.values()]))
    steps = int(np.median([t[-1] for t, _ in seeds.values()]))
    print(f"| {M} | {mode} | {P} | {len(seeds)} | {d0:.3g} | {d2:.3g} | {last:.3g} ({steps}) |")

d0 = [d[0] for k, v in runs.items() if k[0] == "hidden" for _, d in v.values()]
print(f"\nhidden game: starting distances {min(d0):.3g} to {max(d0):.3g}")
for key in sorted(k for k in runs if k[0] == "hidden" and k[4] == 2):
    first = sorted(int(t[np.argmax(d < 1e-12)]) for t, d in runs[key].values() if (d < 1e-12).any())
    print(f"M = {key[1]}, {key[2]}, init {key[3]:g}, P = 2: first report below 1e-12 at steps {first}")
for key in sorted(k for k in runs if k[0] == "bilinear" and k[2] == "simultaneous"):
    stops = sorted(int(t[-1]) for t, _ in runs[key].values())
    print(f"bilinear, simultaneous, P = {key[4]}: the seeds stop (distance above --diverge) at steps {stops}")

fig, axes = plt.subplots(1, 4, figsize=(15, 3.4))
colors = {2: "C0", 4: "C5", 8: "C1", 16: "C6", 32: "C2", 64: "C8", 128: "C4"}
for ax, mode in zip(axes[:2], ["alternating", "simultaneous"]):
    for P in [2, 8, 32, 128]:
        seeds = runs.get(("hidden", 20, mode, 1.0, P), {})
        for i, (t, d) in enumerate(seeds.values()):
            ax.semilogy(t, np.maximum(d, 1e-300), color=colors[P], lw=0.6, alpha=0.6, label=f"P = {P}" if i == 0 else None)
    ax.axhline(TOL, color="gray", lw=0.5, ls=":")
    ax.set_ylim(1e-12, 30)
    ax.set_xlabel("GDA step")
    ax.set_title(f"hidden game, {mode} GDA, M = 20, init 1", fontsize=9)
axes[0].set_ylabel("distance to equilibrium |(u, v)|")
axes[0].legend(fontsize=7)
ax = axes[2]
for (M, mode, init), ls, mk in [((20, "alternating", 1.0), "-", "o"), ((20, "simultaneous", 1.0), "--", "s"),
                                ((60, "alternating", 1.0), "-", "^"), ((60, "simultaneous", 1.0), "--", "v"),
                                ((20, "alternating", 3.0), ":", "x")]:
    Ps = sorted(k[4] for k in table if k[1:4] == (M, mode, init))
    if Ps:
        ax.semilogx(Ps, [table[("hidden", M, mode, init, P)][3] / table[("hidden", M, mode, init, P)][0] for P in Ps],
                    ls=ls, marker=mk, ms=4, label=f"M = {M}, {mode[:3]}., init {init:g}")
ax.set_xlabel("width P (both players)")
ax.set_ylabel(f"fraction of seeds within {TOL:g} at the end")
ax.set_ylim(-0.05, 1.05)
ax.legend(fontsize=6)
ax.set_title("hidden game: converged by step 10000", fontsize=9)
ax = axes[3]
for mode, ls in [("alternating", "-"), ("simultaneous", "--")]:
    for P in [8, 32, 128]:
        seeds = runs.get(("bilinear", 20, mode, 1.0, P), {})
        for i, (t, d) in enumerate(seeds.values()):
            ax.semilogy(t, d, color=colors[P], ls=ls, lw=0.6, alpha=0.6, label=f"{mode[:3]}., P = {P}" if i == 0 else None)
ax.set_xlabel("GDA step")
ax.set_title("bilinear game u^T B v, M = 20", fontsize=9)
ax.legend(fontsize=6)
fig.tight_layout()
png = os.path.join(out, "exp7_game.png")
fig.savefig(png, dpi=80)
print(f"\n{png}")
