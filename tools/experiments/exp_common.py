"""Helpers of the experiment scripts (tools/experiments): reading the tool's CSVs, symmetric
initial weights for `ode --init-from`, running the tool."""
import csv
import os
import subprocess

import numpy as np


def curves(path, column="eps_g"):
    """(sorted times, array chains x times) of one column of a train/ode CSV."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["t"] = float(r["t"])  # steps / N: train's 17 digits and ode's 12 parse to the same double
    ts = sorted({r["t"] for r in rows})
    chains = sorted({int(r["chain"]) for r in rows})
    a = np.full((len(chains), len(ts)), np.nan)
    ti = {t: i for i, t in enumerate(ts)}
    for r in rows:
        a[chains.index(int(r["chain"])), ti[float(r["t"])]] = float(r[column])
    return np.array(ts), a


def mean_se(a):
    """Mean over chains and its standard error, per time."""
    m = np.nanmean(a, axis=0)
    se = np.nanstd(a, axis=0, ddof=1) / np.sqrt(a.shape[0]) if a.shape[0] > 1 else np.zeros_like(m)
    return m, se


def symmetric_weights(directory, K, M, N, a, b):
    """Weights whose order parameters are exactly symmetric: teacher rows sqrt(N) e_n (T = I), student
    rows sqrt(N) (a (e_1 + ... + e_M) + b e_{M+i}) (R_in = a, Q_ii = M a^2 + b^2, Q_ik = M a^2), v = v* = 1.
    The ODEs keep this symmetry, so a flow from here stays on the symmetric subspace."""
    os.makedirs(directory, exist_ok=True)
    s = np.sqrt(N)
    Ws = np.zeros((M, N))
    Ws[np.arange(M), np.arange(M)] = s
    W = np.zeros((K, N))
    W[:, :M] = a * s
    W[np.arange(K), M + np.arange(K)] = b * s
    for name, x in [("W", W), ("W_star", Ws), ("v", np.ones(K)), ("v_star", np.ones(M))]:
        np.save(os.path.join(directory, name + ".npy"), x)
    return directory


def run(tool, args, out):
    """Runs `tool args --out out` (exit 0 required) and returns out."""
    subprocess.run([tool] + args + ["--out", out], check=True)
    return out


def isotropic_quadratic_weights(directory, P, M, N, a, seed):
    """Weights with T = I exactly and an exactly isotropic part orthogonal to the teacher: teacher rows
    sqrt(N) e_n; student row i = a (g_i1 e_1 + ... + g_iM e_M) + a sqrt(N) e_{M+i} with g ~ N(0, 1)
    (so R_in = a g_in / sqrt(N) and the part orthogonal to the teacher has Q_perp = a^2 I); v = v* = 1.
    The polar factor of R is then conserved exactly by the quadratic ODE (docs/EXPERIMENTS.md)."""
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(seed)
    s = np.sqrt(N)
    Ws = np.zeros((M, N))
    Ws[np.arange(M), np.arange(M)] = s
    W = np.zeros((P, N))
    W[:, :M] = a * rng.normal(size=(P, M))
    W[np.arange(P), M + np.arange(P)] = a * s
    for name, x in [("W", W), ("W_star", Ws), ("v", np.ones(P)), ("v_star", np.ones(M))]:
        np.save(os.path.join(directory, name + ".npy"), x)
    return directory


def order_matrices(path, P, M):
    """(t, Q, R) arrays (times x P x P, times x P x M) from an `ode --order` CSV, chain by chain:
    returns a dict chain -> (t, Q, R)."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for r in rows:
        c = int(r["chain"])
        Q = np.zeros((P, P))
        for i in range(P):
            for k in range(i, P):
                Q[i, k] = Q[k, i] = float(r[f"Q_{i}_{k}"])
        R = np.array([[float(r[f"R_{i}_{n}"]) for n in range(M)] for i in range(P)])
        out.setdefault(c, ([], [], []))
        out[c][0].append(float(r["t"]))
        out[c][1].append(Q)
        out[c][2].append(R)
    return {c: (np.array(t), np.array(Q), np.array(R)) for c, (t, Q, R) in out.items()}


def polar_factor(R):
    """U of the polar decomposition R = U S (U with orthonormal columns, S = (R^T R)^1/2), for a
    P x M matrix with P >= M, or a stack of them."""
    u, _, vt = np.linalg.svd(R, full_matrices=False)
    return u @ vt
