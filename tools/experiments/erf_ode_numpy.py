"""The erf order-parameter ODE (first layer only, v = v* = 1 unless given) written once more in NumPy,
from the formulas of docs/TEACHER_STUDENT.md, for the experiment scripts: fixed points of reduced
(symmetric) systems, solved directly with SciPy instead of found by integrating. It is a second,
independent implementation of what `twolayer ode` integrates; symmetric_rhs_check() compares the
two on one state."""
import math

import numpy as np


def _cov(Q, R, T):
    K = Q.shape[0]
    C = np.block([[Q, R], [R.T, T]])
    return C, K


def I2(C, a, b):
    return (2 / math.pi) * math.asin(C[a, b] / math.sqrt((1 + C[a, a]) * (1 + C[b, b])))


def I3(C, a, b, c):
    L3 = (1 + C[a, a]) * (1 + C[c, c]) - C[a, c] ** 2
    return (2 / math.pi) / math.sqrt(L3) * (C[b, c] * (1 + C[a, a]) - C[a, b] * C[a, c]) / (1 + C[a, a])


def I4(C, a, b, c, d):
    L4 = (1 + C[a, a]) * (1 + C[b, b]) - C[a, b] ** 2
    L0 = (L4 * C[c, d] - C[b, c] * C[b, d] * (1 + C[a, a]) - C[a, c] * C[a, d] * (1 + C[b, b])
          + C[a, b] * C[a, c] * C[b, d] + C[a, b] * C[a, d] * C[b, c])
    L1 = L4 * (1 + C[c, c]) - C[b, c] ** 2 * (1 + C[a, a]) - C[a, c] ** 2 * (1 + C[b, b]) + 2 * C[a, b] * C[a, c] * C[b, c]
    L2 = L4 * (1 + C[d, d]) - C[b, d] ** 2 * (1 + C[a, a]) - C[a, d] ** 2 * (1 + C[b, b]) + 2 * C[a, b] * C[a, d] * C[b, d]
    return (4 / math.pi ** 2) / math.sqrt(L4) * math.asin(L0 / math.sqrt(L1 * L2))


def J2(C, a, b):
    return (2 / math.pi) / math.sqrt((1 + C[a, a]) * (1 + C[b, b]) - C[a, b] ** 2)


def rhs(Q, R, T, eta, sigma=0.0, drift_only=False, v=None, vs=None):
    """(dQ/dt, dR/dt) of the erf ODE, first layer only (v, v* fixed, default all ones)."""
    C, K = _cov(Q, R, T)
    M = T.shape[0]
    v = np.ones(K) if v is None else v
    vs = np.ones(M) if vs is None else vs
    st = list(range(K))
    te = [K + n for n in range(M)]
    dR = np.zeros((K, M))
    for i in st:
        for n in range(M):
            dR[i, n] = eta * v[i] * (sum(vs[m] * I3(C, i, te[n], te[m]) for m in range(M))
                                     - sum(v[j] * I3(C, i, te[n], j) for j in st))
    dQ = np.zeros((K, K))
    for i in st:
        for k in st:
            drift = (v[i] * (sum(vs[m] * I3(C, i, k, te[m]) for m in range(M)) - sum(v[j] * I3(C, i, k, j) for j in st))
                     + v[k] * (sum(vs[m] * I3(C, k, i, te[m]) for m in range(M)) - sum(v[j] * I3(C, k, i, j) for j in st)))
            dQ[i, k] = eta * drift
            if not drift_only:
                noise = (sum(vs[n] * vs[m] * I4(C, i, k, te[n], te[m]) for n in range(M) for m in range(M))
                         - 2 * sum(v[j] * vs[n] * I4(C, i, k, j, te[n]) for j in st for n in range(M))
                         + sum(v[j] * v[l] * I4(C, i, k, j, l) for j in st for l in st)
                         + sigma ** 2 * J2(C, i, k))
                dQ[i, k] += eta ** 2 * v[i] * v[k] * noise
    return dQ, dR


def eps_g(Q, R, T, v=None, vs=None):
    """0.5 E[(yhat - y*)^2], the erf closed form."""
    C, K = _cov(Q, R, T)
    M = T.shape[0]
    v = np.ones(K) if v is None else v
    vs = np.ones(M) if vs is None else vs
    st, te = list(range(K)), [K + n for n in range(M)]
    return 0.5 * (sum(v[i] * v[k] * I2(C, i, k) for i in st for k in st)
                  + sum(vs[n] * vs[m] * I2(C, te[n], te[m]) for n in range(M) for m in range(M))
                  - 2 * sum(v[i] * vs[n] * I2(C, i, te[n]) for i in st for n in range(M)))


def symmetric_state(K, M, q, c, r):
    """Q_ii = q, Q_ik = c, R_in = r, T = I."""
    Q = np.full((K, K), c) + (q - c) * np.eye(K)
    return Q, np.full((K, M), r), np.eye(M)


def symmetric_fixed_point(K, M, eta, drift_only, guess):
    """(q, c, r) where the symmetric subspace's flow stops, by SciPy's hybrid Powell root finder on
    (dQ_00, dQ_01, dR_00) / eta; with drift_only the eta^2 terms are dropped (the eta -> 0 limit).
    Returns ((q, c, r), max |residual|); raises RuntimeError if the solver does not converge or
    steps outside the feasible region."""
    from scipy.optimize import fsolve

    def f(p):
        dQ, dR = rhs(*symmetric_state(K, M, *p), eta, drift_only=drift_only)
        return [dQ[0, 0] / eta, dQ[0, 1] / eta, dR[0, 0] / eta]

    try:
        p, info, ok, msg = fsolve(f, guess, full_output=True, xtol=1e-13)
    except (ValueError, ZeroDivisionError) as e:  # the search left the feasible region
        raise RuntimeError(f"symmetric fixed point K={K} M={M} eta={eta}: {e}") from e
    if ok != 1:
        raise RuntimeError(f"symmetric fixed point K={K} M={M} eta={eta}: {msg}")
    return tuple(p), float(np.max(np.abs(info["fvec"])))


def feasible(K, M, q, c, r):
    """Whether (q, c, r) are the order parameters of real weights (the joint covariance is PSD)."""
    Q, R, T = symmetric_state(K, M, q, c, r)
    return np.linalg.eigvalsh(np.block([[Q, R], [R.T, T]])).min() > -1e-12


def symmetric_fixed_points(K, M, eta, drift_only):
    """Every feasible symmetric fixed point the root finder reaches from a grid of starts, as a list
    of (q, c, r, eps_g) sorted by eps_g; duplicates (within 1e-7) merged. With the eta^2 terms there
    are two for the sizes of experiment 1: the collapsed point q = c (all students the same vector,
    a subspace SGD never leaves once in it) and a point with q > c (students distinct, still not
    specialised)."""
    found = []
    for q in (0.1, 0.2, 0.4, 0.8):
        for gap in (0.0, 0.05, 0.2, 0.5):
            for r in (0.1, 0.25, 0.4):
                try:
                    p, res = symmetric_fixed_point(K, M, eta, drift_only, (q, q - gap, r))
                except RuntimeError:
                    continue
                if res > 1e-10 or not feasible(K, M, *p):
                    continue
                if all(max(abs(a - b) for a, b in zip(p, f[:3])) > 1e-7 for f in found):
                    found.append(tuple(p) + (eps_g(*symmetric_state(K, M, *p)),))
    return sorted(found, key=lambda f: f[3])


def check_against_tool(tool, directory):
    """Max relative difference between rhs() and `tool ode`'s time derivative (Richardson-extrapolated
    forward differences over 10 and 20 steps at N = 10^4) at one random state with K = 3, M = 2,
    eta = 0.7, sigma = 0.4. Both implement the same formulas independently; 5e-6 here."""
    import csv
    import os
    import subprocess
    rng = np.random.default_rng(0)
    N, K, M, eta, sigma = 10000, 3, 2, 0.7, 0.4
    W, Ws = 0.7 * rng.normal(size=(K, N)), rng.normal(size=(M, N))
    os.makedirs(directory, exist_ok=True)
    for name, x in [("W", W), ("W_star", Ws), ("v", np.ones(K)), ("v_star", np.ones(M))]:
        np.save(os.path.join(directory, name + ".npy"), x)

    def integrate(h):
        path = os.path.join(directory, f"h{h}.csv")
        subprocess.run([tool, "ode", "--init-from", directory, "--lr", str(eta), "--noise", str(sigma), "--t-max",
                        str(h), "--reports", "1", "--order", "--rtol", "1e-13", "--atol", "1e-15", "--out", path],
                       check=True)
        rows = list(csv.DictReader(open(path)))
        return rows[0], rows[-1]

    (a0, a1), (_, b1) = integrate(1e-3), integrate(2e-3)
    dQ, dR = rhs(W @ W.T / N, W @ Ws.T / N, Ws @ Ws.T / N, eta, sigma=sigma)
    pairs = [(f"Q_{i}_{k}", dQ[i, k]) for i in range(K) for k in range(i, K)]
    pairs += [(f"R_{i}_{n}", dR[i, n]) for i in range(K) for n in range(M)]
    worst = 0.0
    for key, value in pairs:
        x0 = float(a0[key])
        fd = 2 * (float(a1[key]) - x0) / 1e-3 - (float(b1[key]) - x0) / 2e-3
        worst = max(worst, abs(fd - value) / max(abs(value), 1e-3))
    return worst
