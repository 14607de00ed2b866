#!/usr/bin/python3
"""Experiment 1: the plateau of erf committees. Reads the CSVs and order-parameter snapshots of
exp1_erf_plateau.sh and prints, per configuration (K = M = 2, K = M = 3, K = 4 > M = 2):
  - the symmetric fixed points (all students alike: R_in = r, Q_ii = q, Q_ik = c, T = I), solved
    directly on the symmetric subspace (erf_ode_numpy.py, SciPy's root finder): without the eta^2
    terms (the eta -> 0 plateau; for K = M it is q = c = 1 / (2K - 1), r = 1 / sqrt(K (2K - 1)),
    eps_g = K / 6 - (K^2 / pi) asin(1 / (2K)), which the script checks) and with them at the run's
    eta = 1, where there are two: the collapsed point q = c and the distinct point q > c;
  - for each fixed point at eta = 1, where the SGD chains pass closest to it (closest_pass: the
    medians over chains of the time, the distance and eps_g there);
  - the plateau as SGD and the ODE show it: eps_g at the flattest point of the mean curve between
    t = 2 and the escape, the plateau's length (from reaching 1.1 x its height to falling below
    half of it) and the final eps_g;
and draws exp1_erf_plateau.png (SGD mean and standard-error band, the ODE, the drift-only ODE, the
fixed-point heights).
usage: exp1_analysis.py TOOL OUT_DIR"""
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from erf_ode_numpy import symmetric_fixed_points  # noqa: E402
from exp_common import curves, mean_se  # noqa: E402

tool, out = sys.argv[1], sys.argv[2]
CONFIGS = [(2, 2), (3, 3), (4, 2)]
LR = "1"


def closest_pass(order_dir, sgd, K, point):
    """Median over the chains of (t, distance, eps_g) at the report where each chain passes closest
    to a symmetric fixed point (q, c, r): the distance is the max norm over (mean Q_ii, mean Q_ik
    for i != k, mean R_in, standard deviation of the R_in), the last being 0 on the symmetric
    subspace, so a chain that has begun to specialise is not counted as close."""
    picks = []
    for j in range(sgd.shape[0]):
        Q = np.load(os.path.join(order_dir, f"chain_{j}", "Q.npy"))
        R = np.load(os.path.join(order_dir, f"chain_{j}", "R.npy"))
        t = np.load(os.path.join(order_dir, "chain_0", "t.npy"))
        q = np.einsum("tii->t", Q) / K
        c = (Q.sum(axis=(1, 2)) - K * q) / (K * (K - 1))
        r, spread = R.mean(axis=(1, 2)), R.std(axis=(1, 2))
        dist = np.max(np.abs(np.stack([q - point[0], c - point[1], r - point[2], spread], axis=1)), axis=1)
        i = int(np.argmin(dist))
        picks.append((t[i], dist[i], sgd[j, i]))
    return tuple(np.median(np.array(picks), axis=0))


def plateau(ts, m):
    """(height, t_enter, t_escape): the flattest point of m (in log t) after t = 2 and before m
    falls below half of it; the plateau starts where m first comes within 10% of that height."""
    lt = np.log(ts)
    slope = np.abs(np.gradient(np.log(np.maximum(m, 1e-300)), lt))
    ok = (ts >= 2) & (m > 1e-3)
    i = np.where(ok)[0][np.argmin(slope[ok])]
    h = m[i]
    below = np.where((ts > ts[i]) & (m < 0.5 * h))[0]
    esc = ts[below[0]] if len(below) else np.inf
    inside = np.where((ts <= ts[i]) & (m <= 1.1 * h))[0]
    enter = ts[inside[0]] if len(inside) else ts[i]
    return h, enter, esc


def saad_solla(K):
    """The eta -> 0 symmetric fixed point for K = M, T = I, in closed form: (q, c, r, eps_g)."""
    q = 1 / (2 * K - 1)
    return q, q, 1 / np.sqrt(K * (2 * K - 1)), K / 6 - K * K / np.pi * np.arcsin(1 / (2 * K))


fig, axes = plt.subplots(1, 3, figsize=(10, 3.3), sharey=True)
print("| K, M | eta -> 0 fixed point: eps_g (q = c, r) | eta = 1, distinct: eps_g (q, c, r); SGD closest: t, distance, eps_g "
      "| eta = 1, collapsed: eps_g (q = c, r); SGD closest: t, distance, eps_g | SGD plateau | ODE plateau "
      "| SGD: enters, escapes | ODE: enters, escapes | final SGD | final ODE |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for ax, (K, M) in zip(axes, CONFIGS):
    name = f"K{K}_M{M}"
    ts, sgd = curves(os.path.join(out, name + ".train.csv"))
    _, ode = curves(os.path.join(out, name + ".ode.csv"))
    _, drift = curves(os.path.join(out, name + ".drift.csv"))
    ms, ses = mean_se(sgd)
    mo, _ = mean_se(ode)
    md, _ = mean_se(drift)
    (small,) = symmetric_fixed_points(K, M, float(LR), True)
    if K == M:
        assert np.allclose(small, saad_solla(K), atol=1e-9), (small, saad_solla(K))
    distinct, collapsed = sorted(symmetric_fixed_points(K, M, float(LR), False), key=lambda f: f[1] - f[0])
    cells = []
    for point in (distinct, collapsed):
        t, dist, e = closest_pass(os.path.join(out, name + ".order"), sgd, K, point)
        cells.append(f"{point[3]:.4f} ({point[0]:.3f}, {point[1]:.3f}, {point[2]:.3f}); {t:.3g}, {dist:.3f}, {e:.4f}")
    hs, ens, ess = plateau(ts[1:], ms[1:])
    ho, eno, eso = plateau(ts[1:], mo[1:])
    print(f"| {K}, {M} | {small[3]:.5f} ({small[0]:.3f}, {small[2]:.3f}) | {cells[0]} | {cells[1]} | {hs:.4f} | {ho:.4f} | "
          f"{ens:.3g}, {ess:.3g} | {eno:.3g}, {eso:.3g} | {ms[-1]:.2e} | {mo[-1]:.2e} |")
    t = ts[1:]
    ax.fill_between(t, (ms - 2 * ses)[1:], (ms + 2 * ses)[1:], color="C0", alpha=0.3, lw=0)
    ax.plot(t, ms[1:], color="C0", lw=1.5, label="SGD, N = 1000 (5 chains, float)")
    ax.plot(t, mo[1:], color="k", lw=1, label="ODE (same starts)")
    ax.plot(t, md[1:], color="C3", lw=1, ls="--", label="ODE without eta^2 terms")
    ax.axhline(distinct[3], color="C2", lw=0.8, ls=":", label="symmetric fixed point q > c, eta = 1")
    ax.axhline(collapsed[3], color="C4", lw=0.8, ls="-.", label="collapsed fixed point q = c, eta = 1")
    ax.axhline(small[3], color="C1", lw=0.8, ls=":", label="symmetric fixed point, eta -> 0")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-4, 1)
    ax.set_title(f"erf, K = {K}, M = {M}, eta = 1")
    ax.set_xlabel("t = steps / N")
axes[0].set_ylabel("eps_g")
axes[0].legend(fontsize=6, loc="lower left")
fig.tight_layout()
png = os.path.join(out, "exp1_erf_plateau.png")
fig.savefig(png, dpi=80)
print(f"figure: {png}")
