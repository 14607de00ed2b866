#!/usr/bin/python3
"""Experiment 6: the population Hessian of quadratic networks (g(x) = x^2, v = v* = 1, teacher
P* = 2 orthonormal units, T = I, N = 10) at three kinds of points, from `twolayer population
--steps 0 --init-from DIR --eigenvalues` (the Hessian by differences of the exact gradient, with
its error estimate; an eigenvalue is "zero" when below 100 x that estimate):
  - W = 0, where the descent starts and lingers: every eigenvalue negative, -(2/N)(tr T + 2) on
    the P P* directions toward the teacher and -(2/N) tr T on the P (N - P*) others;
  - the plateau saddle after the norm is learned: students orthogonal to the teacher, Q = q I with
    q = tr T / (P + 2) (the point where the gradient (E[Delta] + 2Q) W vanishes with R = 0), loss
    2 + 4 / (P + 2): P P* negative directions (toward the teacher), P (N - P* - P) + P (P - 1) / 2
    zero modes (the rotations of the space orthogonal to the teacher that move the students) and
    P (P + 1) / 2 positive ones (the changes of Q);
  - points of the zero-loss manifold W = O W* (O^T O = I), P >= P*: no negative eigenvalue, and
    zero modes = the manifold's dimension P P* - P* (P* + 1) / 2 (the orbit of the rotations
    W -> O' W) plus (P - P*)(N - P*) quartic directions (a spare combination of units growing
    orthogonally to the teacher changes the loss at fourth order only).
Prints the table and writes exp6_quadratic_hessian.png (the spectra).
usage: exp6_quadratic_hessian.py TOOL OUT_DIR"""
import csv
import os
import subprocess
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

tool, out = sys.argv[1], sys.argv[2]
N, PS = 10, 2
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(6)
Ws = np.zeros((PS, N))
Ws[np.arange(PS), np.arange(PS)] = np.sqrt(N)


def spectrum(name, W):
    """(eigenvalues, error estimate, loss, class) of the population Hessian over W at W."""
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    P = W.shape[0]
    for key, x in [("W", W), ("v", np.ones(P)), ("W_star", Ws), ("v_star", np.ones(PS))]:
        np.save(os.path.join(d, key + ".npy"), x)
    csv_path, eig_path = os.path.join(d, "point.csv"), os.path.join(d, "eigenvalues.csv")
    subprocess.run([tool, "population", "--act", "quadratic", "--init-from", d, "--restarts", "1", "--steps", "0",
                    "--out", csv_path, "--eigenvalues", eig_path, "--quiet"], check=True, stdout=subprocess.DEVNULL)
    with open(csv_path, newline="") as f:
        row = next(csv.DictReader(f))
    with open(eig_path, newline="") as f:
        ev = np.array([float(r["eigenvalue"]) for r in csv.DictReader(f)])
    return ev, float(row["hessian_error"]), float(row["loss"]), row["class"]


def counts(ev, err):
    tol = 100 * err
    return int(np.sum(ev < -tol)), int(np.sum(np.abs(ev) <= tol)), int(np.sum(ev > tol))


rows, spectra = [], []
for P in [1, 2, 3, 4, 8]:
    ev, err, loss, cls = spectrum(f"origin_P{P}", np.zeros((P, N)))
    neg, zero, pos = counts(ev, err)
    a = -(2 / N) * (PS + 2)
    b = -(2 / N) * PS
    ok = np.allclose(np.sort(ev), np.sort([a] * (P * PS) + [b] * (P * (N - PS))), atol=100 * err + 1e-12)
    rows.append((f"W = 0, P = {P}", loss, cls, neg, zero, pos, f"{P * N} negative: {P * PS} at {a:.2f}, "
                 f"{P * (N - PS)} at {b:.2f} ({'as measured' if ok else 'NOT as measured'})"))
    spectra.append((f"W = 0, P = {P}", ev))
for P in [1, 2, 3, 4, 8]:
    q = PS / (P + 2)
    W = np.zeros((P, N))
    W[np.arange(P), PS + np.arange(P)] = np.sqrt(q * N)  # orthonormal directions outside the teacher's span
    ev, err, loss, cls = spectrum(f"plateau_P{P}", W)
    neg, zero, pos = counts(ev, err)
    rows.append((f"plateau saddle, P = {P} (q = {q:.3f})", loss, cls, neg, zero, pos,
                 f"loss 2 + 4 / (P + 2) = {2 + 4 / (P + 2):.4f}; {P * PS} negative (toward the teacher), "
                 f"{P * (N - PS - P) + P * (P - 1) // 2} zero (rotations of the space orthogonal to the teacher), "
                 f"{P * (P + 1) // 2} positive (changes of Q)"))
    spectra.append((f"plateau, P = {P}", ev))
for P in [2, 3, 4, 8]:
    O, _ = np.linalg.qr(rng.normal(size=(P, PS)))
    ev, err, loss, cls = spectrum(f"manifold_P{P}", O @ Ws)
    neg, zero, pos = counts(ev, err)
    dim_m = P * PS - PS * (PS + 1) // 2
    quartic = (P - PS) * (N - PS)
    rows.append((f"zero-loss manifold, P = {P}", loss, cls, neg, zero, pos,
                 f"0 negative, {dim_m} + {quartic} = {dim_m + quartic} zero (manifold + quartic)"))
    spectra.append((f"manifold, P = {P}", ev))

print(f"quadratic, P* = {PS}, N = {N}, v = v* = 1; 'zero': |eigenvalue| <= 100 x the Hessian's error estimate")
print("| point | loss | class | negative | zero | positive | expected |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for name, loss, cls, neg, zero, pos, note in rows:
    print(f"| {name} | {loss:.4g} | {cls} | {neg} | {zero} | {pos} | {note} |")

fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
for ax, kind in zip(axes, ["W = 0", "plateau", "manifold"]):
    for i, (name, ev) in enumerate(s for s in spectra if s[0].startswith(kind)):
        ax.plot(np.arange(len(ev)) / max(len(ev) - 1, 1), ev, ".", ms=3, label=name)
    ax.axhline(0, color="k", lw=0.5)
    ax.set_title(kind if kind != "manifold" else "zero-loss manifold", fontsize=9)
    ax.set_xlabel("eigenvalue rank / (dimension - 1)")
    ax.legend(fontsize=6)
axes[0].set_ylabel("Hessian eigenvalue")
fig.tight_layout()
png = os.path.join(out, "exp6_quadratic_hessian.png")
fig.savefig(png, dpi=80)
print(f"figure: {png}")
