"""End-to-end tests of `twolayer ode`: bad input (exit 2, one line, no file left), the CSV it
writes (train's columns and report times, the order columns), and a diverging flow (exit 1, the
rows up to there kept). Usage: test_cli_ode.py PATH_TO_TWOLAYER"""
import csv
import math
import os
import sys

from cli_check import check, expect_bad_input, finish, run, temp_dir

tool = sys.argv[1]


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], [[float(x) for x in r] for r in rows[1:]]


with temp_dir() as d:
    out = os.path.join(d, "ode.csv")
    base = ["--N", "200", "--P", "2", "--P-star", "2", "--t-max", "20", "--out", out]
    # bad input: every case names its option, leaves nothing
    cases = [
        (["--act", "relu"], "--act relu"),
        (["--act", "erf", "--teacher-act", "quadratic"], "--teacher-act quadratic"),
        (["--N", "0"], "--N"),
        (["--lr", "-1"], "--lr"),
        (["--reports", "0"], "--reports"),
        (["--rtol", "2"], "--rtol"),
        (["--atol", "0"], "--atol"),
        (["--second-layer", "half"], "--second-layer"),
        (["--frobnicate"], "--frobnicate"),
    ]
    for extra, named in cases:
        line = expect_bad_input(tool, "ode", base + extra, d, out)
        check(named in line, f"ode {extra}: the line does not name {named}: {line!r}")
    missing_dir = os.path.join(d, "no", "such", "dir", "x.csv")
    line = expect_bad_input(tool, "ode", base[:-1] + [missing_dir], d, missing_dir)
    check("--out" in line, f"ode --out into a missing directory: {line!r}")
    # a file that exists is untouched by a refused run
    with open(out, "wb") as f:
        f.write(b"keep me\n")
    expect_bad_input(tool, "ode", base + ["--act", "tanh"], d, out, keep=b"keep me\n")
    os.remove(out)

    # a good run: train's columns, t = whole steps / N from 0 to t-max, eps_g falling
    code, _, err = run(tool, ["ode"] + base + ["--reports", "15", "--lr", "1", "--init-scale", "0.5"])
    check(code == 0 and err == "", f"ode: exit {code}, stderr {err!r}")
    header, rows = read_csv(out)
    check(header == ["chain", "t", "eps_g"], f"ode: header {header}")
    ts = [r[1] for r in rows]
    check(ts[0] == 0 and ts[-1] == 20 and all(b > a for a, b in zip(ts, ts[1:])), f"ode: times {ts}")
    check(all(abs(t * 200 - round(t * 200)) < 1e-6 for t in ts), "ode: a time is not a whole number of steps / N")
    check(len(rows) == 16 and all(r[0] == 0 for r in rows), "ode: 15 reports plus t = 0, chain 0")
    check(rows[-1][2] < 0.5 * rows[0][2], f"ode: eps_g did not fall: {rows[0][2]} -> {rows[-1][2]}")
    check(not [f for f in os.listdir(d) if ".tmp." in f], "ode: a temporary remains")

    # --chains 3: chain j starts from train's chain j (its t = 0 error is train's), chain 0 as alone
    os.remove(out)
    code, text, err = run(tool, ["ode"] + base[:-2] + ["--reports", "5", "--lr", "1", "--init-scale", "0.5", "--chains", "3"])
    check(code == 0 and err == "", f"ode --chains 3: exit {code}, stderr {err!r}")
    lines = text.splitlines()
    rows3 = [[float(x) for x in l.split(",")] for l in lines[1:]]
    check(sorted({r[0] for r in rows3}) == [0, 1, 2] and len(rows3) == 3 * 6, "ode --chains 3: 6 rows for each of chains 0, 1, 2")
    code, text1, _ = run(tool, ["ode"] + base[:-2] + ["--reports", "5", "--lr", "1", "--init-scale", "0.5"])
    check(code == 0 and text1.splitlines() == lines[:7], "ode --chains 3: chain 0 differs from a one-chain run")
    code, ttext, err = run(tool, ["train"] + base[:-2] + ["--reports", "5", "--lr", "1", "--init-scale", "0.5", "--chains", "3",
                                                          "--quiet"])
    trows = [l.split(",") for l in ttext.splitlines()]
    tcol = trows[0].index("eps_g")
    t0 = {int(r[0]): float(r[tcol]) for r in trows[1:] if float(r[1]) == 0}
    for r in rows3:
        if r[1] == 0:
            check(abs(r[2] - t0.get(int(r[0]), -1)) < 1e-9 * r[2],
                  f"ode --chains 3: chain {int(r[0])} starts at {r[2]}, train's at {t0.get(int(r[0]))}")
    check(len({r[2] for r in rows3 if r[1] == 0}) == 3, "ode --chains 3: the chains start from the same point")
    line = expect_bad_input(tool, "ode", base + ["--chains", "0"], d, out)
    check("--chains" in line, f"ode --chains 0: {line!r}")

    # --order: Q (upper triangle), R, and v when the second layer trains; eps_g from stdout agrees
    code, text, _ = run(tool, ["ode", "--N", "200", "--P", "3", "--P-star", "2", "--t-max", "20", "--order", "--train-v", "true", "--reports", "5"])
    lines = text.splitlines()
    cols = lines[0].split(",")
    want = ["chain", "t", "eps_g", "Q_0_0", "Q_0_1", "Q_0_2", "Q_1_1", "Q_1_2", "Q_2_2",
            "R_0_0", "R_0_1", "R_1_0", "R_1_1", "R_2_0", "R_2_1", "v_0", "v_1", "v_2"]
    check(code == 0 and cols == want, f"ode --order: exit {code}, columns {cols}")
    first = [float(x) for x in lines[1].split(",")]
    check(all(abs(v - 1) < 1e-12 for v in first[-3:]), "ode --order: v starts at 1 (--second-layer one)")
    check(abs(first[3] - 1e-6) < 1e-6, f"ode --order: Q_0_0 at t = 0 is about init-scale^2: {first[3]}")

    # a diverging flow (quadratic, a rate far too large): exit 1, one line, the rows so far kept
    code, _, err = run(tool, ["ode", "--N", "200", "--P", "2", "--P-star", "2", "--t-max", "100", "--out", out,
                             "--act", "quadratic", "--lr", "50", "--init-scale", "1"])
    check(code == 1, f"ode diverging: exit {code}")
    check(len(err.splitlines()) == 1 and "diverged" in err, f"ode diverging: stderr {err!r}")
    header, rows = read_csv(out)
    check(len(rows) >= 1 and all(math.isfinite(r[2]) for r in rows), "ode diverging: the finite rows are written")
    check(rows[-1][1] < 100, "ode diverging: it did not reach t-max")
    os.remove(out)

    # --init-from: weights saved by NumPy; the order columns at t = 0 are NumPy's W W^T / N etc.
    import numpy as np
    init = os.path.join(d, "weights")
    os.mkdir(init)
    rng = np.random.default_rng(5)
    W, Ws = 0.3 * rng.standard_normal((3, 150)), rng.standard_normal((2, 150))
    v, vs = np.array([0.5, 1.0, -0.2]), np.array([1.0, 0.7])
    for name, a in [("W", W), ("W_star", Ws), ("v", v), ("v_star", vs)]:
        np.save(os.path.join(init, name + ".npy"), a)
    code, text, err = run(tool, ["ode", "--init-from", init, "--order", "--t-max", "2", "--reports", "4"])
    check(code == 0, f"ode --init-from: exit {code}, {err!r}")
    lines = text.splitlines()
    cols, first = lines[0].split(","), [float(x) for x in lines[1].split(",")]
    Q, R = W @ W.T / 150, W @ Ws.T / 150
    want = {f"Q_{i}_{k}": Q[i, k] for i in range(3) for k in range(i, 3)}
    want.update({f"R_{i}_{n}": R[i, n] for i in range(3) for n in range(2)})
    for name, value in want.items():
        got = first[cols.index(name)] if name in cols else None
        check(got is not None and abs(got - value) < 1e-10 * (1 + abs(value)), f"ode --init-from: {name} {got} vs {value}")
    last_t = float(lines[-1].split(",")[1])
    check(abs(last_t - 2) < 1e-12 and all(abs(float(l.split(",")[1]) * 150 - round(float(l.split(",")[1]) * 150)) < 1e-6
                                         for l in lines[1:]), "ode --init-from: t counts steps of the files' N = 150")
    # bad --init-from input: one line naming --init-from and the file, or the contradicting option
    np.save(os.path.join(init, "v.npy"), np.ones(4))
    line = expect_bad_input(tool, "ode", ["--init-from", init, "--out", out], d, out)
    check("--init-from" in line and "v.npy" in line, f"ode --init-from wrong v: {line!r}")
    np.save(os.path.join(init, "v.npy"), v)
    W_nan = W.copy()
    W_nan[1, 7] = np.nan
    np.save(os.path.join(init, "W.npy"), W_nan)
    line = expect_bad_input(tool, "ode", ["--init-from", init, "--out", out], d, out)
    check("W.npy" in line and "(1, 7)" in line, f"ode --init-from NaN: {line!r}")
    np.save(os.path.join(init, "W.npy"), W)
    line = expect_bad_input(tool, "ode", ["--init-from", init, "--P", "4", "--out", out], d, out)
    check(line.startswith("twolayer ode: --P 4: contradicts --init-from"), f"ode --init-from --P: {line!r}")
    line = expect_bad_input(tool, "ode", ["--init-from", init, "--chains", "2", "--out", out], d, out)
    check("--chains 2" in line, f"ode --init-from --chains 2: {line!r}")
    line = expect_bad_input(tool, "ode", ["--init-from", os.path.join(d, "nowhere"), "--out", out], d, out)
    check("--init-from" in line, f"ode --init-from missing dir: {line!r}")
    line = expect_bad_input(tool, "ode", ["--N", "100", "--t-max", "0.001", "--out", out], d, out)
    check("--t-max" in line, f"ode: less than one step: {line!r}")
finish("test_cli_ode")
