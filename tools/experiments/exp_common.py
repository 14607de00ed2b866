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
