#!/usr/bin/python3
"""End-to-end cases of `twolayer train`, one per ctest entry: train_cli_test.py TWOLAYER CASE.

Bad input: exit code 2, exactly one line on stderr naming the option and the value, nothing on
stdout, and no file left in the output directory (not the CSV, not its temporary).
Divergence: exit code 1, one message per refused chain naming the chain and the step, and the
CSV holds the rows so far, the last of each chain marked refused at that step.
"""
import csv
import os
import subprocess
import sys
import tempfile

SMALL = ["--N", "20", "--P", "2", "--t-max", "5"]

# case: (arguments after the small defaults, the option and value the line must name)
BAD_INPUT = {
    "bad_N_zero": (["--N", "0"], "--N", "0"),
    "bad_N_negative": (["--N", "-3"], "--N", "-3"),
    "bad_P_zero": (["--P", "0"], "--P", "0"),
    "bad_P_star_negative": (["--P-star", "-1"], "--P-star", "-1"),
    "bad_act": (["--act", "softsign"], "--act", "softsign"),
    "bad_teacher_act": (["--teacher-act", "cubic"], "--teacher-act", "cubic"),
    "bad_format": (["--format", "q7_8"], "--format", "q7_8"),
    "bad_t_max_zero": (["--t-max", "0"], "--t-max", "0"),
    "batch_without_samples": (["--batch", "5"], "--batch", "5"),
    "stochastic_on_float": (["--format", "float", "--rounding", "stochastic"], "--rounding", "stochastic"),
    "master_on_double": (["--master", "true"], "--master", "true"),
    "bad_samples": (["--samples", "-4"], "--samples", "-4"),
    "batch_above_samples": (["--samples", "10", "--batch", "11"], "--batch", "11"),
    "bad_rounding": (["--format", "bf16", "--rounding", "up"], "--rounding", "up"),
    "bad_second_layer": (["--second-layer", "half"], "--second-layer", "half"),
    "too_few_steps": (["--t-max", "0.001"], "--t-max", "0.001"),
}


def with_defaults(extra):
    """SMALL's options not given in extra, then extra (an option given twice is an error of its own)."""
    args = []
    for i in range(0, len(SMALL) - 1, 2):
        if SMALL[i] not in extra: args += SMALL[i:i + 2]
    return args + ["--quiet"] + extra


def run(tool, args):
    return subprocess.run([tool, "train"] + args, capture_output=True, text=True, timeout=300)


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check_bad_input(tool, case):
    extra, option, value = BAD_INPUT[case]
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "curve.csv")
        p = run(tool, with_defaults(extra) + ["--out", out])
        lines = p.stderr.splitlines()
        if p.returncode != 2: fail(f"exit code {p.returncode}, expected 2; stderr: {p.stderr!r}")
        if len(lines) != 1: fail(f"{len(lines)} lines on stderr, expected 1: {p.stderr!r}")
        if option not in lines[0] or value not in lines[0]: fail(f"the line does not name {option} {value}: {lines[0]!r}")
        if not lines[0].startswith("twolayer train: "): fail(f"the line does not name the command: {lines[0]!r}")
        if p.stdout: fail(f"stdout not empty: {p.stdout!r}")
        if os.listdir(d): fail(f"files left behind: {os.listdir(d)}")
    print("ok:", lines[0])


def check_bad_out_dir(tool):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "missing", "curve.csv")
        p = run(tool, with_defaults([]) + ["--out", out])
        lines = p.stderr.splitlines()
        if p.returncode != 2: fail(f"exit code {p.returncode}, expected 2: {p.stderr!r}")
        if len(lines) != 1 or "--out" not in lines[0] or out not in lines[0]: fail(f"stderr: {p.stderr!r}")
        if os.listdir(d): fail(f"files left behind: {os.listdir(d)}")
    print("ok:", lines[0])


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def check_diverges(tool):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "curve.csv")
        p = run(tool, ["--N", "40", "--P", "2", "--act", "quadratic", "--lr", "50", "--t-max", "100", "--chains", "2",
                       "--quiet", "--out", out])
        if p.returncode != 1: fail(f"exit code {p.returncode}, expected 1: {p.stderr!r}")
        if sorted(os.listdir(d)) != ["curve.csv"]: fail(f"files: {os.listdir(d)}")
        rows = read_csv(out)
        lines = p.stderr.splitlines()
        if len(lines) != 2: fail(f"expected one message per chain: {p.stderr!r}")
        for chain, line in zip(("0", "1"), lines):
            mine = [r for r in rows if r["chain"] == chain]
            if len(mine) < 2 or mine[0]["step"] != "0": fail(f"chain {chain}: rows {mine}")
            last = mine[-1]
            if last["refused"] != "1" or any(r["refused"] != "0" for r in mine[:-1]): fail(f"refused column: {mine}")
            want = f"twolayer train: chain {chain}: step {last['step']} (t = "
            if not line.startswith(want): fail(f"message {line!r} does not start with {want!r}")
            if float(last["step"]) >= 4000: fail("the chain ran to the end")
    print("ok:", lines)


def check_good_run(tool):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "curve.csv")
        p = run(tool, ["--N", "50", "--P", "3", "--t-max", "20", "--reports", "6", "--chains", "3", "--quiet", "--out", out])
        if p.returncode != 0 or p.stderr: fail(f"exit {p.returncode}: {p.stderr!r}")
        with open(out) as f:
            header = f.readline().strip()
        if header != "chain,t,eps_g,train_loss,eps_g_se,step,refused": fail(f"header {header!r}")
        rows = read_csv(out)
        if len(rows) != 3 * 7: fail(f"{len(rows)} rows, expected 3 chains x (6 reports + t = 0)")
        for c in range(3):
            mine = [r for r in rows if r["chain"] == str(c)]
            if [r["step"] for r in mine][0] != "0" or mine[-1]["step"] != "1000": fail(f"steps {mine}")
            if not float(mine[-1]["eps_g"]) < float(mine[0]["eps_g"]): fail(f"chain {c} did not learn: {mine}")
        if sorted(os.listdir(d)) != ["curve.csv"]: fail(f"files: {os.listdir(d)}")
        p2 = run(tool, ["--N", "50", "--P", "3", "--t-max", "20", "--reports", "6", "--chains", "3", "--quiet"])
        with open(out) as f:
            if p2.stdout != f.read(): fail("stdout differs from the --out file of the same run")
    print("ok")


def check_identical_runs(tool, launcher):
    """The same CSV from 1, 2 and 3 threads, and (launcher given) from 2 MPI ranks."""
    args = ["--N", "60", "--P", "3", "--t-max", "30", "--reports", "8", "--chains", "7", "--noise", "0.1", "--quiet"]
    ref = run(tool, args + ["--threads", "1"])
    if ref.returncode != 0: fail(f"exit {ref.returncode}: {ref.stderr!r}")
    if ref.stdout.count("\n") != 1 + 7 * 9: fail("rows")
    for t in ("2", "3"):
        if run(tool, args + ["--threads", t]).stdout != ref.stdout: fail(f"--threads {t} differs from --threads 1")
    if launcher:
        for n, t in (("2", "1"), ("2", "2")):
            p = subprocess.run(launcher + ["-n", n, tool, "train"] + args + ["--threads", t], capture_output=True,
                               text=True, timeout=300)
            if p.returncode != 0: fail(f"mpirun -n {n}: exit {p.returncode}: {p.stderr!r}")
            if p.stdout != ref.stdout: fail(f"mpirun -n {n} --threads {t} differs from one process")
    print("ok")


def check_help(tool):
    p = subprocess.run([tool, "train", "--help"], capture_output=True, text=True)
    if p.returncode != 0: fail(f"exit {p.returncode}")
    for opt in ["--N", "--P", "--P-star", "--act", "--teacher-act", "--format", "--lr", "--lr-v", "--train-v",
                "--second-layer", "--init-scale", "--noise", "--weight-decay", "--t-max", "--seed", "--chains",
                "--threads", "--out", "--quiet", "--samples", "--batch", "--reports", "--test-samples", "--rounding",
                "--master"]:
        if opt + " " not in p.stdout and opt + "\n" not in p.stdout: fail(f"--help does not list {opt}")
    print("ok")


def main():
    tool, case = sys.argv[1], sys.argv[2]
    if case in BAD_INPUT: check_bad_input(tool, case)
    elif case == "bad_out_dir": check_bad_out_dir(tool)
    elif case == "diverges": check_diverges(tool)
    elif case == "good_run": check_good_run(tool)
    elif case == "help": check_help(tool)
    elif case == "threads_identical": check_identical_runs(tool, None)
    elif case == "mpi_identical": check_identical_runs(tool, sys.argv[3:])
    else: fail(f"unknown case {case}")


if __name__ == "__main__":
    main()
