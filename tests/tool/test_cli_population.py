"""End-to-end tests of `twolayer population`: bad input (exit 2, one line naming the option, no file
left), the CSV and the fractions line, results independent of the thread count, each row's class
consistent with its numbers, and two points whose class is known without running any descent:
W = 0 of a quadratic student (the gradient vanishes and every direction curves down: eigenvalues
-(2/N)(tr T + 2) on the P P* teacher directions and -(2/N) tr T on the P (N - P*) others, here
-1.6 and -0.8) and a point on the quadratic zero-loss manifold W = O W* (a global minimum with
(P - P*) N + P* (P* - 1) / 2 zero modes: the rows O_perp B that leave W^T W unchanged to first order,
and the rotations within O's span; here 11), both from --eigenvalues.
Usage: test_cli_population.py PATH_TO_TWOLAYER"""
import csv
import os
import sys

import numpy as np

from cli_check import check, expect_bad_input, finish, run, temp_dir

tool = sys.argv[1]
CLASSES = {"global", "spurious_minimum", "saddle", "not_converged", "diverged"}


def read_rows(path):
    with open(path, newline="") as f:
        r = list(csv.DictReader(f))
    return r


def save(directory, W, v, Ws, vs):
    os.makedirs(directory, exist_ok=True)
    for name, x in [("W", W), ("v", v), ("W_star", Ws), ("v_star", vs)]:
        np.save(os.path.join(directory, name + ".npy"), np.asarray(x, dtype=np.float64))
    return directory


with temp_dir() as d:
    out = os.path.join(d, "pop.csv")
    base = ["--P", "3", "--P-star", "3", "--restarts", "4", "--steps", "3000", "--out", out, "--quiet"]
    cases = [
        (["--act", "tanh"], "--act tanh"),
        (["--act", "relu", "--teacher-act", "erf"], "--teacher-act erf"),
        (["--N", "2"], "--N 2"),
        (["--restarts", "0"], "--restarts"),
        (["--lr", "0"], "--lr"),
        (["--steps", "-1"], "--steps"),
        (["--teacher-units", "sparse"], "--teacher-units"),
        (["--init-from", os.path.join(d, "missing")], "--init-from"),
    ]
    for extra, named in cases:
        line = expect_bad_input(tool, "population", base + extra, d, out)
        check(named in line, f"population {extra}: the line does not name {named}: {line!r}")
    good = save(os.path.join(d, "w0"), np.zeros((3, 3)), np.ones(3), np.sqrt(3) * np.eye(3), np.ones(3))
    line = expect_bad_input(tool, "population", base + ["--init-from", good], d, out)
    check("--restarts" in line, f"population --init-from with 4 restarts: {line!r}")

    # a good run: the columns, one row per restart, the classes consistent with the numbers
    code, so, err = run(tool, ["population"] + base + ["--threads", "1"])
    check(code == 0, f"population: exit {code}, stderr {err!r}")
    rows = read_rows(out)
    check(len(rows) == 4 and list(rows[0].keys()) ==
          ["restart", "loss", "min_eig", "max_eig", "class", "steps", "grad_norm", "hessian_error"],
          f"population: rows {rows[:1]}")
    check([int(r["restart"]) for r in rows] == [0, 1, 2, 3], "population: restarts out of order")
    for r in rows:
        loss, lo, cls = float(r["loss"]), float(r["min_eig"]), r["class"]
        check(cls in CLASSES, f"population: class {cls}")
        check((cls == "global") == (loss < 1e-7), f"population: class {cls} with loss {loss}")
        if cls == "saddle":
            check(lo < 0, f"population: a saddle with min_eig {lo}")
        if cls == "spurious_minimum":
            check(lo > -1e-6 * abs(float(r["max_eig"])) - 100 * float(r["hessian_error"]), f"population: minimum with {lo}")
    check(so.startswith("global ") and "(" in so and so.count(",") == 4, f"population: fractions line {so!r}")
    with open(out, "rb") as f:
        one_thread = f.read()
    code, _, _ = run(tool, ["population"] + base + ["--threads", "2"])
    with open(out, "rb") as f:
        check(code == 0 and f.read() == one_thread, "population: --threads 2 differs from --threads 1")

    # a step too large diverges: exit 1, the row says diverged, one stderr line names the restart
    code, so, err = run(tool, ["population", "--P", "20", "--P-star", "20", "--restarts", "1", "--lr", "2",
                               "--out", out, "--quiet"])
    rows = read_rows(out)
    check(code == 1 and rows[0]["class"] == "diverged" and "restart 0" in err and "--lr" in err,
          f"population: a diverging descent: exit {code}, {rows}, {err!r}")

    # W = 0 of a quadratic student: no descent (--steps 0), a saddle with a negative eigenvalue
    eig = os.path.join(d, "eig.csv")

    def spectrum():
        with open(eig, newline="") as f:
            return np.array([float(r["eigenvalue"]) for r in csv.DictReader(f)])

    code, so, err = run(tool, ["population", "--act", "quadratic", "--init-from", good, "--restarts", "1",
                               "--steps", "0", "--out", out, "--quiet", "--eigenvalues", eig])
    rows = read_rows(out)
    check(code == 0 and rows[0]["class"] == "saddle" and float(rows[0]["min_eig"]) < -0.1,
          f"population: quadratic W = 0: {rows}")
    ev, tol = spectrum(), 100 * float(rows[0]["hessian_error"])
    # P = N = P* = 3 here: 9 teacher directions at -(2/3)(3 + 2) = -10/3, none orthogonal
    check(len(ev) == 9 and np.all(np.abs(ev + 10 / 3) < tol + 1e-9), f"population: W = 0 spectrum {ev}")
    # a point of the zero-loss manifold for P = 4 > P* = 2: W = O W* with orthonormal columns O
    rng = np.random.default_rng(3)
    O, _ = np.linalg.qr(rng.normal(size=(4, 2)))
    N = 5
    Ws = np.zeros((2, N))
    Ws[0, 0] = Ws[1, 1] = np.sqrt(N)
    man = save(os.path.join(d, "manifold"), O @ Ws, np.ones(4), Ws, np.ones(2))
    code, so, err = run(tool, ["population", "--act", "quadratic", "--init-from", man, "--restarts", "1",
                               "--steps", "0", "--out", out, "--quiet", "--eigenvalues", eig])
    rows = read_rows(out)
    check(code == 0 and rows[0]["class"] == "global" and float(rows[0]["loss"]) < 1e-12,
          f"population: quadratic on the zero-loss manifold: {rows}")
    ev, tol = spectrum(), 100 * float(rows[0]["hessian_error"])
    zero = int(np.sum(np.abs(ev) < tol))
    check(len(ev) == 20 and zero == (4 - 2) * N + 2 * 1 // 2 and ev.min() > -tol and ev[zero] > 0.1,
          f"population: manifold spectrum {ev} ({zero} zero modes, tolerance {tol})")
    line = expect_bad_input(tool, "population", base + ["--eigenvalues", eig + "2"], d, eig + "2")
    check("--restarts" in line, f"population --eigenvalues with 4 restarts: {line!r}")
finish("tool_cli_population")
