#!/usr/bin/python3
"""End-to-end cases of `twolayer train` with .npy files, checked with NumPy: one per ctest entry,
train_npy_test.py TWOLAYER CASE.
"""
import csv
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

BASE = ["--N", "30", "--P", "3", "--P-star", "2", "--t-max", "10", "--reports", "4", "--quiet"]


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def train(tool, args, expect=0):
    p = subprocess.run([tool, "train"] + args, capture_output=True, text=True, timeout=300)
    if p.returncode != expect: fail(f"{args}: exit {p.returncode}, expected {expect}; stderr {p.stderr!r}")
    return p


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def erf_eps_g(W, v, Ws, vs):
    """The erf closed form (teacher/generalization_error.hpp) written again in NumPy."""
    N = W.shape[1]
    Q, R, T = W @ W.T / N, W @ Ws.T / N, Ws @ Ws.T / N
    k = lambda c, a, b: (2 / math.pi) * np.arcsin(c / np.sqrt(np.outer(1 + a, 1 + b)))
    qd, td = np.diag(Q), np.diag(T)
    return 0.5 * (v @ k(Q, qd, qd) @ v + vs @ k(T, td, td) @ vs - 2 * v @ k(R, qd, td) @ vs)


def erf_output(W, v, X):
    """sum_k v_k erf(w_k . x / sqrt(2 N)) for every row of X."""
    from math import erf
    lam = X @ W.T / math.sqrt(W.shape[1])
    return np.vectorize(lambda z: erf(z / math.sqrt(2)))(lam) @ v


def case_save_weights(tool, d):
    # The saved weights are the chain's last: NumPy's closed form on them is the CSV's last eps_g.
    train(tool, BASE + ["--chains", "2", "--train-v", "true", "--save-weights", f"{d}/w", "--out", f"{d}/c.csv"])
    r = rows(f"{d}/c.csv")
    for c in ("0", "1"):
        W, v = np.load(f"{d}/w/chain_{c}/W.npy"), np.load(f"{d}/w/chain_{c}/v.npy")
        Ws, vs = np.load(f"{d}/w/chain_{c}/W_star.npy"), np.load(f"{d}/w/chain_{c}/v_star.npy")
        if W.shape != (3, 30) or v.shape != (3,) or Ws.shape != (2, 30) or vs.shape != (2,): fail("shapes")
        if W.dtype != np.float64: fail(f"dtype {W.dtype}")
        last = [x for x in r if x["chain"] == c][-1]
        e = erf_eps_g(W, v, Ws, vs)
        if not math.isclose(e, float(last["eps_g"]), rel_tol=1e-12): fail(f"chain {c}: NumPy {e} vs CSV {last['eps_g']}")
    print("ok")


def case_save_order(tool, d):
    # Q, R, T at the report times; the last snapshot is that of the saved weights; T is constant.
    train(tool, BASE + ["--save-weights", f"{d}/w", "--save-order", f"{d}/o", "--out", f"{d}/c.csv"])
    t, Q, R, T = (np.load(f"{d}/o/chain_0/{n}.npy") for n in ("t", "Q", "R", "T"))
    r = rows(f"{d}/c.csv")
    if Q.shape != (len(r), 3, 3) or R.shape != (len(r), 3, 2) or T.shape != (len(r), 2, 2): fail("shapes")
    if not np.allclose(t, [float(x["t"]) for x in r], rtol=1e-11, atol=0): fail(f"t {t}")
    W, Ws = np.load(f"{d}/w/chain_0/W.npy"), np.load(f"{d}/w/chain_0/W_star.npy")
    if not np.allclose(Q[-1], W @ W.T / 30, rtol=1e-13, atol=1e-15): fail("Q")
    if not np.allclose(R[-1], W @ Ws.T / 30, rtol=1e-13, atol=1e-15): fail("R")
    if not (T == T[0]).all(): fail("T changes")
    if np.allclose(Q[0], Q[-1]): fail("Q did not change: the snapshots prove nothing")
    print("ok")


def case_teacher_from_file(tool, d):
    # The seed's own teacher read back gives the very same run; another seed's student learns it.
    train(tool, BASE + ["--save-weights", f"{d}/w", "--out", f"{d}/a.csv"])
    train(tool, BASE + ["--teacher", f"{d}/w/chain_0", "--out", f"{d}/b.csv"])
    if open(f"{d}/a.csv").read() != open(f"{d}/b.csv").read(): fail("the read teacher gives another run")
    train(tool, BASE + ["--seed", "9", "--teacher", f"{d}/w/chain_0", "--save-weights", f"{d}/x"])
    if not (np.load(f"{d}/x/chain_0/W_star.npy") == np.load(f"{d}/w/chain_0/W_star.npy")).all(): fail("W_star")
    print("ok")


def case_data_from_file(tool, d):
    # GD on a dataset NumPy wrote (labels by the teacher saved before): at t = 0 the CSV's
    # train_loss is NumPy's mean loss of the initial student (--lr 0 keeps it to save it).
    train(tool, BASE + ["--lr", "0", "--save-weights", f"{d}/w"])
    W, v = np.load(f"{d}/w/chain_0/W.npy"), np.load(f"{d}/w/chain_0/v.npy")
    Ws, vs = np.load(f"{d}/w/chain_0/W_star.npy"), np.load(f"{d}/w/chain_0/v_star.npy")
    X = np.random.default_rng(3).standard_normal((45, 30))
    np.save(f"{d}/X.npy", X)
    np.save(f"{d}/y.npy", erf_output(Ws, vs, X).astype(np.float32))  # float32 labels are read too
    args = ["--P", "3", "--t-max", "10", "--reports", "4", "--quiet", "--data", f"{d}/X.npy", "--labels", f"{d}/y.npy"]
    train(tool, args + ["--teacher", f"{d}/w/chain_0", "--out", f"{d}/c.csv"])
    r = rows(f"{d}/c.csv")
    y = np.load(f"{d}/y.npy").astype(np.float64)
    loss0 = np.mean(0.5 * (erf_output(W, v, X) - y) ** 2)
    if not math.isclose(float(r[0]["train_loss"]), loss0, rel_tol=1e-12): fail(f"loss {r[0]['train_loss']} vs {loss0}")
    if not float(r[-1]["train_loss"]) < float(r[0]["train_loss"]): fail("GD did not lower the loss")
    if not math.isclose(float(r[0]["eps_g"]), erf_eps_g(W, v, Ws, vs), rel_tol=1e-12): fail("eps_g against --teacher")
    train(tool, args + ["--out", f"{d}/n.csv"])
    if not all(math.isnan(float(x["eps_g"])) for x in rows(f"{d}/n.csv")): fail("eps_g without a teacher is not NaN")
    print("ok")


def bad(tool, d, args, option, value):
    p = train(tool, ["--quiet", "--out", f"{d}/out/c.csv"] + args, expect=2)
    lines = p.stderr.splitlines()
    if len(lines) != 1 or option not in lines[0] or value not in lines[0]: fail(f"stderr {p.stderr!r}")
    if os.listdir(f"{d}/out"): fail(f"files left: {os.listdir(f'{d}/out')}")
    print("ok:", lines[0])


def case_bad_files(tool, d):
    os.mkdir(f"{d}/out")
    np.save(f"{d}/X.npy", np.zeros((10, 30)))
    np.save(f"{d}/y.npy", np.zeros(10))
    np.save(f"{d}/y9.npy", np.zeros(9))
    with open(f"{d}/X.npy", "rb") as f: data = f.read()
    with open(f"{d}/Xcut.npy", "wb") as f: f.write(data[:-5])
    bad(tool, d, ["--data", f"{d}/Xcut.npy", "--labels", f"{d}/y.npy"], "--data", "Xcut.npy")
    bad(tool, d, ["--data", f"{d}/X.npy", "--labels", f"{d}/y9.npy"], "--labels", "y9.npy")
    bad(tool, d, ["--data", f"{d}/X.npy", "--labels", f"{d}/y.npy", "--N", "20"], "--data", "X.npy")
    bad(tool, d, ["--data", f"{d}/missing.npy", "--labels", f"{d}/y.npy"], "--data", "missing.npy")
    bad(tool, d, ["--labels", f"{d}/y.npy"], "--labels", "y.npy")
    bad(tool, d, ["--teacher", f"{d}/nodir"], "--teacher", "nodir/W_star.npy")
    os.mkdir(f"{d}/t")
    np.save(f"{d}/t/W_star.npy", np.zeros((2, 30)))
    np.save(f"{d}/t/v_star.npy", np.zeros(3))
    bad(tool, d, ["--teacher", f"{d}/t"], "--teacher", "v_star.npy")
    np.save(f"{d}/t/v_star.npy", np.zeros(2))
    bad(tool, d, ["--teacher", f"{d}/t", "--P-star", "4"], "--teacher", "W_star.npy")
    open(f"{d}/file", "w").close()
    bad(tool, d, ["--N", "10", "--t-max", "1", "--save-weights", f"{d}/file/sub"], "--save-weights", "file/sub")


CASES = {"save_weights": case_save_weights, "save_order": case_save_order, "teacher_from_file": case_teacher_from_file,
         "data_from_file": case_data_from_file, "bad_files": case_bad_files}

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as d:
        CASES[sys.argv[2]](sys.argv[1], d)
