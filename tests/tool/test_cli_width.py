"""End-to-end tests of `twolayer width`:
(a) the closed-form optimum: the CSV's optimum column equals the formula recomputed here, and the
    best of 4 long GD runs (width 32, 20000 steps) ends within 1e-6 (relative) of it, on a case
    where both classes are fitted (n = 4, lambda = 0.05) and one where the threshold switches the
    class of 2 points off (n = 5, lambda = 0.3: n lambda > sqrt 2); no run ends below it;
(b) width: at n = 6 (lambda 0.05, init 0.5), 64 units reach the global minimum in at least 8 of 10
    restarts and more often than 2 units;
(c) the global column is |loss - optimum| <= tol optimum; the summary's fractions are the CSV's;
(d) --subquadratic: header n,restart,width_needed, each a width of the grid or empty; one GD step
    reaches nothing (all empty); --threads 1 and 2 give identical files (both modes);
(e) bad input: exit 2, one line naming the option, no file left behind.
Usage: test_cli_width.py PATH_TO_TWOLAYER"""
import csv
import math
import os
import re
import sys

from cli_check import check, expect_bad_input, finish, run, temp_dir

tool = sys.argv[1]


def read(path, columns):
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        check(r.fieldnames == columns, f"{path}: columns {r.fieldnames}")
        return list(r)


def optimum(n, lam):
    """min of mean (f - y)^2 / 2 + lam (|W|^2 + |v|^2) / 2 with ceil(n/2) labels +1, floor(n/2) -1."""
    total = 0.0
    for m in ((n + 1) // 2, n // 2):
        if m:
            total += lam * math.sqrt(m) - n * lam * lam / 2 if n * lam < math.sqrt(m) else m / (2 * n)
    return total


ORTHO = ["width", "restart", "loss", "optimum", "global"]

with temp_dir() as d:
    # (a) the optimum against long GD runs
    for n, lam in ((4, 0.05), (5, 0.3)):
        out = os.path.join(d, f"opt{n}.csv")
        code, so, err = run(tool, ["width", "--n", str(n), "--lambda", str(lam), "--widths", "32", "--restarts", "4",
                                   "--init-scale", "0.5", "--lr", "0.2", "--steps", "20000", "--quiet", "--out", out])
        check(code == 0, f"(a) n {n}: exit {code}: {err}")
        rows = read(out, ORTHO)
        want = optimum(n, lam)
        check(all(abs(float(r["optimum"]) - want) <= 1e-14 * want for r in rows), f"(a) n {n}: optimum column vs {want}")
        losses = [float(r["loss"]) for r in rows]
        check(abs(min(losses) - want) <= 1e-6 * want, f"(a) n {n}: best GD loss {min(losses)} vs optimum {want}")
        check(min(losses) >= want * (1 - 1e-9), f"(a) n {n}: a run ended below the optimum: {min(losses)} < {want}")

    # (b), (c) wide against narrow
    out = os.path.join(d, "b.csv")
    code, so, err = run(tool, ["width", "--n", "6", "--lambda", "0.05", "--widths", "2,64", "--restarts", "10",
                               "--init-scale", "0.5", "--lr", "0.2", "--steps", "5000", "--tol", "1e-4", "--quiet", "--out", out])
    check(code == 0, f"(b) exit {code}: {err}")
    rows = read(out, ORTHO)
    frac = {}
    for r in rows:
        loss, opt = float(r["loss"]), float(r["optimum"])
        check(r["global"] == ("1" if abs(loss - opt) <= 1e-4 * opt else "0"), f"(c) row {r}")
        frac.setdefault(int(r["width"]), []).append(int(r["global"]))
    check(sorted(frac) == [2, 64] and all(len(v) == 10 for v in frac.values()), f"(b) rows per width {frac}")
    check(sum(frac.get(64, [])) >= 8 and sum(frac.get(64, [])) > sum(frac.get(2, [])), f"(b) global minima per width {frac}")
    for w, v in frac.items():
        check(re.search(rf"width {w}: {sum(v)} of 10 restarts", so) is not None, f"(c) summary {so!r}")

    # (d) subquadratic
    grid = ["width", "--subquadratic", "--ns", "8,16,32", "--d", "8", "--widths", "2,4,8,16,32,64", "--restarts", "3",
            "--lr", "0.5", "--quiet"]
    sq = grid + ["--steps", "2000", "--threshold", "1e-3"]
    f1, f2 = os.path.join(d, "s1.csv"), os.path.join(d, "s2.csv")
    code, so, err = run(tool, sq + ["--threads", "1", "--out", f1])
    check(code == 0, f"(d) exit {code}: {err}")
    run(tool, sq + ["--threads", "2", "--out", f2])
    rows = read(f1, ["n", "restart", "width_needed"])
    check([(r["n"], r["restart"]) for r in rows] == [(str(n), str(k)) for n in (8, 16, 32) for k in range(3)], "(d) rows")
    check(all(r["width_needed"] in ("", "2", "4", "8", "16", "32", "64") for r in rows), f"(d) widths {rows}")
    check(any(r["width_needed"] for r in rows), "(d) no run reached the threshold")
    check(len(re.findall(r"twolayer width: n \d+: median width needed", so)) == 3, f"(d) summary {so!r}")
    with open(f1, "rb") as a, open(f2, "rb") as b:
        check(a.read() == b.read(), "(d) --subquadratic --threads 1 and 2 differ")
    none = os.path.join(d, "none.csv")
    code, so, err = run(tool, grid + ["--steps", "1", "--threshold", "1e-9", "--out", none])
    check(all(r["width_needed"] == "" for r in read(none, ["n", "restart", "width_needed"])), "(d) one step reached 1e-9")
    check(len(re.findall(r"twolayer width: n \d+: no width of the grid reached loss < 1e-09 \(0 of 3 restarts", so)) == 3
          and "nan" not in so, f"(d) summary when none reaches: {so!r}")
    o1, o2 = os.path.join(d, "o1.csv"), os.path.join(d, "o2.csv")
    ortho = ["width", "--n", "5", "--widths", "4,16", "--restarts", "3", "--steps", "500", "--quiet"]
    run(tool, ortho + ["--threads", "1", "--out", o1])
    run(tool, ortho + ["--threads", "2", "--out", o2])
    with open(o1, "rb") as a, open(o2, "rb") as b:
        check(a.read() == b.read(), "(d) --threads 1 and 2 differ")

    # (e) bad input
    target = os.path.join(d, "bad.csv")
    for args, option in [(["--widths", "8,x"], "--widths"), (["--widths", "32,8"], "--widths"), (["--widths", "0,8"], "--widths"),
                         (["--widths", "8,,16"], "--widths"), (["--widths", "-8"], "--widths"), (["--widths", ""], "--widths"),
                         (["--n", "0"], "--n"), (["--lambda", "0"], "--lambda"), (["--lambda", "-1"], "--lambda"),
                         (["--restarts", "0"], "--restarts"), (["--lr", "0"], "--lr"), (["--steps", "0"], "--steps"),
                         (["--subquadratic", "--ns", "16,8"], "--ns"), (["--subquadratic", "--ns", "8.5"], "--ns"),
                         (["--subquadratic", "--d", "0"], "--d"), (["--subquadratic", "--threshold", "0"], "--threshold")]:
        line = expect_bad_input(tool, "width", args + ["--out", target], d, target)
        check(option in line, f"(e) {args}: {line!r} does not name {option}")

finish("test_cli_width")
