"""End-to-end tests of `twolayer retrain`:
(a) the CSV: header seed,weight,err_plus,err_minus,worst, one row per seed and grid weight (the
    log-spaced grid, both ends exact), errors in [0, 1], worst = max of the two;
(b) weighting the minority by the prior ratio (1 - prior) / prior = 9 against w = 1 lowers the
    minority's error and raises the majority's, in every seed;
(c) at prior 0.2, ridge 5: the balancing weight printed per seed lies inside the grid 1 .. 64 and equals the log-linear
    interpolation of err_plus - err_minus recomputed here from the CSV; the median line;
(d) the readout by GD (--solver gd) gives the ridge solution's errors; --first-layer trained
    runs; --threads 1 and 2 give identical files; a singular ridge problem (lambda = 0, n < P) is
    refused: exit 1, one line per seed, the CSV (header only) written;
(e) bad input: exit 2, one line naming the option, no file left behind.
Usage: test_cli_retrain.py PATH_TO_TWOLAYER"""
import csv
import math
import os
import re
import sys

from cli_check import check, expect_bad_input, finish, run, temp_dir

tool = sys.argv[1]
COLUMNS = ["seed", "weight", "err_plus", "err_minus", "worst"]
SMALL = ["--d", "20", "--n", "200", "--P", "50", "--prior", "0.1", "--test-samples", "4000", "--quiet"]


def read_rows(path):
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        check(r.fieldnames == COLUMNS, f"{path}: columns {r.fieldnames}")
        return [{k: float(v) for k, v in row.items()} for row in r]


def balancing(ws, diff):
    for w, x in zip(ws, diff):
        if x == 0:
            return w
    for i in range(len(diff) - 1):
        if (diff[i] < 0) != (diff[i + 1] < 0):
            la, lb = math.log(ws[i]), math.log(ws[i + 1])
            return math.exp(la + (lb - la) * diff[i] / (diff[i] - diff[i + 1]))
    return float("nan")


with temp_dir() as d:
    # (a), (b): erf features, ridge 1, the grid 1, 3, 9, ..., 729
    out = os.path.join(d, "a.csv")
    code, so, err = run(tool, ["retrain"] + SMALL + ["--weights", "1:729:7", "--seeds", "3", "--out", out])
    check(code == 0, f"(a) exit {code}: {err}")
    rows = read_rows(out)
    check(len(rows) == 21, f"(a) {len(rows)} rows, not 21")
    grid = [3.0 ** k for k in range(7)]
    for s in range(3):
        mine = [r for r in rows if r["seed"] == s]
        check(len(mine) == 7 and all(abs(r["weight"] / g - 1) < 1e-12 for r, g in zip(mine, grid)),
              f"(a) seed {s}: weights {[r['weight'] for r in mine]}")
        if len(mine) != 7:
            continue
        check(mine[0]["weight"] == 1 and mine[-1]["weight"] == 729, "(a) grid ends not exact")
        for r in mine:
            check(0 <= r["err_plus"] <= 1 and 0 <= r["err_minus"] <= 1 and r["worst"] == max(r["err_plus"], r["err_minus"]),
                  f"(a) row {r}")
        one, nine = mine[0], mine[2]
        check(nine["err_plus"] < one["err_plus"] and nine["err_minus"] > one["err_minus"],
              f"(b) seed {s}: w=1 {one}, w=9 {nine}")
    # (c) the balancing weight (prior 0.2, ridge 5: the errors cross inside 1 .. 64 in every seed)
    small = ["--d", "10", "--n", "100", "--P", "20", "--prior", "0.2", "--ridge", "5", "--test-samples", "5000", "--quiet"]
    bal = os.path.join(d, "bal.csv")
    code, so, err = run(tool, ["retrain"] + small + ["--weights", "1:64:7", "--seeds", "3", "--out", bal])
    check(code == 0, f"(c) exit {code}: {err}")
    rows = read_rows(bal)
    found = []
    for s in range(3):
        mine = [r for r in rows if r["seed"] == s]
        want = balancing([r["weight"] for r in mine], [r["err_plus"] - r["err_minus"] for r in mine])
        m = re.search(rf"seed {s}: balancing weight ([0-9.e+-]+)", so)
        check(m is not None and 1 <= float(m.group(1)) <= 64, f"(c) seed {s}: {so!r}")
        if m:
            found.append(float(m.group(1)))
            check(abs(float(m.group(1)) / want - 1) < 1e-5, f"(c) seed {s}: printed {m.group(1)}, recomputed {want}")
    m = re.search(r"median balancing weight ([0-9.e+-]+) over the 3 of 3 seeds that cross", so)
    check(m is not None and len(found) == 3 and abs(float(m.group(1)) / sorted(found)[1] - 1) < 1e-5, f"(c) median: {so!r}")
    # the median line counts only the seeds that cross, and says how many of all those are: P = 60
    # features against 8 minority samples (the errors can saturate before they cross), and a grid too
    # narrow for any seed to cross
    code, so, err = run(tool, ["retrain", "--d", "10", "--n", "40", "--P", "60", "--prior", "0.2", "--test-samples", "2000",
                               "--weights", "1:64:7", "--seeds", "2", "--quiet", "--out", os.path.join(d, "some.csv")])
    crossing = re.findall(r"seed \d+: balancing weight ([0-9.e+-]+)", so)
    m = re.search(r"median balancing weight ([0-9.e+-]+) over the (\d+) of 2 seeds that cross", so)
    check(code == 0 and len(crossing) == 1 and m is not None and int(m.group(2)) == 1 and m.group(1) == crossing[0],
          f"(c) some: {code} {so!r} {err}")
    code, so, err = run(tool, ["retrain"] + small + ["--weights", "1:1.5:2", "--seeds", "2", "--out", os.path.join(d, "none.csv")])
    check(code == 0 and "no balancing weight: 0 of 2 seeds cross on the grid 1:1.5:2" in so, f"(c) none: {code} {so!r} {err}")

    # (d) GD against ridge; trained first layer; threads
    ridge, gd = os.path.join(d, "ridge.csv"), os.path.join(d, "gd.csv")
    small += ["--weights", "1:16:3"]
    run(tool, ["retrain"] + small + ["--seeds", "2", "--out", ridge])
    code, _, err = run(tool, ["retrain"] + small + ["--seeds", "2", "--solver", "gd", "--gd-steps", "3000", "--out", gd])
    check(code == 0, f"(d) gd exit {code}: {err}")
    for a, b in zip(read_rows(ridge), read_rows(gd)):
        check(abs(a["err_plus"] - b["err_plus"]) <= 2e-3 and abs(a["err_minus"] - b["err_minus"]) <= 2e-3,
              f"(d) ridge {a} vs gd {b}")
    tr = os.path.join(d, "trained.csv")
    code, _, err = run(tool, ["retrain"] + small + ["--seeds", "2", "--first-layer", "trained", "--pretrain-steps", "50", "--out", tr])
    check(code == 0 and len(read_rows(tr)) == 6, f"(d) trained exit {code}: {err}")
    f1, f2 = os.path.join(d, "t1.csv"), os.path.join(d, "t2.csv")
    run(tool, ["retrain"] + small + ["--seeds", "3", "--threads", "1", "--out", f1])
    run(tool, ["retrain"] + small + ["--seeds", "3", "--threads", "2", "--out", f2])
    with open(f1, "rb") as a, open(f2, "rb") as b:
        check(a.read() == b.read(), "(d) --threads 1 and 2 differ")

    # a refused solve (lambda = 0 with fewer samples than features): exit 1, one message per seed, the CSV written
    sing = os.path.join(d, "sing.csv")
    code, so, err = run(tool, ["retrain", "--n", "10", "--P", "50", "--ridge", "0", "--seeds", "2", "--quiet", "--out", sing])
    lines = err.splitlines()
    check(code == 1 and len(lines) == 2 and all("readout_ridge refused" in l and "not positive definite" in l for l in lines),
          f"(d) singular: exit {code}, stderr {err!r}")
    check(os.path.exists(sing) and read_rows(sing) == [] and "seed 1: refused" in so, f"(d) singular: {so!r}")

    # (e) bad input
    target = os.path.join(d, "bad.csv")
    for args, option in [(["--prior", "0"], "--prior"), (["--prior", "0.6"], "--prior"), (["--prior", "-0.1"], "--prior"),
                         (["--weights", "1:2"], "--weights"), (["--weights", "5:1:3"], "--weights"),
                         (["--weights", "0:10:3"], "--weights"), (["--weights", "1:10:2.5"], "--weights"),
                         (["--weights", "a:b:c"], "--weights"), (["--n", "0"], "--n"), (["--d", "-2"], "--d"),
                         (["--P", "0"], "--P"), (["--P", "2000"], "--P"), (["--act", "quadratic"], "--act"),
                         (["--solver", "newton"], "--solver"), (["--first-layer", "frozen"], "--first-layer"),
                         (["--ridge", "-1"], "--ridge"), (["--seeds", "0"], "--seeds")]:
        line = expect_bad_input(tool, "retrain", args + ["--out", target], d, target)
        check(option in line, f"(e) {args}: {line!r} does not name {option}")

finish("test_cli_retrain")
