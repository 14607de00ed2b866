#!/usr/bin/python3
"""Experiment 1: the plateau of erf committees. Reads the CSVs of exp1_erf_plateau.sh and prints,
per configuration (K = M = 2, K = M = 3, K = 4 > M = 2):
  - the symmetric fixed point: the ODE integrated from exactly symmetric order parameters (all
    students alike: R_in = r, Q_ii = q, Q_ik = c, T = I), which never leaves that subspace and
    settles on its fixed point; with --drift-only it gives the eta -> 0 plateau, with the eta^2
    terms the plateau at the run's eta; its q, c, r and eps_g;
  - the plateau as SGD and the ODE show it: eps_g at the flattest point of the mean curve between
    t = 2 and the escape, the plateau's length (from reaching 1.1 x its height to falling below
    half of it) and the final eps_g;
and draws docs/figures-ready exp1_erf_plateau.png (SGD mean and standard-error band, the ODE, the
drift-only ODE, the two fixed-point heights).
usage: exp1_analysis.py TOOL OUT_DIR"""
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exp_common import curves, mean_se, run, symmetric_weights  # noqa: E402

tool, out = sys.argv[1], sys.argv[2]
CONFIGS = [(2, 2), (3, 3), (4, 2)]
LR = "1"


def fixed_point(K, M, drift_only):
    """(eps_g, q, c, r) at the symmetric fixed point: the flattest report of a flow from exactly
    symmetric order parameters while it stays symmetric. Rounding breaks the permutation symmetry
    and the fixed point is unstable across it, so a long flow leaves it (K = 3: by t = 2000 the
    off-diagonal Q differ by 0.3); reports where the students' Q_ik or R_in spread by more than
    1e-6 are not used. None when no report qualifies."""
    import csv
    d = symmetric_weights(os.path.join(out, f"sym_K{K}_M{M}"), K, M, 1000, 0.1, 0.1)
    path = os.path.join(out, f"sym_K{K}_M{M}{'_drift' if drift_only else ''}.csv")
    run(tool, ["ode", "--init-from", d, "--lr", LR, "--t-max", "500", "--reports", "80", "--order"]
        + (["--drift-only"] if drift_only else []), path)
    rows = list(csv.DictReader(open(path)))
    best, best_slope = None, np.inf
    for prev, row in zip(rows, rows[1:]):
        off = [float(row[f"Q_{i}_{k}"]) for i in range(K) for k in range(i + 1, K)]
        rs = [float(row[f"R_{i}_{n}"]) for i in range(K) for n in range(M)]
        if max(off) - min(off) > 1e-6 or max(rs) - min(rs) > 1e-6 or float(prev["t"]) <= 0:
            continue
        slope = abs(np.log(float(row["eps_g"]) / float(prev["eps_g"])) / np.log(float(row["t"]) / float(prev["t"])))
        if slope < best_slope:
            best_slope = slope
            best = (float(row["eps_g"]), float(row["Q_0_0"]), off[0], rs[0])
    return best


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


fig, axes = plt.subplots(1, 3, figsize=(10, 3.3), sharey=True)
print("| K, M | eta -> 0 plateau (q, c, r) | fixed point at eta = 1 | SGD plateau | ODE plateau | SGD: enters, escapes | ODE: enters, escapes | final SGD | final ODE |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for ax, (K, M) in zip(axes, CONFIGS):
    name = f"K{K}_M{M}"
    ts, sgd = curves(os.path.join(out, name + ".train.csv"))
    _, ode = curves(os.path.join(out, name + ".ode.csv"))
    _, drift = curves(os.path.join(out, name + ".drift.csv"))
    ms, ses = mean_se(sgd)
    mo, _ = mean_se(ode)
    md, _ = mean_se(drift)
    e0, q0, c0, r0 = fixed_point(K, M, True)
    e1 = fixed_point(K, M, False)[0]
    hs, ens, ess = plateau(ts[1:], ms[1:])
    ho, eno, eso = plateau(ts[1:], mo[1:])
    print(f"| {K}, {M} | {e0:.5f} ({q0:.3f}, {c0:.3f}, {r0:.3f}) | {e1:.5f} | {hs:.5f} | {ho:.5f} | "
          f"{ens:.3g}, {ess:.3g} | {eno:.3g}, {eso:.3g} | {ms[-1]:.2e} | {mo[-1]:.2e} |")
    t = ts[1:]
    ax.fill_between(t, (ms - 2 * ses)[1:], (ms + 2 * ses)[1:], color="C0", alpha=0.3, lw=0)
    ax.plot(t, ms[1:], color="C0", lw=1.5, label="SGD, N = 1000 (5 chains, float)")
    ax.plot(t, mo[1:], color="k", lw=1, label="ODE (same starts)")
    ax.plot(t, md[1:], color="C3", lw=1, ls="--", label="ODE without eta^2 terms")
    ax.axhline(e1, color="C2", lw=0.8, ls=":", label="symmetric fixed point, eta = 1")
    ax.axhline(e0, color="C1", lw=0.8, ls=":", label="symmetric fixed point, eta -> 0")
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
