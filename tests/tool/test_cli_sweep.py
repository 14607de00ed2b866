"""End-to-end tests of `twolayer sweep` and `twolayer recommend`:
(a) a tiny grid (erf, N = 64, double and bf16 nearest, P = 2 and 8, 2 seeds, t-max 300): the
    grid line and columns; one run row per (format, P, seed) and median, min and max rows per
    configuration equal to those recomputed here from the run rows; double escapes the plateau and
    ends far below bf16 nearest at P = 2 (bf16 stalls: it never reaches twice double's error);
    double's own steps_to_2x_double is a step of the run; refused fractions in [0, 1]; bf16 needs
    less RAM than double, and a wider student more;
(b) 1 and 2 threads, and the shards 0/2 and 1/2 merged (given in either order), equal the
    unsharded CSV byte for byte outside the ns_per_step column; the merged Markdown table has a
    row per configuration;
(c) bad input: exit 2, one line naming the option, no file left (sweep options, --merge of a
    missing, repeated or foreign shard, recommend's units and columns);
(d) recommend on tests/tool/data/sweep_small.csv: a met budget lists the cheapest configuration
    first; unmet budgets name the budget and the nearest miss with its ratio (exit 1);
(mpi) with "mpi MPIEXEC [PREFLAGS]": `MPIEXEC -n 2` of the grid, and of its shard 1/2 merged with
    a one-process shard 0/2, equal the one-process CSV outside ns_per_step (only this case runs).
Usage: test_cli_sweep.py PATH_TO_TWOLAYER [mpi MPIEXEC [PREFLAGS...]]"""
import csv
import os
import subprocess
import sys

from cli_check import check, expect_bad_input, finish, run, temp_dir

tool = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
small = os.path.join(here, "data", "sweep_small.csv")
COLUMNS = ["kind", "teacher", "N", "P", "format", "seed", "eps_g", "steps_to_2x_double", "escape_t",
           "refused_fraction", "ram_bytes", "steps", "ns_per_step"]
GRID = ["sweep", "--teachers", "erf", "--N", "64", "--formats", "double,bf16", "--widths", "2,8", "--seeds", "2",
        "--t-max", "300", "--quiet"]


def number(text):
    return float("inf") if text == "never" else float(text)


def read(path):
    with open(path) as f:
        lines = f.read().splitlines()
    return lines, list(csv.DictReader(line for line in lines if not line.startswith("#")))


def without_timing(lines):
    """The lines with the ns_per_step column (the last) removed."""
    return [line if line.startswith("#") else line.rsplit(",", 1)[0] for line in lines]


def median(v):
    v = sorted(v)
    h = len(v) // 2
    return v[h] if len(v) % 2 else 0.5 * (v[h - 1] + v[h])


if len(sys.argv) > 2 and sys.argv[2] == "mpi":
    mpirun = sys.argv[3:] + ["-n", "2"]  # root and oversubscription: the ctest environment
    with temp_dir() as d:
        one, two, s0, s1, merged = (os.path.join(d, n) for n in ("one.csv", "two.csv", "s0.csv", "s1.csv", "m.csv"))
        run(tool, GRID + ["--out", one])
        p = subprocess.run(mpirun + [tool] + GRID + ["--out", two], capture_output=True, text=True, timeout=300)
        check(p.returncode == 0, f"(mpi) exit {p.returncode}: {p.stderr}")
        run(tool, GRID + ["--shard", "0/2", "--out", s0])
        p = subprocess.run(mpirun + [tool] + GRID + ["--shard", "1/2", "--out", s1], capture_output=True, text=True, timeout=300)
        check(p.returncode == 0, f"(mpi) shard: exit {p.returncode}: {p.stderr}")
        run(tool, ["sweep", "--merge", s0, s1, "--out", merged])
        want = without_timing(read(one)[0])
        check(os.path.exists(two) and without_timing(read(two)[0]) == want, "(mpi) mpirun -n 2 differs from one process")
        check(os.path.exists(merged) and without_timing(read(merged)[0]) == want, "(mpi) the merged MPI shard differs")
    finish("test_cli_sweep mpi")
    sys.exit(0)

with temp_dir() as d:
    # (a) the tiny grid
    full = os.path.join(d, "full.csv")
    md = os.path.join(d, "full.md")
    code, _, err = run(tool, GRID + ["--threads", "1", "--out", full, "--markdown", md])
    check(code == 0, f"(a) exit {code}: {err}")
    lines, rows = read(full)
    check(lines[0].startswith("# twolayer sweep grid: teachers=erf N=64 formats=double,bf16 widths=2,8 seeds=2"),
          f"(a) grid line {lines[0]!r}")
    check(lines[1] == ",".join(COLUMNS), f"(a) columns {lines[1]!r}")
    runs = [r for r in rows if r["kind"] == "run"]
    check(len(runs) == 8 and len(rows) == 8 + 4 * 3, f"(a) {len(runs)} run rows, {len(rows)} rows")
    by = {}
    for r in runs:
        by.setdefault((r["format"], int(r["P"])), []).append(r)
        check(0 <= float(r["refused_fraction"]) <= 1, f"(a) refused fraction {r}")
        check(int(float(r["steps"])) == 300 * 64, f"(a) steps {r}")
        check(float(r["eps_g"]) > 0, f"(a) eps_g {r}")
    for (fmt, P), group in by.items():
        check(sorted(int(r["seed"]) for r in group) == [0, 1], f"(a) seeds of {fmt} P={P}")
        for kind, f in (("median", median), ("min", min), ("max", max)):
            agg = [r for r in rows if r["kind"] == kind and r["format"] == fmt and int(r["P"]) == P]
            check(len(agg) == 1, f"(a) one {kind} row for {fmt} P={P}")
            for c in ("eps_g", "steps_to_2x_double", "escape_t", "refused_fraction", "ram_bytes"):
                want = f([number(r[c]) for r in group])
                check(agg and number(agg[0][c]) == want, f"(a) {kind} {c} of {fmt} P={P}: {agg and agg[0][c]} vs {want}")
    med = {(r["format"], int(r["P"])): r for r in rows if r["kind"] == "median"}
    check(number(med[("double", 2)]["eps_g"]) < 1e-2 * number(med[("bf16", 2)]["eps_g"]),
          f"(a) double {med[('double', 2)]['eps_g']} not far below bf16 {med[('bf16', 2)]['eps_g']} at P = 2")
    check(all(r["steps_to_2x_double"] == "never" for r in by[("bf16", 2)]), "(a) bf16 nearest reached 2x double's error at P = 2")
    check(all(number(r["escape_t"]) < 300 for r in by[("double", 2)]), "(a) double did not escape the plateau at P = 2")
    check(all(number(r["steps_to_2x_double"]) <= 300 * 64 for r in by[("double", 2)] + by[("double", 8)]),
          "(a) double's own steps_to_2x_double is not a step of the run")
    ram = {k: number(v["ram_bytes"]) for k, v in med.items()}
    check(ram[("bf16", 2)] < ram[("double", 2)] and ram[("double", 2)] < ram[("double", 8)], f"(a) RAM {ram}")

    # (b) threads, shards and merge
    two = os.path.join(d, "two.csv")
    run(tool, GRID + ["--threads", "2", "--out", two])
    check(without_timing(read(two)[0]) == without_timing(lines), "(b) 2 threads differ from 1")
    shards = [os.path.join(d, f"s{i}.csv") for i in range(2)]
    for i, s in enumerate(shards):
        code, _, err = run(tool, GRID + ["--shard", f"{i}/2", "--out", s])
        check(code == 0, f"(b) shard {i}: exit {code}: {err}")
        check(read(s)[0][1] == f"# shard {i}/2", f"(b) shard {i}'s second line")
    merged = os.path.join(d, "merged.csv")
    merged_md = os.path.join(d, "merged.md")
    code, _, err = run(tool, ["sweep", "--merge", shards[1], shards[0], "--out", merged, "--markdown", merged_md])
    check(code == 0, f"(b) merge: exit {code}: {err}")
    check(without_timing(read(merged)[0]) == without_timing(lines), "(b) the merged shards differ from the unsharded run")
    with open(merged_md) as f:
        table = [line for line in f if line.startswith("| erf")]
    check(len(table) == 4, f"(b) {len(table)} table rows, not 4")

    # (c) bad input
    out = os.path.join(d, "bad.csv")
    for args, option in ((["--formats", "double,bogus"], "--formats"), (["--formats", "float+sr"], "--formats"),
                         (["--formats", "bf16,bf16"], "--formats"), (["--formats", ""], "--formats"),
                         (["--teachers", "erf,"], "--teachers"), (["--widths", "8,2"], "--widths"),
                         (["--teachers", "tanh"], "--teachers"), (["--shard", "2/2"], "--shard"),
                         (["--shard", "one"], "--shard"), (["--plateau-t", "400"], "--plateau-t"),
                         (["--plateau-fraction", "1.5"], "--plateau-fraction"), (["--lr", "0"], "--lr"),
                         (["--shard", "0/2", "--markdown", os.path.join(d, "t.md")], "--markdown")):
        line = expect_bad_input(tool, "sweep", GRID[1:] + args + ["--out", out], d, out)
        check(option in line, f"(c) {args}: {line!r} does not name {option}")
    expect_bad_input(tool, "sweep", GRID[1:] + ["--out", os.path.join(d, "no", "x.csv")], d, out)
    huge = [a if a != "64" else "10000" for a in GRID[1:]]  # N = 10000
    line = expect_bad_input(tool, "sweep", [a if a != "2,8" else "2,4000" for a in huge] + ["--out", out], d, out)
    check("--widths" in line, f"(c) a student of 4000 x 10000: {line!r}")
    other = os.path.join(d, "other.csv")
    run(tool, GRID + ["--seed", "7", "--shard", "1/2", "--out", other])
    for files, says in (([shards[0]], "shard 1/2 is missing"), ([shards[0], shards[0]], "given twice"),
                        ([shards[0], other], "another grid"), ([full], "# shard"), ([shards[0], os.path.join(d, "none.csv")], "cannot be read")):
        line = expect_bad_input(tool, "sweep", ["--merge"] + files + ["--out", out], d, out)
        check(says in line, f"(c) merge {files}: {line!r} does not say {says!r}")
    line = expect_bad_input(tool, "sweep", ["--merge", shards[0], shards[1], "--widths", "2", "--out", out], d, out)
    check("--widths" in line, f"(c) merge with --widths: {line!r}")
    def rec(**over):
        """recommend's options: the base budgets with `over` replacing or adding some."""
        opts = {"csv": small, "device": "cortex-m4", "ram": "8K", "error": "1e-3"}
        opts.update(over)
        return [a for k, v in opts.items() for a in ("--" + k.replace("_", "-"), v)]

    for over, option in (({"ram": "8Q"}, "--ram"), ({"ram": "-1K"}, "--ram"), ({"flash": "K"}, "--flash"),
                         ({"insns_per_step": "1.5G"}, "--insns-per-step"), ({"device": "cortex-a9"}, "--device"),
                         ({"error": "0"}, "--error"), ({"csv": full, "flash": "16K"}, "--flash"),
                         ({"csv": os.path.join(d, "none.csv")}, "--csv")):
        line = expect_bad_input(tool, "recommend", rec(**over), d, out)
        check(option in line, f"(c) recommend {over}: {line!r} does not name {option}")

    # (d) recommend
    code, so, err = run(tool, ["recommend"] + rec(flash="16K", teacher="erf"))
    check(code == 0, f"(d) met: exit {code}: {err}")
    found = so.splitlines()
    check(len(found) == 6 and "6 of 8 configurations" in found[0], f"(d) met: {so!r}")
    check(len(found) > 1 and found[1].strip().startswith("bf16 P=2 (erf teacher, N=64): eps_g 0.0004, RAM bytes 856, flash bytes 9500"),
          f"(d) met: the cheapest is not bf16 P=2: {so!r}")
    code, so, _ = run(tool, ["recommend"] + rec(error="1e-11", teacher="erf"))
    check(code == 1 and "--error 1e-11 cannot be met with the other budgets: the nearest is double P=2" in so and "(10x the budget)" in so,
          f"(d) error: exit {code}: {so!r}")
    code, so, _ = run(tool, ["recommend"] + rec(ram="500", teacher="erf"))
    check(code == 1 and "--ram 500 cannot be met with the other budgets: the nearest is bf16 P=2" in so and "(1.71x the budget)" in so,
          f"(d) ram: exit {code}: {so!r}")
    code, so, _ = run(tool, ["recommend"] + rec(insns_per_step="3.5K", teacher="erf"))
    check(code == 1 and "--error 0.001 cannot be met with the other budgets: the nearest is q3_12 P=2" in so and "(2x the budget)" in so
          and "--insns-per-step 3500 cannot be met with the other budgets: the nearest is float P=2" in so, f"(d) insns: {so!r}")
    code, so, _ = run(tool, ["recommend"] + rec(insns_per_step="3.5K"))
    check(code == 0 and "q3_12 P=2 (relu teacher" in so, f"(d) every teacher: {so!r}")

finish("test_cli_sweep")
