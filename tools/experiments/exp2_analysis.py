#!/usr/bin/python3
"""Experiment 2: the noise floor of erf committees (first layer only, v = v* = 1). Reads the CSVs of
exp2_noise.sh and prints, per (K, M, eta, sigma), the asymptotic generalisation error eps_inf
  - of SGD: each chain's time average of eps_g over the second half of the run (trapezoids in t,
    the reports being log-spaced), then mean and standard error over chains;
  - of the ODE: eps_g at t-max, with its relative change since t-max / 2 (a settled run shows ~0);
  - of the small-eta formula eps_inf ~ (eta sigma^2 / 4) sum_k E[g'(lambda_k)^2] at the teacher's
    weights (docs/EXPERIMENTS.md derives it): (eta sigma^2 / 2 pi) (sum_n 1 / sqrt(1 + 2 T_nn) over
    the matched units, plus K - M for the spare units at w = 0), with each chain's own teacher
    overlaps T_nn (about 1 +- 0.06 at N = 500; read back through `train --save-order`), averaged
    over the chains; for T = I it is (M / sqrt 3 + K - M) / (2 pi) times eta sigma^2;
  - of the first correction in eta: the formula divided by (1 - eta tr H / 2), tr H = sum_k E[g'^2]
    (closing the fourth moment of the gradient with its mean; docs/EXPERIMENTS.md);
  - "settled": whether the ODE changed by less than 1% over the second half (not so for K = 3 at
    large eta sigma^2, where the noisy student drifts on for thousands of t);
and draws exp2_noise.png: eps_inf against eta sigma^2, log-log, SGD and ODE beside the formula
(top), and eps_inf / formula against eta with the first correction (bottom).
usage: exp2_analysis.py TOOL OUT_DIR"""
import glob
import math
import os
import re
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exp_common import curves, run  # noqa: E402

tool, out = sys.argv[1], sys.argv[2]
N, SEED, CHAINS = 500, 2, 3  # as exp2_noise.sh


def teacher_diagonals(M):
    """T_nn of each chain's teacher, shape (CHAINS, M): the teacher train draws for (SEED, chain)."""
    d = os.path.join(out, f"teacher_M{M}")
    run(tool, ["train", "--N", str(N), "--P", "1", "--P-star", str(M), "--seed", str(SEED), "--chains",
               str(CHAINS), "--t-max", "0.01", "--reports", "1", "--quiet", "--save-order", d],
        d + ".csv")
    return np.array([np.diag(np.load(os.path.join(d, f"chain_{j}", "T.npy"))[0]) for j in range(CHAINS)])


def formula_slope(K, M):
    """eps_inf / (eta sigma^2) to first order in eta: tr H / 4 with tr H = (2 / pi) (sum_n
    (1 + 2 T_nn)^-1/2 + K - M), the mean over the chains' teachers; returns (slope, tr H)."""
    T = teacher_diagonals(M)
    tr_h = float(np.mean(np.sum(1 / np.sqrt(1 + 2 * T), axis=1) + (K - M))) * 2 / math.pi
    return tr_h / 4, tr_h


def time_average(ts, y, t0):
    """Time average of y(t) over [t0, ts[-1]] by trapezoids."""
    keep = ts >= t0
    t, v = ts[keep], y[keep]
    return np.trapz(v, t) / (t[-1] - t[0])


slopes, traces = {}, {}
runs = []
for path in sorted(glob.glob(os.path.join(out, "K*_M*_lr*_s*.train.csv"))):
    K, M, lr, s = re.match(r"K(\d+)_M(\d+)_lr([\d.]+)_s([\d.]+)\.train\.csv", os.path.basename(path)).groups()
    K, M, lr, s = int(K), int(M), float(lr), float(s)
    if (K, M) not in slopes:
        slopes[(K, M)], traces[(K, M)] = formula_slope(K, M)
    ts, sgd = curves(path)
    avg = np.array([time_average(ts, c, ts[-1] / 2) for c in sgd])
    tso, ode = curves(path.replace(".train.csv", ".ode.csv"))
    half = np.argmin(np.abs(tso - tso[-1] / 2))
    end = np.mean(ode[:, -1])
    drift = np.max(np.abs(ode[:, -1] / ode[:, half] - 1))
    runs.append(dict(K=K, M=M, lr=lr, s=s, x=lr * s * s, sgd=avg.mean(),
                     se=avg.std(ddof=1) / math.sqrt(len(avg)), ode=end, drift=drift,
                     formula=slopes[(K, M)] * lr * s * s, settled=drift < 0.01,
                     corrected=slopes[(K, M)] * lr * s * s / (1 - lr * traces[(K, M)] / 2)))

runs.sort(key=lambda r: (r["K"], r["M"], r["x"], r["lr"]))
for (K, M), c in sorted(slopes.items()):
    print(f"K = {K}, M = {M}: eps_inf ~ {c:.4f} eta sigma^2, tr H = {traces[(K, M)]:.4f} "
          f"(T = I: {(M / math.sqrt(3) + K - M) / (2 * math.pi):.4f} eta sigma^2)")
print("| K, M | eta | sigma | eta sigma^2 | SGD eps_inf (SE) | ODE eps_inf | settled | formula | SGD / formula | ODE / formula | corrected / formula |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for r in runs:
    print(f"| {r['K']}, {r['M']} | {r['lr']:g} | {r['s']:g} | {r['x']:.3g} | {r['sgd']:.4g} ({r['se']:.1g}) | "
          f"{r['ode']:.4g} | {'yes' if r['settled'] else 'no (%.0e)' % r['drift']} | {r['formula']:.4g} | "
          f"{r['sgd'] / r['formula']:.3f} | {r['ode'] / r['formula']:.3f} | {r['corrected'] / r['formula']:.3f} |")

archs = sorted({(r["K"], r["M"]) for r in runs})
fig, axes = plt.subplots(2, len(archs), figsize=(4.2 * len(archs), 6.4), squeeze=False)
markers = {0.1: "o", 0.3: "s", 1.0: "^"}
for col, (K, M) in enumerate(archs):
    ax, bx = axes[0][col], axes[1][col]
    rs = [r for r in runs if (r["K"], r["M"]) == (K, M)]
    for s in sorted({r["s"] for r in rs}):
        sub = sorted((r for r in rs if r["s"] == s), key=lambda r: r["x"])
        x = np.array([r["x"] for r in sub])
        ax.errorbar(x, [r["sgd"] for r in sub], yerr=[2 * r["se"] for r in sub], fmt=markers.get(s, "o"),
                    ms=4, color="C0", mfc="none", label=f"SGD, N = 500, sigma = {s:g}")
        ax.plot(x, [r["ode"] for r in sub], markers.get(s, "o"), ms=2.5, color="k", label=f"ODE, sigma = {s:g}")
        for r in sub:
            if not r["settled"]:
                ax.plot(r["x"], r["ode"], "x", color="C3", ms=7)
        lrs = np.array([r["lr"] for r in sub])
        bx.plot(lrs, [r["sgd"] / r["formula"] for r in sub], markers.get(s, "o"), ms=4, color="C0", mfc="none",
                label=f"SGD, sigma = {s:g}")
        bx.plot(lrs, [r["ode"] / r["formula"] for r in sub], markers.get(s, "o"), ms=2.5, color="k")
    xs = np.geomspace(min(r["x"] for r in rs), max(r["x"] for r in rs), 50)
    ax.plot(xs, slopes[(K, M)] * xs, color="C3", lw=1, label=f"small-eta formula {slopes[(K, M)]:.3f} eta sigma^2")
    ax.plot([], [], "x", color="C3", label="ODE not settled")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("eta sigma^2")
    ax.set_title(f"erf, K = {K}, M = {M}, first layer only")
    etas = np.linspace(0.03, 1, 50)
    bx.plot(etas, 1 / (1 - etas * traces[(K, M)] / 2), color="C2", lw=1, label="1 / (1 - eta tr H / 2)")
    bx.axhline(1, color="C3", lw=0.8)
    bx.set_xscale("log")
    bx.set_ylim(0, 3.5)
    bx.set_xlabel("eta")
    bx.set_ylabel("eps_inf / small-eta formula")
axes[0][0].set_ylabel("asymptotic eps_g")
axes[0][0].legend(fontsize=6, loc="upper left")
axes[1][0].legend(fontsize=6, loc="upper left")
fig.tight_layout()
png = os.path.join(out, "exp2_noise.png")
fig.savefig(png, dpi=80)
print(f"figure: {png}")
