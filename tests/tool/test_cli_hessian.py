"""End-to-end tests of `twolayer hessian`:
(a) at N = 6, P = 2, P* = 1, M = 30 (quadratic and erf, weights and inputs written here), the
    extreme eigenvalues against the dense Hessian computed here in NumPy from the formulas
    H = mean(J J^T) + mean(r d^2 yhat / d theta^2) (J = d yhat / d theta, r = yhat - y), within
    1e-8 relative, and each eigenvector's teacher overlap |U Pi|_F / |U|_F and first-layer weight
    |U|_F^2 within 1e-6; with the first layer only and with both layers;
(b) the SLQ density integrates to 1 and its mean is within a few % of trace(H) / dim;
(c) bad input: exit 2, one line naming the option, no file written; a diverged input: exit 1 naming
    the job;
(d) --scan-alpha 2 points x --seeds 2 gives 2 * 2 * 2k rows, identical with 1 and 2 threads.
Usage: test_cli_hessian.py PATH_TO_TWOLAYER"""
import csv
import math
import os
import sys

import numpy as np

from cli_check import check, expect_bad_input, finish, run, temp_dir

tool = sys.argv[1]
ERF = np.vectorize(math.erf)
ACTS = {
    "quadratic": (lambda z: z * z, lambda z: 2 * z, lambda z: 2 + 0 * z),
    "erf": (lambda z: ERF(z / math.sqrt(2)), lambda z: math.sqrt(2 / math.pi) * np.exp(-z * z / 2),
            lambda z: -z * math.sqrt(2 / math.pi) * np.exp(-z * z / 2)),
}
COLUMNS = ["alpha", "seed", "M", "which", "rank", "eigenvalue", "residual_bound", "overlap", "first_layer_weight"]


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def save(directory, **arrays):
    os.makedirs(directory, exist_ok=True)
    for name, x in arrays.items():
        np.save(os.path.join(directory, name + ".npy"), np.asarray(x, dtype=np.float64))
    return directory


def dense_hessian(act, W, v, Ws, vs, X, second):
    """The Hessian of (1/M) sum (yhat - y)^2 / 2 over W (row-major), then v when `second`."""
    g, d1, d2 = ACTS[act]
    P, N = W.shape
    M = X.shape[0]
    y = g(X @ Ws.T / math.sqrt(N)) @ vs
    dim = P * N + (P if second else 0)
    H = np.zeros((dim, dim))
    for x, yy in zip(X, y):
        z = W @ x / math.sqrt(N)
        r = v @ g(z) - yy
        J = np.zeros(dim)
        S = np.zeros((dim, dim))  # d^2 yhat / d theta^2
        for k in range(P):
            wk = slice(k * N, (k + 1) * N)
            J[wk] = v[k] * d1(z[k]) * x / math.sqrt(N)
            S[wk, wk] = v[k] * d2(z[k]) * np.outer(x, x) / N
            if second:
                J[P * N + k] = g(z[k])
                S[wk, P * N + k] = S[P * N + k, wk] = d1(z[k]) * x / math.sqrt(N)
        H += np.outer(J, J) + r * S
    return H / M


def overlaps(vec, P, N, Ws):
    U = vec[:P * N].reshape(P, N)
    Q, _ = np.linalg.qr(Ws.T)  # N x P*: the teacher rows' span
    weight = float(np.sum(U * U))
    return math.sqrt(float(np.sum((U @ Q) ** 2)) / weight), weight


with temp_dir() as d:
    rng = np.random.default_rng(5)
    N, P, Ps, M = 6, 2, 1, 30
    W = rng.normal(size=(P, N))
    v = np.array([1.3, -0.7])
    Ws = rng.normal(size=(Ps, N))
    vs = np.array([1.1])
    X = rng.normal(size=(M, N))
    weights = save(os.path.join(d, "w"), W=W, v=v, W_star=Ws, v_star=vs)
    save(d, X=X)
    xfile = os.path.join(d, "X.npy")
    out = os.path.join(d, "h.csv")

    # (a) against the dense Hessian
    for act in ["quadratic", "erf"]:
        for blocks, second in [("first", False), ("all", True)]:
            k = 3
            code, _, err = run(tool, ["hessian", "--act", act, "--init-from", weights, "--inputs", xfile, "--blocks",
                                      blocks, "--k", str(k), "--out", out, "--quiet"])
            label = f"(a) {act} --blocks {blocks}"
            check(code == 0, f"{label}: exit {code}, {err!r}")
            rows = read_rows(out)
            check(len(rows) == 2 * k and list(rows[0].keys()) == COLUMNS, f"{label}: rows {len(rows)}")
            H = dense_hessian(act, W, v, Ws, vs, X, second)
            lam, vec = np.linalg.eigh(H)
            scale = np.max(np.abs(lam))
            worst_ev = worst_ov = 0.0
            for row in rows:
                r = int(row["rank"])
                i = r if row["which"] == "smallest" else len(lam) - 1 - r
                ev = float(row["eigenvalue"])
                check(abs(ev - lam[i]) <= 1e-8 * scale, f"{label}: {row['which']} {r}: {ev} vs dense {lam[i]}")
                check(float(row["residual_bound"]) <= 1e-8 * scale, f"{label}: residual bound {row['residual_bound']}")
                ov, wt = overlaps(vec[:, i], P, N, Ws)
                worst_ev = max(worst_ev, abs(ev - lam[i]) / scale)
                worst_ov = max(worst_ov, abs(float(row["overlap"]) - ov))
                check(abs(float(row["overlap"]) - ov) <= 1e-6, f"{label}: overlap {row['overlap']} vs {ov}")
                check(abs(float(row["first_layer_weight"]) - wt) <= 1e-6, f"{label}: weight {row['first_layer_weight']} vs {wt}")
                check(row["alpha"] == "5" and row["M"] == "30" and row["seed"] == "0", f"{label}: alpha/M/seed {row}")
            print(f"{label}: worst |lambda - dense| / |H| {worst_ev:.1e}, worst |overlap - dense| {worst_ov:.1e}")

    # (b) the SLQ density: mass 1, mean trace(H) / dim; and --eigenvalues: 12 steps on dimension 12
    # give every eigenvalue
    dens = os.path.join(d, "density.csv")
    eig = os.path.join(d, "eig.csv")
    code, _, err = run(tool, ["hessian", "--act", "erf", "--init-from", weights, "--inputs", xfile, "--density", dens,
                              "--slq-vectors", "400", "--bins", "200", "--eigenvalues", eig, "--out", out, "--quiet"])
    check(code == 0, f"(b): exit {code}, {err!r}")
    bins = read_rows(dens)
    check(len(bins) == 200 and list(bins[0].keys()) == ["bin_lo", "bin_hi", "density"], "(b) density columns")
    lo = np.array([float(b["bin_lo"]) for b in bins])
    hi = np.array([float(b["bin_hi"]) for b in bins])
    dn = np.array([float(b["density"]) for b in bins])
    mass = dn * (hi - lo)
    check(abs(mass.sum() - 1) <= 1e-12, f"(b) the density integrates to {mass.sum()}")
    H = dense_hessian("erf", W, v, Ws, vs, X, False)
    mean, want = float(np.sum(mass * (lo + hi) / 2)), np.trace(H) / H.shape[0]
    spread = np.max(np.linalg.eigvalsh(H)) - np.min(np.linalg.eigvalsh(H))
    print(f"(b) SLQ mean {mean:.6f}, trace / dim {want:.6f}, mass {mass.sum():.15f}")
    check(abs(mean - want) <= 0.03 * abs(want), f"(b) SLQ mean {mean} vs trace / dim {want} (spread {spread})")
    ritz = [float(r["eigenvalue"]) for r in read_rows(eig)]
    check(len(ritz) == 12 and np.allclose(ritz, np.linalg.eigvalsh(H), rtol=0, atol=1e-10 * spread),
          f"(b) --eigenvalues: {ritz}")

    # (c) bad input: exit 2, one line naming the option, nothing written
    base = ["--N", "8", "--P", "2", "--out", out, "--quiet"]
    os.remove(out)
    bad_dir = save(os.path.join(d, "bad"), W=W, v=v, W_star=rng.normal(size=(1, 5)), v_star=vs)
    cases = [
        (["--scan-alpha", "1:2"], "--scan-alpha"),
        (["--scan-alpha", "1:x:3"], "--scan-alpha"),
        (["--scan-alpha", "1:2:0"], "--scan-alpha"),
        (["--scan-alpha", "3:2:2"], "--scan-alpha"),
        (["--scan-alpha", "0:2:2"], "--scan-alpha"),
        (["--alpha", "0"], "--alpha"),
        (["--alpha", "-1"], "--alpha"),
        (["--alpha", "2", "--scan-alpha", "1:2:2"], "--scan-alpha"),
        (["--k", "17"], "--k"),
        (["--k", "5", "--lanczos-steps", "4"], "--k"),
        (["--init-from", os.path.join(d, "missing")], "--init-from"),
        (["--init-from", bad_dir], "--init-from"),
        (["--inputs", xfile], "--inputs"),  # N = 6 against --N 8
        (["--density", dens + ".new", "--seeds", "2"], "--seeds"),
        (["--eigenvalues", eig + ".new", "--scan-alpha", "1:2:2"], "--scan-alpha"),
        (["--blocks", "biases"], "--blocks"),
        (["--loss", "hinge"], "--loss"),
        (["--init", "uniform"], "--init"),
        (["--teacher-units", "orthonormal", "--P-star", "9"], "--N"),
    ]
    for extra, named in cases:
        line = expect_bad_input(tool, "hessian", base + extra, d, out)
        check(named in line, f"hessian {extra}: the line does not name {named}: {line!r}")
        check(not os.path.exists(dens + ".new") and not os.path.exists(eig + ".new"), f"hessian {extra}: a file was written")
    huge = save(os.path.join(d, "huge"), W=1e200 * W, v=v, W_star=Ws, v_star=vs)
    code, _, err = run(tool, ["hessian", "--init-from", huge, "--inputs", xfile, "--out", out, "--quiet"])
    check(code == 1 and "alpha 5 seed 0" in err and "not finite" in err, f"diverged input: exit {code}, {err!r}")

    # (d) a scan: 2 alphas x 2 seeds x 2k rows, the same bytes on 1 and 2 threads
    outs = []
    for threads in ["1", "2"]:
        path = os.path.join(d, f"scan{threads}.csv")
        code, _, err = run(tool, ["hessian", "--N", "20", "--P", "2", "--P-star", "1", "--scan-alpha", "2:4:2",
                                  "--seeds", "2", "--k", "2", "--lanczos-steps", "30", "--threads", threads, "--out",
                                  path, "--quiet"])
        check(code == 0, f"(d) threads {threads}: exit {code}, {err!r}")
        check(len([l for l in err.splitlines() if "mean overlap" in l]) == 2, f"(d) one summary line per alpha: {err!r}")
        with open(path, "rb") as f:
            outs.append(f.read())
    rows = read_rows(os.path.join(d, "scan1.csv"))
    check(len(rows) == 2 * 2 * 2 * 2, f"(d) {len(rows)} rows, not 16")
    check(sorted({(r["alpha"], r["M"]) for r in rows}) == [("2", "40"), ("4", "80")], "(d) alphas and M")
    check(outs[0] == outs[1], "(d) --threads 1 and 2 differ")

finish("test_cli_hessian")
