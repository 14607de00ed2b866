#!/usr/bin/python3
"""Coefficients of the library's float tanh (include/twolayer/core/tanh_float.hpp).

tanh(x) ~ x P(x^2) / Q(x^2) on 0 <= x <= 9 (beyond 9, tanh rounds to 1 in float), P of degree
5 and Q of degree 4 in x^2, P(0) = Q(0) = 1 (so tiny x give x exactly), minimizing the largest
relative error. Method: differential correction by linear programming (scipy's HiGHS), each
round solving for a correction scaled to the current error so the LP works with numbers near 1;
tanh itself from mpmath at 40 digits. Prints the coefficients and the fit's own relative error
(the float evaluation then adds its rounding: tests/test_activations.cpp measures the result).

usage: tools/fit/fit_tanh.py            (needs python3-numpy, python3-scipy, python3-mpmath)
"""
import mpmath as mp
import numpy as np
from scipy.optimize import linprog

mp.mp.dps = 40
DEG_P, DEG_Q, X_MAX = 5, 4, 8.0


def fit(m, n, x_max, points=6000, rounds=12):
    xs = np.concatenate([np.geomspace(1e-4, 1, points // 3), np.linspace(1, x_max, 2 * points // 3)])
    ratio = np.array([float(mp.tanh(mp.mpf(x)) / mp.mpf(x)) for x in xs])  # the target P/Q
    s = xs * xs / (x_max * x_max)  # scaled to [0, 1] so the basis is well conditioned
    bp = np.array([[v ** k for k in range(1, m + 1)] for v in s])
    bq = np.array([[v ** k for k in range(1, n + 1)] for v in s])
    p, q = np.zeros(m), np.zeros(n)
    for _ in range(rounds):
        pv, qv = 1 + bp @ p, 1 + bq @ q
        resid, weight = pv - ratio * qv, ratio * qv
        scale = max(np.max(np.abs(resid) / weight), 1e-15)
        rows = np.hstack([bp, -ratio[:, None] * bq])
        a_ub = np.vstack([np.hstack([rows, -weight[:, None]]), np.hstack([-rows, -weight[:, None]])])
        b_ub = np.concatenate([-resid / scale, resid / scale])
        cost = np.zeros(m + n + 1)
        cost[-1] = 1
        sol = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=[(None, None)] * (m + n + 1), method="highs")
        if sol.x is None:
            raise SystemExit(f"linear program failed: {sol.message}")
        p, q = p + sol.x[:m] * scale, q + sol.x[m:m + n] * scale
    err = np.max(np.abs((1 + bp @ p) / (1 + bq @ q) - ratio) / ratio)
    unscale = [(x_max * x_max) ** k for k in range(1, max(m, n) + 1)]
    return [p[k] / unscale[k] for k in range(m)], [q[k] / unscale[k] for k in range(n)], err


def main():
    p, q, err = fit(DEG_P, DEG_Q, X_MAX)
    print(f"relative error of the fit (before float rounding): {err:.3e}")
    for name, cs in (("P", p), ("Q", q)):
        for k, c in enumerate(cs, start=1):
            print(f"{name}{k} = {c:.10e}")


if __name__ == "__main__":
    main()
