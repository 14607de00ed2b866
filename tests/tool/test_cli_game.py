"""End-to-end tests of `twolayer game`:
(a) the CSV: header seed,step,distance,objective, a row at step 0, every --every steps and at the
    last step, for every seed; the summary's count equals the seeds whose last distance < --tol;
(b) the bilinear game: alternating GDA stays bounded (every distance below 2x its start over 2000
    steps) while simultaneous GDA grows (the last distance above 100x its start), every seed;
(c) the hidden convex-concave game with wide players converges (the last distance below 1e-3 of
    its start in most seeds);
(d) --threads 1 and 2 give identical files; --capacity 8 and 512 (the padding) identical rows;
(e) --diverge: exit 1, one message naming the seed, the rows so far kept;
(f) bad input: exit 2, one line naming the option, no file left behind.
Usage: test_cli_game.py PATH_TO_TWOLAYER"""
import csv
import os
import sys

from cli_check import check, expect_bad_input, finish, run, temp_dir

tool = sys.argv[1]
COLUMNS = ["seed", "step", "distance", "objective"]


def read_rows(path):
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        check(r.fieldnames == COLUMNS, f"{path}: columns {r.fieldnames}")
        return list(r)


def by_seed(rows):
    out = {}
    for r in rows:
        out.setdefault(int(r["seed"]), []).append((int(r["step"]), float(r["distance"]), float(r["objective"])))
    return out


with temp_dir() as d:
    # (a) rows and summary
    out = os.path.join(d, "a.csv")
    code, so, err = run(tool, ["game", "--P-min", "8", "--P-max", "12", "--N", "4", "--inputs", "6", "--steps", "250",
                               "--every", "100", "--seeds", "3", "--tol", "0.05", "--quiet", "--out", out])
    check(code == 0, f"(a) exit {code}: {err}")
    seeds = by_seed(read_rows(out))
    check(sorted(seeds) == [0, 1, 2], f"(a) seeds {sorted(seeds)}")
    for s, rows in seeds.items():
        check([r[0] for r in rows] == [0, 100, 200, 250], f"(a) seed {s}: steps {[r[0] for r in rows]}")
    close = sum(1 for rows in seeds.values() if rows[-1][1] < 0.05)
    check(f"twolayer game: {close} of 3 seeds" in so, f"(a) summary {so!r} (expected {close} of 3)")

    # (b) bilinear: alternating bounded, simultaneous grows
    common = ["--game", "bilinear", "--P-min", "32", "--P-max", "32", "--N", "5", "--inputs", "5", "--lr-min", "0.1",
              "--lr-max", "0.1", "--steps", "2000", "--every", "50", "--seeds", "4", "--diverge", "1e300", "--quiet"]
    alt, sim = os.path.join(d, "alt.csv"), os.path.join(d, "sim.csv")
    code, _, err = run(tool, ["game"] + common + ["--out", alt])
    check(code == 0, f"(b) alternating exit {code}: {err}")
    code, _, err = run(tool, ["game"] + common + ["--mode", "simultaneous", "--out", sim])
    check(code == 0, f"(b) simultaneous exit {code}: {err}")
    for s, rows in by_seed(read_rows(alt)).items():
        start, top = rows[0][1], max(r[1] for r in rows)
        check(top < 2 * start, f"(b) alternating seed {s}: max distance {top} vs start {start}")
    for s, rows in by_seed(read_rows(sim)).items():
        start, last = rows[0][1], rows[-1][1]
        check(last > 100 * start, f"(b) simultaneous seed {s}: last distance {last} vs start {start}")

    # (c) hidden game, wide players
    hid = os.path.join(d, "hid.csv")
    code, so, err = run(tool, ["game", "--P-min", "64", "--P-max", "64", "--N", "10", "--inputs", "10", "--lr-min", "0.1",
                               "--lr-max", "0.1", "--steps", "3000", "--every", "3000", "--seeds", "4", "--quiet", "--out", hid])
    check(code == 0, f"(c) exit {code}: {err}")
    conv = [rows[-1][1] < 1e-3 * rows[0][1] for rows in by_seed(read_rows(hid)).values()]
    check(sum(conv) >= 3, f"(c) converged seeds {conv}")

    # (d) threads and capacity independence
    base = ["game", "--P-min", "6", "--P-max", "20", "--N", "7", "--inputs", "9", "--steps", "300", "--every", "30",
            "--seeds", "5", "--quiet"]
    f1, f2, f3 = (os.path.join(d, n) for n in ("t1.csv", "t2.csv", "c512.csv"))
    run(tool, base + ["--threads", "1", "--out", f1])
    run(tool, base + ["--threads", "2", "--out", f2])
    run(tool, base + ["--capacity", "512", "--out", f3])
    with open(f1, "rb") as a, open(f2, "rb") as b:
        check(a.read() == b.read(), "(d) --threads 1 and 2 differ")
    check(read_rows(f1) == read_rows(f3), "(d) --capacity 32 (default) and 512 differ")

    # (e) divergence: exit 1, the rows kept
    dv = os.path.join(d, "dv.csv")
    diverging = [a for a in common if a not in ("--diverge", "1e300", "--seeds", "4")]
    code, _, err = run(tool, ["game"] + diverging + ["--mode", "simultaneous", "--diverge", "10", "--seeds", "2", "--out", dv])
    lines = err.splitlines()
    check(code == 1, f"(e) exit {code}")
    check(len(lines) == 2 and all("diverged" in l and "--diverge" in l for l in lines), f"(e) stderr {err!r}")
    rows = read_rows(dv) if os.path.exists(dv) else []
    check(len(rows) > 2 and float(rows[-1]["distance"]) > 10, f"(e) rows {len(rows)}")

    # (f) bad input
    target = os.path.join(d, "bad.csv")
    for args, option in [(["--P-min", "0"], "--P-min"), (["--P-max", "-3"], "--P-max"), (["--N", "0"], "--N"),
                         (["--inputs", "0"], "--inputs"), (["--N", "129"], "--N"), (["--game", "quadratic"], "--game"),
                         (["--mode", "sequential"], "--mode"), (["--lr-min", "0"], "--lr-min"), (["--every", "0"], "--every"),
                         (["--steps", "-1"], "--steps"), (["--capacity", "16"], "--capacity"),
                         (["--P-max", "40", "--capacity", "32"], "--capacity"), (["--tol", "-1"], "--tol")]:
        line = expect_bad_input(tool, "game", args + ["--out", target], d, target)
        check(option in line, f"(f) {args}: {line!r} does not name {option}")

finish("test_cli_game")
