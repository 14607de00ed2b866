"""`twolayer ode` against `twolayer train`, end to end through the executable, at N = 2000 (the
research tool's acceptance case): erf, K = M = 2, first layer only, eta = 2, init-scale 0.5,
8 chains in float. Chain j of `ode --chains 8` starts from the initial weights of chain j of
`train --chains 8`, so the test compares the mean over chains of the paired difference
eps_g(SGD) - eps_g(ODE) with its standard error at every report time, through the plateau
(eps_g ~ 0.064 for t ~ 8 to 30) and after the escape (eps_g -> 0 by t = 160).

Bound: |mean difference| <= 4 standard errors + 1% of the ODE's eps_g. The 1%: at early times the
chains move almost deterministically (standard errors of 3e-4 on 0.46) and SGD at N = 2000 lies
0.3% below the N -> infinity flow (an O(1/N) finite-size effect, the same sign in every chain).
The ODE without its eta^2 term (--drift-only) must miss by more than 10 standard errors somewhere
(at eta = 2 the eta^2 term lifts the plateau from about 0.011 to 0.064).
Usage: test_ode_vs_train.py PATH_TO_TWOLAYER [SEED]"""
import csv
import math
import os
import sys

from cli_check import check, finish, run, temp_dir

tool = sys.argv[1]
seed = sys.argv[2] if len(sys.argv) > 2 else "3"
CHAINS = 8
common = ["--N", "2000", "--P", "2", "--P-star", "2", "--act", "erf", "--lr", "2", "--init-scale", "0.5",
          "--seed", seed, "--t-max", "160", "--reports", "24", "--chains", str(CHAINS)]


def curves(path):
    """{t: {chain: eps_g}}"""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for r in rows:
        out.setdefault(float(r["t"]), {})[int(r["chain"])] = float(r["eps_g"])
    return out


def mean_se(values):
    m = sum(values) / len(values)
    var = sum((v - m) ** 2 for v in values) / (len(values) - 1)
    return m, math.sqrt(var / len(values))


with temp_dir() as d:
    paths = {name: os.path.join(d, name + ".csv") for name in ("train", "ode", "drift")}
    code, _, err = run(tool, ["train"] + common + ["--format", "float", "--quiet", "--out", paths["train"]])
    check(code == 0, f"train: exit {code}, {err!r}")
    code, _, err = run(tool, ["ode"] + common + ["--out", paths["ode"]])
    check(code == 0, f"ode: exit {code}, {err!r}")
    code, _, err = run(tool, ["ode"] + common + ["--drift-only", "--out", paths["drift"]])
    check(code == 0, f"ode --drift-only: exit {code}, {err!r}")
    sgd, ode, drift = (curves(paths[n]) for n in ("train", "ode", "drift"))
    check(sorted(sgd) == sorted(ode), "train and ode report at different times")
    worst_drift = 0.0
    plateau = escaped = None
    for t in sorted(sgd):
        if t == 0 or len(sgd[t]) != CHAINS or len(ode.get(t, {})) != CHAINS:
            continue
        m_ode = sum(ode[t].values()) / CHAINS
        diff, se = mean_se([sgd[t][j] - ode[t][j] for j in range(CHAINS)])
        print(f"t = {t:9.3f}: SGD {diff + m_ode:.5f}  ODE {m_ode:.5f}  SGD - ODE {diff:+.5f} +- {se:.5f}")
        check(abs(diff) <= 4 * se + 0.01 * m_ode,
              f"t = {t}: SGD - ODE = {diff:+.5f} +- {se:.5f} (ODE {m_ode:.5f}) beyond 4 standard errors + 1%")
        dd, dse = mean_se([sgd[t][j] - drift[t][j] for j in range(CHAINS)])
        worst_drift = max(worst_drift, (abs(dd) - 0.01 * m_ode) / max(dse, 1e-300))
        if 8 <= t <= 30:
            plateau = m_ode if plateau is None else min(plateau, m_ode)
        escaped = m_ode
    check(worst_drift > 10, f"the drift-only ODE is never more than 10 standard errors off ({worst_drift:.1f})")
    check(plateau is not None and plateau > 0.05, f"the run did not sit on the plateau (eps_g {plateau})")
    check(escaped is not None and plateau is not None and escaped < 0.1 * plateau,
          f"the run did not escape the plateau (final {escaped}, plateau {plateau})")
finish("test_ode_vs_train")
