#!/usr/bin/python3
"""Experiment 3: quadratic students against a quadratic teacher (P* = 2). Reads exp3_quadratic.sh's
CSVs and snapshots and prints:
  A. per P, eps_g of SGD (mean of 3 chains), the ODE and the drift-only ODE at a few times, and the
     late-time decay of the ODE to t = 10^4: for P = P* the exponential rate (fit of log eps_g
     against t while 1e-10 < eps_g < 1e-3), for P > P* the exponent of the power law (fit of log
     eps_g against log t over t in [10^3, 10^4], and over [10^2, 10^3] to show it is constant);
  B. the escape time (first t where eps_g < 2, half the initial ~4) against the init scale, per P:
     the fit t_esc = a(P) + b(P) log(1 / init) for the ODE over init <= 0.003 (where the plateau is
     fully formed), against the linearised growth of R near W = 0, dR/dt = 2 eta (P* + 2) R for T = I,
     whose slope 1 / (2 eta (P* + 2)) does not depend on P; SGD's mean beside it;
  C. the polar factor U of R = U (R^T R)^1/2: its largest change max |U(t) - U(0)| from exactly
     isotropic weights (T = I, Q_perp = a^2 I), with and without the eta^2 terms; from train's random
     draws at N = 250 ... 10^4 (ODE, 10 starts) and the fitted power of N; SGD at N = 1000 against
     eta (init-scale 0.3), where it should shrink as eta -> 0, and the fitted power of eta;
and draws exp3_quadratic.png.
usage: exp3_analysis.py TOOL OUT_DIR"""
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exp_common import (curves, isotropic_quadratic_weights, mean_se, order_matrices,  # noqa: E402
                        polar_factor, run)

tool, out = sys.argv[1], sys.argv[2]
PS = [1, 2, 4, 8]
LR = "0.05"
ESCAPE_LEVEL = 2.0
INITS = ["0.1", "0.03", "0.01", "0.003", "0.001", "0.0001"]


def at(ts, m, t):
    return m[np.argmin(np.abs(ts - t))]


def slope(x, y):
    return np.polyfit(x, y, 1)[0]


def late_decay(ts, m, P):
    """(kind, value): ('rate', lambda) with eps ~ exp(-lambda t) for P = 2, ('power', p) with eps ~ t^-p
    over [1e3, 1e4] and the same over [1e2, 1e3] for P > 2, None for P < 2."""
    if P < 2:
        return None
    if P == 2:
        keep = (m > 1e-10) & (m < 1e-3)
        return "rate", -slope(ts[keep], np.log(m[keep]))
    hi = (ts >= 1e3) & (ts <= 1e4)
    lo = (ts >= 1e2) & (ts <= 1e3)
    return "power", (-slope(np.log(ts[hi]), np.log(m[hi])), -slope(np.log(ts[lo]), np.log(m[lo])))


def escape_time(ts, m):
    below = np.where(m < ESCAPE_LEVEL)[0]
    return ts[below[0]] if len(below) else np.nan


fig, axes = plt.subplots(2, 4, figsize=(13, 6.2))

# ---- A: curves and late decay
print("A. eps_g at t = 10, 20, 40, 1000 (SGD mean of 3 chains / ODE / ODE without eta^2), late decay of the ODE")
print("| P | t = 10 | t = 20 | t = 40 | t = 1000 | late decay (ODE to t = 10^4) |")
print("| --- | --- | --- | --- | --- | --- |")
decays = {}
for ax, P in zip(axes[0], PS):
    ts, sgd = curves(os.path.join(out, f"A_P{P}.train.csv"))
    tso, ode = curves(os.path.join(out, f"A_P{P}.ode.csv"))
    _, drift = curves(os.path.join(out, f"A_P{P}.drift.csv"))
    tl, long = curves(os.path.join(out, f"A_P{P}.long.csv"))
    ms, ses = mean_se(sgd)
    mo, md, ml = ode.mean(axis=0), drift.mean(axis=0), long.mean(axis=0)
    cells = [f"{at(ts, ms, t):.3g} / {at(tso, mo, t):.3g} / {at(tso, md, t):.3g}" for t in (10, 20, 40, 1000)]
    d = late_decay(tl[1:], ml[1:], P)
    decays[P] = d
    dtxt = "none (P < P*: no zero-loss solution)" if d is None else (
        f"exp(-{d[1]:.4f} t)" if d[0] == "rate" else f"t^-{d[1][0]:.3f} (t in 1e3..1e4), t^-{d[1][1]:.3f} (1e2..1e3)")
    print(f"| {P} | " + " | ".join(cells) + f" | {dtxt} |")
    floor = 1e-12
    ax.fill_between(ts[1:], np.maximum(ms - 2 * ses, floor)[1:], np.maximum(ms + 2 * ses, floor)[1:],
                    color="C0", alpha=0.3, lw=0)
    ax.plot(ts[1:], np.maximum(ms, floor)[1:], color="C0", lw=1.5, label="SGD, N = 1000 (3 chains, float)")
    ax.plot(tl[1:], np.maximum(ml, floor)[1:], color="k", lw=1, label="ODE (same starts)")
    ax.plot(tso[1:], np.maximum(md, floor)[1:], color="C3", lw=1, ls="--", label="ODE without eta^2 term")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-10, 20)
    ax.set_title(f"quadratic, P = {P} (P* = 2)", fontsize=9)
    ax.set_xlabel("t = steps / N")
axes[0][0].set_ylabel("eps_g")
axes[0][0].legend(fontsize=6, loc="lower left")

# ---- B: escape time against the init scale
print("\nB. escape time (first t with eps_g < 2): ODE (mean of 3 starts) / SGD (mean of 3 chains)")
print(f"linearised growth of R: slope b = 1 / (2 eta (P* + 2)) = {1 / (2 * float(LR) * 4):.3f} for every P")
print("| P | " + " | ".join(f"init {i}" for i in INITS) + " | ODE fit a + b log(1/init), init <= 0.003 |")
print("| --- | " + " | ".join("---" for _ in INITS) + " | --- |")
bx = axes[1][0]
for P in [2, 3, 4, 8]:
    to, tsg = [], []
    for init in INITS:
        ts, ode = curves(os.path.join(out, f"B_P{P}_init{init}.ode.csv"))
        tt, sgd = curves(os.path.join(out, f"B_P{P}_init{init}.train.csv"))
        to.append(np.mean([escape_time(ts, c) for c in ode]))
        tsg.append(np.mean([escape_time(tt, c) for c in sgd]))
    x = np.log(1 / np.array([float(i) for i in INITS]))
    small = np.array([float(i) for i in INITS]) <= 0.003
    b, a = np.polyfit(x[small], np.array(to)[small], 1)
    print(f"| {P} | " + " | ".join(f"{o:.2f} / {s:.2f}" for o, s in zip(to, tsg)) + f" | {a:.2f} + {b:.3f} log(1/init) |")
    bx.plot(x, to, "-o", ms=3, label=f"ODE, P = {P}: {a:.1f} + {b:.2f} log(1/init)")
    bx.plot(x, tsg, "x", color=bx.lines[-1].get_color(), ms=5)
bx.plot([], [], "xk", label="SGD, N = 1000")
bx.set_xlabel("log(1 / init-scale)")
bx.set_ylabel(f"escape time (eps_g < {ESCAPE_LEVEL:g})")
bx.legend(fontsize=6)
bx.set_title("escape from the initial plateau")

# ---- late decay panel
cx = axes[1][1]
for P in [2, 4, 8]:
    tl, long = curves(os.path.join(out, f"A_P{P}.long.csv"))
    cx.plot(tl[1:], np.maximum(long.mean(axis=0), 1e-16)[1:], label=f"ODE, P = {P}")
tt = np.geomspace(1e2, 1e4, 10)
cx.plot(tt, 1e-2 * (tt / 1e2) ** -2.0, "k:", lw=1, label="t^-2")
cx.set_xscale("log")
cx.set_yscale("log")
cx.set_ylim(1e-14, 10)
cx.set_xlabel("t")
cx.set_title("late-time decay")
cx.legend(fontsize=6)

# ---- C: the polar factor of R
print("\nC. largest change of the polar factor of R, max_t max_ij |U(t) - U(0)|, P = 4")
iso = isotropic_quadratic_weights(os.path.join(out, "C_isotropic"), 4, 2, 1000, 0.01, seed=5)
rows = []
for label, extra in [("full ODE", []), ("drift-only ODE", ["--drift-only"])]:
    path = os.path.join(out, f"C_isotropic{'_drift' if extra else ''}.csv")
    run(tool, ["ode", "--init-from", iso, "--act", "quadratic", "--lr", LR, "--t-max", "300", "--reports", "100",
               "--order"] + extra, path)
    (t, Q, R), = order_matrices(path, 4, 2).values()
    U = polar_factor(R)
    rows.append((f"exactly isotropic start (T = I, Q_perp = a^2 I), {label}", np.abs(U - U[0]).max(axis=(1, 2)).max(),
                 None))
    if not extra:
        iso_t, iso_change = t, np.abs(U - U[0]).max(axis=(1, 2))
Ns, changes = [250, 1000, 4000, 10000], []
for N in Ns:
    per_chain = []
    for c, (t, Q, R) in order_matrices(os.path.join(out, f"C_N{N}.ode.csv"), 4, 2).items():
        U = polar_factor(R)
        per_chain.append(np.abs(U - U[0]).max(axis=(1, 2)).max())
    changes.append(np.mean(per_chain))
    rows.append((f"ODE from train's draws, init 0.01, N = {N} (mean of 10)", changes[-1], None))
power = slope(np.log(Ns), np.log(changes))
LRS = ["0.05", "0.01", "0.002"]
sgd_by_lr, ode_by_lr = [], []
for lr in LRS:
    ode_runs = order_matrices(os.path.join(out, f"C_lr{lr}.ode.csv"), 4, 2)
    s_, o_ = [], []
    for c in range(3):
        U = polar_factor(np.load(os.path.join(out, f"C_lr{lr}.order", f"chain_{c}", "R.npy")))
        s_.append(np.abs(U - U[0]).max(axis=(1, 2)).max())
        Uo = polar_factor(ode_runs[c][2])
        o_.append(np.abs(Uo - Uo[0]).max(axis=(1, 2)).max())
    sgd_by_lr.append(np.mean(s_))
    ode_by_lr.append(np.mean(o_))
    rows.append((f"SGD, N = 1000, init 0.3, eta = {lr} (mean of 3 chains) / ODE from the same starts",
                 sgd_by_lr[-1], ode_by_lr[-1]))
lr_power = slope(np.log([float(x) for x in LRS]), np.log(sgd_by_lr))
print("| start | max change of U |")
print("| --- | --- |")
for name, v, w in rows:
    print(f"| {name} | {v:.2e}" + ("" if w is None else f" / {w:.2e}") + " |")
print(f"fitted: ODE from train's draws ~ N^{power:.3f}; SGD ~ eta^{lr_power:.3f}")
dx = axes[1][2]
dx.loglog(Ns, changes, "o-", label=f"ODE from train's draws: ~ N^{power:.2f}")
dx.set_xlabel("N")
dx.set_ylabel("max |U(t) - U(0)|")
dx.set_title("polar factor of R: ODE against N", fontsize=9)
dx.legend(fontsize=6)
ex = axes[1][3]
ex.loglog([float(x) for x in LRS], sgd_by_lr, "o-", color="C3", label=f"SGD, N = 1000: ~ eta^{lr_power:.2f}")
ex.loglog([float(x) for x in LRS], ode_by_lr, "s-", color="k", label="ODE, same starts")
ex.text(0.03, 0.05, f"ODE from an isotropic start: {iso_change.max():.0e}", transform=ex.transAxes, fontsize=7)
ex.set_xlabel("eta")
ex.set_ylabel("max |U(t) - U(0)|")
ex.set_title("polar factor: SGD against eta", fontsize=9)
ex.legend(fontsize=6)
fig.tight_layout()
png = os.path.join(out, "exp3_quadratic.png")
fig.savefig(png, dpi=80)
print(f"figure: {png}")
